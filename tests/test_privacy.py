"""A customer's LGPD rights (issue 18): an admin exports everything about a contact as one
file and erases it, from the service and through /api/v1/contacts/{id}/export and /erase;
audited, tenant- and role-checked. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from smarterchat.backend import storage
from smarterchat.backend.api.app import create_api
from smarterchat.backend.channels.base import InboundMessage
from smarterchat.backend.models import (
    AuditLog,
    Contact,
    Conversation,
    InboundEvent,
    Lead,
    LeadActivity,
    Message,
    Role,
)
from smarterchat.backend.security.tokens import create_access_token
from smarterchat.backend.services import ingest, privacy
from smarterchat.backend.services.errors import NotFound, PermissionDenied
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user

PHOTO = b"\x89PNG fake photo bytes of the customer"


@pytest.fixture
def world(session):
    """A contact with a conversation, a note, a photo, a lead, AI facts and a raw webhook."""
    org = make_org(session, "Loja LGPD")
    channel, contact, conversation, first = make_conversation(session, org)
    contact.summary, contact.facts = "Cliente de Campinas, prefere entrega.", {"city": "Campinas"}
    contact.phone = contact.external_id
    key = storage.save(org.id, PHOTO, "image/png")
    session.add_all([
        contact,
        Message(organization_id=org.id, conversation_id=conversation.id, channel_id=channel.id,
                text="minha foto", media_storage_key=key, media_mime="image/png",
                media_size=len(PHOTO), provider_message_id="wamid.photo"),
        Message(organization_id=org.id, conversation_id=conversation.id, channel_id=channel.id,
                author_kind="consultant", direction="outbound", is_private=True,
                text="Nota: cliente VIP"),
        InboundEvent(organization_id=org.id, channel_id=channel.id,
                     conversation_key=contact.external_id, body='{"raw": "Olá"}',
                     status="processed"),
    ])
    session.commit()
    lead = make_lead(session, org, contact, fields={"email": "cli@ex.com"})
    session.add(LeadActivity(organization_id=org.id, lead_id=lead.id, kind="note",
                             text="Ligar na segunda"))
    session.commit()
    admin = make_user(session, org, Role.ADMIN)
    return {"org": org, "channel": channel, "contact": contact, "conversation": conversation,
            "admin": admin, "actor": actor_for(session, admin, org), "key": key}


def test_the_export_holds_everything_about_the_contact(session, world):
    document = privacy.export_contact(session, world["actor"], world["contact"].id)
    assert document["format"] == privacy.FORMAT
    assert document["contact"]["phone"] == "5511999990000"
    assert document["ai"] == {"summary": "Cliente de Campinas, prefere entrega.",
                              "facts": {"city": "Campinas"}}
    assert document["lead"]["fields"] == {"email": "cli@ex.com"}
    assert document["lead"]["stage"] and document["lead"]["pipeline"]
    assert [a["text"] for a in document["lead"]["timeline"]] == ["Ligar na segunda"]
    (conversation,) = document["conversations"]
    assert [m["text"] for m in conversation["messages"]] == ["Olá", "minha foto"]
    assert [n["text"] for n in conversation["notes"]] == ["Nota: cliente VIP"]
    photo = conversation["messages"][1]["media"]
    assert base64.b64decode(photo["base64"]) == PHOTO and photo["mime"] == "image/png"
    json.dumps(document)  # one file: it serialises as it is
    entry = session.exec(select(AuditLog).where(AuditLog.action == "contact.exported")).one()
    assert entry.actor_user_id == world["admin"].id
    assert entry.target_id == str(world["contact"].id)


def test_only_an_admin_of_the_same_organisation_exports_or_erases(session, world):
    other = make_org(session, "Outra")
    foreign = actor_for(session, make_user(session, other, Role.ADMIN), other)
    for action in (privacy.export_contact, privacy.erase_contact):
        with pytest.raises(NotFound):
            action(session, foreign, world["contact"].id)
        for role in (Role.MANAGER, Role.CONSULTANT):
            member = actor_for(session, make_user(session, world["org"], role), world["org"])
            with pytest.raises(PermissionDenied):
                action(session, member, world["contact"].id)
        with pytest.raises(NotFound):
            action(session, world["actor"], "not-an-id")
    session.expire_all()
    assert session.get(Contact, world["contact"].id) is not None
    assert not session.exec(select(AuditLog).where(
        AuditLog.action.in_(["contact.exported", "contact.erased"]))).all()


def test_erasure_removes_the_contact_its_messages_media_lead_and_raw_bodies(session, world):
    contact, org = world["contact"], world["org"]
    # Another customer sent the very same bytes: their file must stay.
    other = Contact(organization_id=org.id, channel_id=world["channel"].id, external_id="5511888")
    session.add(other)
    session.flush()
    kept = Conversation(organization_id=org.id, channel_id=world["channel"].id, contact_id=other.id)
    session.add(kept)
    session.flush()
    session.add(Message(organization_id=org.id, conversation_id=kept.id,
                        channel_id=world["channel"].id, media_storage_key=world["key"]))
    session.commit()

    contact_id, conversation_id = contact.id, world["conversation"].id
    erased = privacy.erase_contact(session, world["actor"], contact_id)
    assert (erased.conversations, erased.messages) == (1, 3)
    assert erased.media_files == 0  # still named by the other customer's message
    session.expire_all()
    assert session.get(Contact, contact_id) is None
    assert not session.exec(select(Conversation).where(Conversation.contact_id == contact_id)).all()
    assert not session.exec(select(Message).where(Message.conversation_id == conversation_id)).all()
    assert not session.exec(select(Lead).where(Lead.contact_id == contact_id)).all()
    assert not session.exec(select(LeadActivity).where(LeadActivity.text == "Ligar na segunda")).all()
    assert not session.exec(select(InboundEvent).where(
        InboundEvent.conversation_key == "5511999990000")).all()
    assert storage.load(world["key"]) == PHOTO
    entry = session.exec(select(AuditLog).where(AuditLog.action == "contact.erased")).one()
    assert entry.actor_user_id == world["admin"].id and entry.target_id == str(contact_id)
    assert "5511999990000" not in json.dumps(entry.details)  # what happened, not the data

    # The other customer erased too: now nothing names the file, and it goes.
    assert privacy.erase_contact(session, world["actor"], other.id).media_files == 1
    with pytest.raises(FileNotFoundError):
        storage.load(world["key"])


def test_an_erased_contact_who_writes_again_starts_fresh(session, world):
    erased_id = world["contact"].id
    privacy.erase_contact(session, world["actor"], erased_id)
    message = ingest.add_inbound_message(session, world["channel"], InboundMessage(
        contact_external_id="5511999990000", provider_message_id=f"wamid.{uuid.uuid4().hex}",
        content_type="text", text="Oi de novo"))
    session.commit()
    contact = session.exec(select(Contact).where(Contact.external_id == "5511999990000")).one()
    assert contact.id != erased_id and contact.summary == "" and contact.facts == {}
    conversations = session.exec(select(Conversation).where(
        Conversation.contact_id == contact.id)).all()
    assert [c.id for c in conversations] == [message.conversation_id]
    assert [m.text for m in session.exec(select(Message).where(
        Message.conversation_id == message.conversation_id)).all()] == ["Oi de novo"]


def test_the_api_exports_and_erases_tenant_checked(session, world):
    contact_id = world["contact"].id
    admin = {"Authorization": f"Bearer {create_access_token(world['admin'].id, world['org'].id)}"}
    other = make_org(session, "Vizinha")
    stranger = make_user(session, other, Role.ADMIN)
    foreign = {"Authorization": f"Bearer {create_access_token(stranger.id, other.id)}"}
    consultant = make_user(session, world["org"], Role.CONSULTANT)
    member = {"Authorization": f"Bearer {create_access_token(consultant.id, world['org'].id)}"}
    with TestClient(create_api()) as api:
        assert api.get(f"/api/v1/contacts/{contact_id}/export").status_code == 401
        assert api.get(f"/api/v1/contacts/{contact_id}/export", headers=foreign).status_code == 404
        assert api.post(f"/api/v1/contacts/{contact_id}/erase", headers=foreign).status_code == 404
        assert api.post(f"/api/v1/contacts/{contact_id}/erase", headers=member).status_code == 403
        exported = api.get(f"/api/v1/contacts/{contact_id}/export", headers=admin)
        assert exported.status_code == 200
        assert exported.headers["content-disposition"].startswith("attachment;")
        assert exported.json()["contact"]["id"] == str(contact_id)
        erased = api.post(f"/api/v1/contacts/{contact_id}/erase", headers=admin)
        assert erased.status_code == 200 and erased.json()["messages"] == 3
        assert api.get(f"/api/v1/contacts/{contact_id}/export", headers=admin).status_code == 404
