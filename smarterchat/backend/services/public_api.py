"""What the public API reads that the pages do not: pages of conversations, messages and
contacts by cursor (see ``pagination``), as DTOs, scoped to the acting organisation
and checked against the actor's role or key scopes like every other read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from smarterchat.backend.models import Contact, Conversation, Lead, Message
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import access as crm_access
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id
from smarterchat.backend.services.inbox.queries import get_conversation
from smarterchat.backend.services.pagination import Cursor, page, select_owned


@dataclass(frozen=True)
class ConversationView:
    id: str
    channel_id: str
    contact_id: str
    agent_id: str | None
    status: str
    assignee_id: str | None
    team_id: str | None
    labels: list[str]
    unread_count: int
    handoff_reason: str | None
    created_at: datetime
    last_message_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class MessageView:
    id: str
    conversation_id: str
    direction: str
    author_kind: str
    author_user_id: str | None
    content_type: str
    text: str
    is_private: bool
    delivery_status: str
    created_at: datetime


@dataclass(frozen=True)
class ContactView:
    id: str
    channel_id: str
    external_id: str
    name: str | None
    phone: str | None
    email: str | None
    attributes: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class LeadView:
    id: str
    contact_id: str
    pipeline_id: str
    stage_id: str
    owner_id: str | None
    temperature: str
    value_cents: int | None
    source: str
    lost_reason: str | None
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    stage_changed_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class PageOf:
    items: list[Any]
    has_more: bool


def _str(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def conversation_view(c: Conversation) -> ConversationView:
    return ConversationView(
        id=str(c.id), channel_id=str(c.channel_id), contact_id=str(c.contact_id),
        agent_id=_str(c.agent_id), status=c.status, assignee_id=_str(c.assignee_id),
        team_id=_str(c.team_id), labels=list(c.labels), unread_count=c.unread_count,
        handoff_reason=c.handoff_reason, created_at=c.created_at,
        last_message_at=c.last_message_at, resolved_at=c.resolved_at)


def message_view(m: Message) -> MessageView:
    return MessageView(
        id=str(m.id), conversation_id=str(m.conversation_id), direction=m.direction,
        author_kind=m.author_kind, author_user_id=_str(m.author_user_id),
        content_type=m.content_type, text="" if m.extra.get("deleted") else m.text,
        is_private=m.is_private, delivery_status=m.delivery_status, created_at=m.created_at)


def contact_view(c: Contact) -> ContactView:
    return ContactView(id=str(c.id), channel_id=str(c.channel_id), external_id=c.external_id,
                       name=c.name, phone=c.phone, email=c.email, attributes=dict(c.attributes),
                       created_at=c.created_at)


def _id_filter(value: RecordId | None, field: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return parse_id(value)
    except NotFound as exc:
        raise InvalidInput("invalid_input", field=field) from exc


def conversations(session: Session, actor: Actor, cursor: Cursor, *, status: str | None = None,
                  channel_id: RecordId | None = None, contact_id: RecordId | None = None,
                  assignee_id: RecordId | None = None, label: str | None = None) -> PageOf:
    """Newest first by creation (an order that does not move while the caller pages)."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    query = select_owned(Conversation, actor.require_org())
    if status:
        query = query.where(Conversation.status == status)
    for field, value in (("channel_id", channel_id), ("contact_id", contact_id),
                         ("assignee_id", assignee_id)):
        wanted = _id_filter(value, field)
        if wanted:
            query = query.where(getattr(Conversation, field) == wanted)
    if label:
        escaped = label.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(sa.cast(col(Conversation.labels), sa.Text).like(f'%"{escaped}"%',
                                                                         escape="\\"))
    found = page(session, query, Conversation, cursor)
    return PageOf([conversation_view(c) for c in found.rows], found.has_more)


def conversation(session: Session, actor: Actor, conversation_id: RecordId) -> ConversationView:
    actor.require(Permission.CONVERSATIONS_VIEW)
    return conversation_view(get_conversation(session, actor, conversation_id))


def messages(session: Session, actor: Actor, conversation_id: RecordId, cursor: Cursor) -> PageOf:
    actor.require(Permission.CONVERSATIONS_VIEW)
    found = get_conversation(session, actor, conversation_id)
    query = select(Message).where(Message.organization_id == found.organization_id,
                                  Message.conversation_id == found.id)
    rows = page(session, query, Message, cursor)
    return PageOf([message_view(m) for m in rows.rows], rows.has_more)


def contacts(session: Session, actor: Actor, cursor: Cursor, *, phone: str | None = None,
             email: str | None = None) -> PageOf:
    actor.require(Permission.CONVERSATIONS_VIEW)
    query = select_owned(Contact, actor.require_org())
    if phone:
        query = query.where(Contact.phone == phone)
    if email:
        query = query.where(func.lower(col(Contact.email)) == email.strip().lower())
    found = page(session, query, Contact, cursor)
    return PageOf([contact_view(c) for c in found.rows], found.has_more)


def contact(session: Session, actor: Actor, contact_id: RecordId) -> ContactView:
    actor.require(Permission.CONVERSATIONS_VIEW)
    row = session.exec(select_owned(Contact, actor.require_org())
                       .where(Contact.id == parse_id(contact_id))).first()
    if row is None:
        raise NotFound()
    return contact_view(row)


def lead_view(lead: Lead) -> LeadView:
    return LeadView(id=str(lead.id), contact_id=str(lead.contact_id),
                    pipeline_id=str(lead.pipeline_id), stage_id=str(lead.stage_id),
                    owner_id=_str(lead.owner_id), temperature=lead.temperature,
                    value_cents=lead.value_cents, source=lead.source, lost_reason=lead.lost_reason,
                    fields=dict(lead.fields), created_at=lead.created_at,
                    updated_at=lead.updated_at, stage_changed_at=lead.stage_changed_at,
                    closed_at=lead.closed_at)


def leads(session: Session, actor: Actor, cursor: Cursor, *, pipeline_id: RecordId | None = None,
          stage_id: RecordId | None = None, owner_id: RecordId | None = None,
          temperature: str | None = None) -> PageOf:
    """The leads the actor may see (the CRM's own visibility rule), newest first."""
    _, visible = crm_access.scope(session, actor)
    query = select(Lead).where(visible)
    for field, value in (("pipeline_id", pipeline_id), ("stage_id", stage_id),
                         ("owner_id", owner_id)):
        wanted = _id_filter(value, field)
        if wanted:
            query = query.where(getattr(Lead, field) == wanted)
    if temperature:
        query = query.where(Lead.temperature == temperature)
    found = page(session, query, Lead, cursor)
    return PageOf([lead_view(lead) for lead in found.rows], found.has_more)


def lead(session: Session, actor: Actor, lead_id: RecordId) -> LeadView:
    return lead_view(crm_access.lead_of(session, actor, lead_id))
