"""The shared inbox as consultants read it: one page of the list, the badges' counts, a
thread, the contact panel, and who or which team a conversation can go to. Filtering,
sorting and paging happen in SQL; every read checks the role and the organisation.

Just over 300 lines: every read the inbox page makes, sharing one tenant-scoped base query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, func, select

from smarterchat.backend.channels.registry import capabilities_for
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import (
    AuthorKind,
    Availability,
    Channel,
    Contact,
    Conversation,
    ConversationStatus,
    Lead,
    Membership,
    Message,
    PipelineStage,
    Role,
    Team,
    User,
)
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import outbound
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.channels import approved_templates
from smarterchat.backend.services.crm import lead_stages
from smarterchat.backend.services.errors import (
    InvalidInput,
    NotFound,
    RecordId,
    parse_id,
)

TABS = ("mine", "waiting", "bot", "open", "resolved")
OPEN_STATUSES = (ConversationStatus.BOT, ConversationStatus.WAITING_HUMAN,
                 ConversationStatus.HUMAN)
PAGE_SIZE = 30


@dataclass(frozen=True)
class ConversationRow:
    id: str
    contact_name: str
    contact_phone: str
    channel_kind: str
    channel_name: str
    status: str
    assignee_id: str | None
    assignee_name: str
    labels: list[str]
    unread_count: int
    last_message_at: datetime
    preview: str
    handoff_reason: str | None
    team_name: str = ""
    lead_stage: str = ""  # the contact's lead's stage, shown as a badge


@dataclass(frozen=True)
class ThreadMessage:
    id: str
    direction: str
    author_kind: str
    author_name: str
    content_type: str
    text: str
    is_private: bool
    delivery_status: str
    error_message: str | None
    media_key: str | None
    media_mime: str | None
    sources: list[str]
    created_at: datetime
    event: str = ""  # system lines: take_over, transfer, handoff, auto_assign, ...
    event_detail: dict[str, Any] | None = None  # reason, to_name
    media_name: str = ""  # a document's file name
    reaction: str = ""  # the customer's reaction to this message (an emoji)


@dataclass(frozen=True)
class Page:
    items: list
    total: int


# ------------------------------------------------------------------ reading

def get_conversation(session: Session, actor: Actor, conversation_id: RecordId, *,
                     lock: bool = False) -> Conversation:
    """One conversation of the actor's organisation (``lock``: FOR UPDATE, to change it)."""
    query = select(Conversation).where(Conversation.id == parse_id(conversation_id),
                                       Conversation.organization_id == actor.require_org())
    conversation = session.exec(query.with_for_update() if lock else query).first()
    if conversation is None:
        raise NotFound()
    return conversation


def _tab_condition(actor: Actor, tab: str) -> ColumnElement[bool]:
    status = col(Conversation.status)
    conditions: dict[str, ColumnElement[bool]] = {
        "mine": (col(Conversation.assignee_id) == actor.user_id) & status.in_(OPEN_STATUSES),
        "waiting": status == ConversationStatus.WAITING_HUMAN,
        "bot": status == ConversationStatus.BOT,
        "open": status.in_(OPEN_STATUSES),
        "resolved": status == ConversationStatus.RESOLVED,
    }
    return conditions[tab]


def list_conversations(session: Session, actor: Actor, *, tab: str = "open",
                       channel_id: str | None = None, agent_id: str | None = None,
                       assignee_id: str | None = None, label: str | None = None,
                       search: str = "", offset: int = 0,
                       limit: int = PAGE_SIZE, stage_id: str | None = None) -> Page:
    """One page of the inbox, newest activity first; filtering and paging happen in SQL.
    A search looks in every tab (resolved ones too): a person looking for a customer does
    not know which tab they are in."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    if tab not in TABS:
        raise InvalidInput("invalid_tab")
    org_id = actor.require_org()
    where = [Conversation.organization_id == org_id]
    if not search.strip():
        where.append(_tab_condition(actor, tab))
    if channel_id:
        where.append(Conversation.channel_id == parse_id(channel_id))
    if agent_id:
        where.append(Conversation.agent_id == parse_id(agent_id))
    if assignee_id:
        where.append(Conversation.assignee_id == parse_id(assignee_id))
    if label:
        where.append(func.cast(Conversation.labels, sa.Text).like(f'%"{_like(label)}"%'))
    if stage_id:
        where.append(col(Conversation.contact_id).in_(lead_stages.contacts_in(org_id, stage_id)))
    if search.strip():
        # "Contains" searches; on PostgreSQL trigram indexes (migration 0003) serve them.
        pattern = f"%{_like(search.strip().lower())}%"
        by_message = select(Message.conversation_id).where(
            Message.organization_id == org_id, func.lower(Message.text).like(pattern))
        by_contact = select(Contact.id).where(
            Contact.organization_id == org_id,
            or_(func.lower(Contact.name).like(pattern), col(Contact.phone).like(pattern)))
        where.append(or_(col(Conversation.id).in_(by_message),
                         col(Conversation.contact_id).in_(by_contact)))
    total = session.exec(select(func.count()).select_from(Conversation).where(*where)).one()
    rows = session.exec(
        select(Conversation, Contact, Channel, User.name, Team.name)
        .join(Contact, Contact.id == Conversation.contact_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .outerjoin(User, User.id == Conversation.assignee_id)
        .outerjoin(Team, Team.id == Conversation.team_id)
        .where(*where)
        .order_by(col(Conversation.last_message_at).desc(), Conversation.id)
        .offset(max(0, offset)).limit(max(1, min(limit, 100)))).all()
    previews = _previews(session, [c.id for c, *_ in rows])
    stages = lead_stages.stage_names(session, org_id, [c.contact_id for c, *_ in rows])
    items = [ConversationRow(
        str(c.id), contact.name or contact.phone or contact.external_id[:12], contact.phone or "",
        channel.kind, channel.name, c.status, str(c.assignee_id) if c.assignee_id else None,
        assignee or "", list(c.labels), c.unread_count, c.last_message_at,
        previews.get(c.id, ""), c.handoff_reason, team or "",
        lead_stage=stages.get(c.contact_id, ""))
        for c, contact, channel, assignee, team in rows]
    return Page(items, total)


@dataclass(frozen=True)
class Counts:
    mine: int  # open conversations assigned to the actor
    waiting: int  # the organisation's queue waiting for a human


def counts(session: Session, actor: Actor) -> Counts:
    """The numbers on the badges, as the "mine" and "waiting" tabs count them.

    One statement of two scalar counts, so each can use its own index (organisation,
    assignee, status and organisation, status) instead of scanning every open one.
    """
    actor.require(Permission.CONVERSATIONS_VIEW)
    org_id = actor.require_org()
    mine = (select(func.count()).select_from(Conversation)
            .where(Conversation.organization_id == org_id,
                   Conversation.assignee_id == actor.user_id,
                   col(Conversation.status).in_(OPEN_STATUSES)).scalar_subquery())
    waiting = (select(func.count()).select_from(Conversation)
               .where(Conversation.organization_id == org_id,
                      Conversation.status == ConversationStatus.WAITING_HUMAN)
               .scalar_subquery())
    found_mine, found_waiting = session.exec(select(mine, waiting)).one()
    return Counts(int(found_mine or 0), int(found_waiting or 0))


def conversation_row(session: Session, actor: Actor, conversation_id: RecordId) -> ConversationRow:
    """One conversation as the list shows it, wherever it sits in the list."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    conversation = get_conversation(session, actor, conversation_id)
    contact = linked_row(session, Contact, conversation.contact_id)
    channel = linked_row(session, Channel, conversation.channel_id)
    assignee = session.get(User, conversation.assignee_id) if conversation.assignee_id else None
    team = session.get(Team, conversation.team_id) if conversation.team_id else None
    return ConversationRow(
        str(conversation.id), contact.name or contact.phone or contact.external_id[:12],
        contact.phone or "", channel.kind, channel.name, conversation.status,
        str(conversation.assignee_id) if conversation.assignee_id else None,
        assignee.name if assignee else "", list(conversation.labels),
        conversation.unread_count, conversation.last_message_at, "",
        conversation.handoff_reason, team.name if team else "")


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")[:100]


def _previews(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    latest = (select(Message.conversation_id, func.max(Message.created_at).label("at"))
              .where(col(Message.conversation_id).in_(ids), col(Message.is_private).is_(False))
              .group_by(col(Message.conversation_id)).subquery())
    rows = session.exec(select(Message.conversation_id, Message.text, Message.content_type)
                        .join(latest, (latest.c.conversation_id == Message.conversation_id)
                              & (latest.c.at == Message.created_at))).all()
    return {cid: (text or f"[{kind}]")[:120] for cid, text, kind in rows}


def thread(session: Session, actor: Actor, conversation_id: RecordId, *, before: datetime | None = None,
           limit: int = 30) -> list[ThreadMessage]:
    """The latest messages (or those before ``before``), oldest first, for lazy scrolling."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    conversation = get_conversation(session, actor, conversation_id)
    query = (select(Message, User.name).outerjoin(User, col(User.id) == Message.author_user_id)
             .where(Message.conversation_id == conversation.id))
    if before is not None:
        query = query.where(Message.created_at < before)
    rows = session.exec(query.order_by(col(Message.created_at).desc())
                        .limit(max(1, min(limit, 100)))).all()
    return [ThreadMessage(
        str(m.id), m.direction, m.author_kind, name or "", m.content_type,
        "" if m.extra.get("deleted") else m.text, m.is_private, m.delivery_status,
        m.error_message, m.media_storage_key, m.media_mime,
        [s.get("title", "") for s in (m.extra.get("ai") or {}).get("sources", [])],
        m.created_at, str(m.extra.get("event") or "") if m.author_kind == AuthorKind.SYSTEM
        else "", {k: str(v) for k, v in m.extra.items() if k in ("reason", "to_name")},
        str(m.extra.get("filename") or "") if m.media_storage_key else "",
        reaction=str((m.extra.get("reaction") or {}).get("emoji") or ""))
        for m, name in reversed(rows)]


@dataclass(frozen=True)
class ContactPanel:
    contact_id: str
    name: str
    phone: str
    email: str
    lead_temperature: str | None
    lead_stage: str | None
    lead_reason: str
    lead_fields: dict[str, Any]
    earlier: list[dict[str, Any]]  # other conversations of this contact
    window_open: bool  # the channel's service window (WhatsApp's 24 hours); always on others
    window_closes_at: datetime | None
    templates: list[dict[str, Any]]
    # The window is closed on a channel with templates: only an approved template may go.
    needs_template: bool = False


def contact_panel(session: Session, actor: Actor, conversation_id: RecordId) -> ContactPanel:
    actor.require(Permission.CONVERSATIONS_VIEW)
    conversation = get_conversation(session, actor, conversation_id)
    contact = linked_row(session, Contact, conversation.contact_id)
    channel = linked_row(session, Channel, conversation.channel_id)
    lead = session.exec(select(Lead).where(Lead.organization_id == conversation.organization_id,
                                           Lead.contact_id == contact.id)).first()
    earlier = session.exec(select(Conversation).where(
        Conversation.contact_id == contact.id, Conversation.id != conversation.id)
        .order_by(col(Conversation.created_at).desc()).limit(10)).all()
    window_open = outbound.window_open(channel, conversation)
    can = capabilities_for(channel.kind)
    return ContactPanel(
        str(contact.id), contact.name or "", contact.phone or "", contact.email or "",
        lead.temperature if lead else None,
        linked_row(session, PipelineStage, lead.stage_id).name if lead else None,
        lead.temperature_reason if lead else "", dict(lead.fields) if lead else {},
        [{"id": str(c.id), "status": c.status, "created_at": c.created_at} for c in earlier],
        window_open, outbound.window_closes_at(channel, conversation),
        approved_templates(channel) if can.templates else [],
        needs_template=can.templates and not window_open)


def consultants(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """People a conversation can be transferred to, with their availability."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    rows = session.exec(select(Membership, User).join(User, col(User.id) == Membership.user_id)
                        .where(Membership.organization_id == actor.require_org(),
                               Membership.is_active,
                               col(Membership.role).in_([Role.CONSULTANT, Role.MANAGER,
                                                         Role.ADMIN]))
                        .order_by(User.name)).all()
    return [{"user_id": str(u.id), "name": u.name, "role": m.role,
             "availability": m.availability} for m, u in rows]


def team_targets(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Teams a conversation can be transferred to, with how many of their consultants are
    online (those are who distribution gives it to)."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    org_id = actor.require_org()
    online = (select(Membership.team_id, func.count().label("n"))
              .where(Membership.organization_id == org_id, Membership.is_active,
                     Membership.role == Role.CONSULTANT,
                     Membership.availability == Availability.ONLINE,
                     col(Membership.team_id).is_not(None))
              .group_by(col(Membership.team_id)).subquery())
    rows = session.exec(select(Team.id, Team.name, func.coalesce(online.c.n, 0))
                        .outerjoin(online, online.c.team_id == Team.id)
                        .where(Team.organization_id == org_id)
                        .order_by(func.lower(Team.name))).all()
    return [{"team_id": str(tid), "name": name, "online": int(n)} for tid, name, n in rows]
