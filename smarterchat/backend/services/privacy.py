"""A customer's rights under Brazil's LGPD (art. 18): a copy of everything held about
them, and its erasure. Both are an admin's, audited, and scoped to the admin's
organisation like every other service.

The export is one JSON document: the profile, the AI's summary and facts, the lead, every
conversation with its messages and the team's notes, and the media files themselves
(base64), so that the customer receives the files and not links that expire.

Erasure deletes the contact's row, and with it (by the database's ON DELETE CASCADE) its
conversations, messages, notes and lead (its timeline, tasks and merges); the stored raw
webhook bodies that carried their messages; and the media files no other message still names (files are shared by equal
bytes). The audit log keeps that it happened, by whom, and counts, never the data. A
customer who writes again afterwards is a new contact with no past.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from smarterchat.backend import storage
from smarterchat.backend.models import (
    Channel,
    Contact,
    Conversation,
    InboundEvent,
    Lead,
    LeadActivity,
    LeadTask,
    Message,
    Organization,
    Pipeline,
    PipelineStage,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import NotFound, RecordId, parse_id

log = logging.getLogger(__name__)
FORMAT = "smarterchat.contact-export/1"


@dataclass(frozen=True)
class Erasure:
    contact_id: str
    conversations: int
    messages: int
    media_files: int


def _contact(session: Session, actor: Actor, contact_id: RecordId) -> Contact:
    actor.require(Permission.CONTACTS_PRIVACY)
    contact = session.exec(select(Contact).where(
        Contact.id == parse_id(contact_id),
        Contact.organization_id == actor.require_org())).first()
    if contact is None:
        raise NotFound()
    return contact


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _media(message: Message) -> dict[str, Any] | None:
    if not message.media_storage_key:
        return None
    found: dict[str, Any] = {"mime": message.media_mime, "size": message.media_size,
                             "filename": message.extra.get("filename")}
    try:
        found["base64"] = base64.b64encode(storage.load(message.media_storage_key)).decode()
    except FileNotFoundError:
        found["missing"] = True
    return found


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.id), "direction": message.direction, "author": message.author_kind,
        "type": message.content_type, "text": message.text, "created_at": _iso(message.created_at),
        "delivery_status": message.delivery_status, "media": _media(message),
        "reaction": (message.extra.get("reaction") or {}).get("emoji") or None,
    }


def _conversation(session: Session, conversation: Conversation) -> dict[str, Any]:
    rows = session.exec(select(Message).where(Message.conversation_id == conversation.id)
                        .order_by(col(Message.created_at), col(Message.id))).all()
    return {
        "id": str(conversation.id), "status": conversation.status,
        "created_at": _iso(conversation.created_at), "resolved_at": _iso(conversation.resolved_at),
        "labels": conversation.labels,
        "messages": [_message(m) for m in rows if not m.is_private],
        "notes": [_message(m) for m in rows if m.is_private],
    }


def _lead(session: Session, contact: Contact) -> dict[str, Any] | None:
    """The lead with its pipeline stage, timeline (notes included) and follow-up tasks."""
    lead = session.exec(select(Lead).where(Lead.contact_id == contact.id,
                                           Lead.organization_id == contact.organization_id)).first()
    if lead is None:
        return None
    stage = session.get(PipelineStage, lead.stage_id)
    pipeline = session.get(Pipeline, lead.pipeline_id)
    timeline = session.exec(select(LeadActivity).where(LeadActivity.lead_id == lead.id)
                            .order_by(col(LeadActivity.created_at))).all()
    tasks = session.exec(select(LeadTask).where(LeadTask.lead_id == lead.id)
                         .order_by(col(LeadTask.due_at))).all()
    return {
        "pipeline": pipeline.name if pipeline else None, "stage": stage.name if stage else None,
        "stage_kind": stage.kind if stage else None, "temperature": lead.temperature,
        "temperature_reason": lead.temperature_reason, "value_cents": lead.value_cents,
        "source": lead.source, "lost_reason": lead.lost_reason, "fields": lead.fields,
        "created_at": _iso(lead.created_at), "updated_at": _iso(lead.updated_at),
        "timeline": [{"kind": a.kind, "text": a.text, "data": a.data,
                      "created_at": _iso(a.created_at)} for a in timeline],
        "tasks": [{"title": t.title, "due_at": _iso(t.due_at), "done_at": _iso(t.done_at)}
                  for t in tasks],
    }


def export_contact(session: Session, actor: Actor, contact_id: RecordId) -> dict[str, Any]:
    """Everything held about a contact, as one JSON-ready document."""
    contact = _contact(session, actor, contact_id)
    channel = session.get(Channel, contact.channel_id)
    org = session.get(Organization, contact.organization_id)
    conversations = session.exec(select(Conversation).where(
        Conversation.contact_id == contact.id).order_by(col(Conversation.created_at))).all()
    document = {
        "format": FORMAT, "exported_at": _iso(utcnow()),
        "organization": org.name if org else "",
        "contact": {
            "id": str(contact.id), "name": contact.name, "phone": contact.phone,
            "email": contact.email, "channel": channel.kind if channel else None,
            "channel_name": channel.name if channel else None,
            "external_id": contact.external_id, "business_user_id": contact.business_user_id,
            "attributes": contact.attributes, "created_at": _iso(contact.created_at),
            "last_seen_at": _iso(contact.last_seen_at),
        },
        "ai": {"summary": contact.summary, "facts": contact.facts},
        "lead": _lead(session, contact),
        "conversations": [_conversation(session, c) for c in conversations],
    }
    audit.record(session, actor, "contact.exported", target_type="contact",
                 target_id=contact.id, details={"conversations": len(conversations)})
    session.commit()
    return document


def _customer_keys(contact: Contact) -> list[str]:
    """The keys its raw webhook bodies were stored under (see ingest.split_by_customer)."""
    return [k for k in (contact.external_id, contact.business_user_id, contact.phone) if k]


def erase_contact(session: Session, actor: Actor, contact_id: RecordId) -> Erasure:
    """Remove a contact and everything about it; the audit log keeps that it happened."""
    contact = _contact(session, actor, contact_id)
    conversation_ids = list(session.exec(select(Conversation.id).where(
        Conversation.contact_id == contact.id)).all())
    in_them = col(Message.conversation_id).in_(conversation_ids)
    messages = session.exec(select(func.count()).select_from(Message).where(in_them)).one()
    keys = set(session.exec(select(Message.media_storage_key).where(
        in_them, col(Message.media_storage_key).is_not(None))).all())
    session.execute(delete(InboundEvent).where(
        col(InboundEvent.channel_id) == contact.channel_id,
        col(InboundEvent.conversation_key).in_(_customer_keys(contact))))
    session.delete(contact)  # conversations, messages, notes and lead go with it
    audit.record(session, actor, "contact.erased", target_type="contact", target_id=contact.id,
                 details={"conversations": len(conversation_ids), "messages": messages,
                          "media_files": len(keys)})
    session.commit()
    removed = sum(_forget_file(session, key) for key in keys if key)
    return Erasure(contact_id=str(contact.id), conversations=len(conversation_ids),
                   messages=messages, media_files=removed)


def _forget_file(session: Session, key: str) -> bool:
    """Delete a stored file unless another message (equal bytes) still names it."""
    if session.exec(select(Message.id).where(Message.media_storage_key == key)).first():
        return False
    try:
        storage.delete(key)
    except storage.StorageUnavailable:
        # The rows are gone; the file is an orphan nobody can reach. Logged to clean up.
        log.warning("erased contact's media file left in storage", extra={"key": key})
        return False
    return True
