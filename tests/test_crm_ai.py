"""Leads the AI extracts reach the pipeline: created hot in the first stage with the fields
and the message each came from, cold conversations make no lead, a second conversation of
the same person updates the same lead, and every change is a typed event."""

from __future__ import annotations

import pytest
from sqlmodel import select

from smarterchat.backend import db, events
from smarterchat.backend.models import Conversation, Lead, LeadActivity, Message, PipelineStage
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import ai_turn
from tests.ai_support import chat, fake_openai, openai_env  # noqa: F401
from tests.factories import make_conversation, make_org
from tests.fakes.openai_server import DEFAULT_CLASSIFICATION


@pytest.fixture
def emitted():
    seen: list[events.LeadEvent] = []
    for kind in events.LEAD_EVENTS:
        events.subscribe(kind, seen.append)
    yield seen
    for kind in events.LEAD_EVENTS:
        events.unsubscribe(kind, seen.append)


@pytest.fixture
def offline(session, database, monkeypatch):
    monkeypatch.delenv("SMARTERCHAT_AI_PROVIDER", raising=False)
    db.get_settings.cache_clear()
    org = make_org(session, "Loja Offline")
    _, contact, conversation, message = make_conversation(session, org)
    return {"org": org, "contact": contact, "conversation": conversation, "message": message}


def say(session, conversation, text):
    message = Message(organization_id=conversation.organization_id,
                      conversation_id=conversation.id, channel_id=conversation.channel_id,
                      text=text, author_kind="contact", provider_message_id=f"wamid.{text[:20]}",
                      created_at=utcnow())
    session.add(message)
    session.commit()
    return message


def test_a_buyer_giving_name_and_email_becomes_a_hot_lead_offline(session, offline, emitted):
    first = session.get(Message, offline["message"].id)
    first.text = ("Oi, meu nome é Renata Alves, quero comprar 3 cadeiras hoje, "
                  "meu email é renata.alves@gmail.com, qual o preço?")
    session.add(first)
    session.commit()
    ai_turn.respond(offline["conversation"].id)
    session.expire_all()
    lead = session.exec(select(Lead)).one()
    assert lead.temperature == "hot", lead.temperature_reason
    assert lead.fields["name"] == "Renata Alves"
    assert lead.fields["email"] == "renata.alves@gmail.com"
    assert lead.field_sources["email"] == str(first.id)
    stage = session.get(PipelineStage, lead.stage_id)
    assert (stage.name, stage.position) == ("Novo", 0)
    kinds = [type(e).__name__ for e in emitted]
    assert kinds[:2] == ["LeadCreated", "LeadTemperatureChanged"]
    assert emitted[0].source == "ai" and emitted[1].message_id == first.id
    line = session.exec(select(LeadActivity).where(LeadActivity.kind == "temperature")).one()
    assert "quero comprar" in line.text and line.message_id == first.id


def test_a_cold_conversation_makes_no_lead(session, offline, emitted):
    first = session.get(Message, offline["message"].id)
    first.text = "qual o horário de funcionamento?"
    session.add(first)
    session.commit()
    ai_turn.respond(offline["conversation"].id)
    assert session.exec(select(Lead)).all() == [] and emitted == []


def test_the_same_person_in_a_second_conversation_updates_the_same_lead(session, chat,
                                                                         openai_env, emitted):
    openai_env.classification.update(intent="purchase", lead={
        **DEFAULT_CLASSIFICATION["lead"], "name": "Bia", "temperature": "warm",
        "reason": "perguntou preços"})
    ai_turn.respond(chat["conversation"])
    first = session.get(Conversation, chat["conversation"])
    first.status = "resolved"
    session.add(first)
    second = Conversation(organization_id=first.organization_id, channel_id=first.channel_id,
                          contact_id=first.contact_id, agent_id=first.agent_id,
                          last_inbound_at=utcnow())
    session.add(second)
    session.commit()
    said = say(session, second, "Quero fechar o pedido, manda o pix")
    openai_env.classification.update(intent="purchase", lead={
        **DEFAULT_CLASSIFICATION["lead"], "email": "bia@example.com", "temperature": "hot",
        "reason": "pediu o pix"})
    ai_turn.respond(second.id)
    session.expire_all()
    lead = session.exec(select(Lead)).one()
    assert lead.temperature == "hot" and lead.fields["name"] == "Bia"
    assert lead.fields["email"] == "bia@example.com"
    assert lead.field_sources["email"] == str(said.id)
    changes = [e for e in emitted if isinstance(e, events.LeadTemperatureChanged)]
    assert [(e.from_temperature, e.temperature) for e in changes] == [("", "warm"),
                                                                      ("warm", "hot")]
    assert changes[1].reason == "pediu o pix" and changes[1].message_id == said.id
    assert sum(isinstance(e, events.LeadCreated) for e in emitted) == 1
