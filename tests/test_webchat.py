"""The web chat visitor's side: messages enter the pipeline once, and each visitor
reads back only their own conversation."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.models import Channel, Conversation, Message
from smarterchat.backend.security import ratelimit
from smarterchat.backend.services import outbound, webchat
from smarterchat.backend.services.errors import InvalidInput, NotFound, TooManyAttempts
from tests.factories import make_org


@pytest.fixture
def channel(session):
    ratelimit._backend.cache_clear()
    org = make_org(session, "Loja Web")
    channel = Channel(organization_id=org.id, kind="webchat", name="Site",
                      config={"title": "Fale conosco", "greeting": "Oi! Como ajudo?"})
    session.add(channel)
    session.commit()
    return channel


def test_visitor_message_enters_the_pipeline_once(session, channel):
    created = []

    def listener(event):
        created.append(event)

    events.subscribe(events.MessageCreated, listener)
    try:
        visitor = webchat.new_visitor_id()
        line = webchat.send(session, channel.id, visitor, "Quero um orçamento", client_id="abc12345",
                            name="Bruno")
        again = webchat.send(session, channel.id, visitor, "Quero um orçamento",
                             client_id="abc12345")
    finally:
        events.unsubscribe(events.MessageCreated, listener)
    assert line.id == again.id and line.author == "visitor"
    assert len(created) == 1
    assert len(session.exec(select(Message)).all()) == 1
    conversation = session.exec(select(Conversation)).one()
    assert conversation.status == "waiting_human"  # no AI agent on this channel
    assert conversation.channel_id == channel.id


def test_visitor_reads_only_their_own_conversation(session, channel):
    alice, bob = webchat.new_visitor_id(), webchat.new_visitor_id()
    webchat.send(session, channel.id, alice, "Oi, sou a Alice", client_id="a0000001")
    webchat.send(session, channel.id, bob, "Oi, sou o Bob", client_id="b0000001")
    first = webchat.history(session, channel.id, alice)[0]
    conversation = session.get(Conversation, session.get(Message, uuid.UUID(first.id)
                                                         ).conversation_id)
    reply = outbound.queue_message(session, conversation, OutboundContent(text="Olá!"),
                                   author_kind="ai")
    note = outbound.queue_message(session, conversation, OutboundContent(text="nota interna"),
                                  author_kind="consultant")
    note.is_private = True
    session.add(note)
    session.commit()
    lines = webchat.history(session, channel.id, alice)
    assert [(line.author, line.text) for line in lines] == [("visitor", "Oi, sou a Alice"),
                                                            ("agent", "Olá!")]
    assert lines[1].id == str(reply.id)
    assert [line.text for line in webchat.history(session, channel.id, bob)] == ["Oi, sou o Bob"]


def test_a_file_sent_to_the_visitor_comes_with_a_signed_link(session, channel):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from smarterchat.backend import storage
    from smarterchat.backend.api.inbox_media import router

    visitor = webchat.new_visitor_id()
    first = webchat.send(session, channel.id, visitor, "Tem catálogo?", client_id="c0000001")
    conversation = session.get(Conversation, session.get(Message, uuid.UUID(first.id)
                                                         ).conversation_id)
    pdf = b"%PDF-1.4 catalogo"
    key = storage.save(channel.organization_id, pdf, "application/pdf")
    outbound.queue_message(session, conversation, OutboundContent(
        text="Aqui está", media_key=key, media_mime="application/pdf", media_type="document",
        filename="catalogo.pdf"), author_kind="consultant")
    session.commit()
    line = webchat.history(session, channel.id, visitor)[-1]
    assert (line.text, line.media_kind, line.media_name) == ("Aqui está", "document",
                                                             "catalogo.pdf")
    api = FastAPI()
    api.include_router(router)
    assert TestClient(api).get(line.media_url).content == pdf
    assert webchat.history(session, channel.id, visitor)[0].media_url == ""


def test_bad_input_is_refused(session, channel):
    visitor = webchat.new_visitor_id()
    with pytest.raises(InvalidInput):
        webchat.send(session, channel.id, "short", "hi", client_id="abc12345")
    with pytest.raises(InvalidInput):
        webchat.send(session, channel.id, visitor, "   ", client_id="abc12345")
    with pytest.raises(InvalidInput):
        webchat.send(session, channel.id, visitor, "x" * 5000, client_id="abc12345")
    with pytest.raises(NotFound):
        webchat.send(session, "not-a-uuid", visitor, "hi", client_id="abc12345")
    assert session.exec(select(Message)).all() == []


def test_visitors_are_rate_limited(session, channel):
    visitor = webchat.new_visitor_id()
    for i in range(20):
        webchat.send(session, channel.id, visitor, f"msg {i}", client_id=f"client{i:04d}")
    with pytest.raises(TooManyAttempts):
        webchat.send(session, channel.id, visitor, "one too many", client_id="client9999")


def test_whatsapp_only_channels_are_not_web_chats(session, channel):
    wa = Channel(organization_id=channel.organization_id, kind="whatsapp", name="WA",
                 external_id="1")
    session.add(wa)
    session.commit()
    with pytest.raises(NotFound):
        webchat.widget(session, wa.id)
    assert webchat.widget(session, channel.id).greeting == "Oi! Como ajudo?"
