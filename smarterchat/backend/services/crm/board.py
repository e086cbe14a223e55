"""The kanban board: a column per stage with its count and value total, and a page of
cards per column, in board order, with the filters and the search applied in SQL.

A column never loads more than a page: the counts and totals come from one grouped
query, the cards from one indexed query per column ((organization_id, stage_id,
position)), so a board of 10,000 leads reads a few dozen rows.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, or_, select

from smarterchat.backend.channels.registry import capabilities_for
from smarterchat.backend.models import (
    Channel,
    Contact,
    Conversation,
    Lead,
    Pipeline,
    PipelineStage,
    StageKind,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import defaults
from smarterchat.backend.services.crm.access import scope
from smarterchat.backend.services.errors import InvalidInput, NotFound, parse_id

PAGE = 20
PAGE_MAX = 100
SEARCH_MAX = 100
PERIOD_DAYS_MAX = 3660


@dataclass(frozen=True)
class BoardFilters:
    pipeline_id: str = ""  # empty: the default pipeline
    search: str = ""  # name, phone, e-mail, company
    temperature: str = ""
    owner: str = ""  # a user id, "me" or "none"
    channel_kind: str = ""
    agent_id: str = ""
    period_days: int | None = None  # created in the last N days
    stale_only: bool = False


@dataclass(frozen=True)
class Card:
    id: str
    contact_id: str
    name: str
    channel_kind: str
    temperature: str
    temperature_reason: str
    value_cents: int | None
    owner_id: str
    owner_name: str
    last_activity_at: datetime
    stale: bool
    position: float
    conversation_id: str = ""  # the contact's latest conversation: the card opens it
    window_closes_at: datetime | None = None  # WhatsApp's 24 h window, while open


@dataclass(frozen=True)
class Column:
    stage_id: str
    name: str
    kind: str
    color: str
    stale_days: int | None
    count: int
    total_cents: int
    cards: list[Card] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.cards)


@dataclass(frozen=True)
class Board:
    organization_id: str  # whose real-time notices keep this board current
    viewer_id: str  # who is looking (told live when a lead becomes theirs)
    pipeline_id: str
    pipeline_name: str
    pipelines: list[tuple[str, str]]
    columns: list[Column]


def board(session: Session, actor: Actor, filters: BoardFilters, *,
          per_column: int = PAGE) -> Board:
    """The first page of every column of the pipeline, with counts and totals."""
    org_id, visible = scope(session, actor)
    pipeline = _pipeline(session, org_id, filters.pipeline_id)
    stages = _stages(session, pipeline.id)
    where = sa.and_(visible, col(Lead.pipeline_id) == pipeline.id,
                    *_filters(actor, filters, stages))
    counted = select(Lead.stage_id, func.count(), func.sum(Lead.value_cents)).select_from(Lead)
    if _needs_contact(filters):
        counted = _joined(counted)
    sums = {stage_id: (int(n), int(total or 0)) for stage_id, n, total in session.exec(
        counted.where(where).group_by(col(Lead.stage_id))).all()}
    rows = {stage.id: _rows(session, where, stage.id, 0, per_column) for stage in stages
            if sums.get(stage.id, (0, 0))[0]}
    cards = _as_cards(session, rows, stages)
    columns = [Column(stage_id=str(stage.id), name=stage.name, kind=stage.kind,
                      color=stage.color, stale_days=stage.stale_days,
                      count=sums.get(stage.id, (0, 0))[0], total_cents=sums.get(stage.id, (0, 0))[1],
                      cards=cards.get(stage.id, []))
               for stage in stages]
    pipelines = session.exec(select(Pipeline.id, Pipeline.name)
                             .where(Pipeline.organization_id == org_id)
                             .order_by(col(Pipeline.is_default).desc(), col(Pipeline.position),
                                       col(Pipeline.name))).all()
    return Board(organization_id=str(org_id), viewer_id=str(actor.user_id),
                 pipeline_id=str(pipeline.id),
                 pipeline_name=pipeline.name,
                 pipelines=[(str(i), n) for i, n in pipelines], columns=columns)


def _needs_contact(filters: BoardFilters) -> bool:
    return bool(filters.search.strip() or filters.channel_kind or filters.agent_id)


def _joined(query: Any) -> Any:
    return (query.join(Contact, col(Contact.id) == Lead.contact_id)
            .join(Channel, col(Channel.id) == Contact.channel_id))


def column_page(session: Session, actor: Actor, stage_id: str, filters: BoardFilters, *,
                offset: int = 0, limit: int = PAGE) -> list[Card]:
    """The next cards of one column ("load more")."""
    org_id, visible = scope(session, actor)
    stage = session.exec(select(PipelineStage).where(
        PipelineStage.id == parse_id(stage_id), PipelineStage.organization_id == org_id)).first()
    if stage is None:
        raise NotFound()
    if not 0 <= offset <= 1_000_000 or not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("invalid_page")
    stages = _stages(session, stage.pipeline_id)
    where = sa.and_(visible, *_filters(actor, filters, stages))
    rows = {stage.id: _rows(session, where, stage.id, offset, limit)}
    return _as_cards(session, rows, stages).get(stage.id, [])


def _pipeline(session: Session, org_id: uuid.UUID, pipeline_id: str) -> Pipeline:
    if not pipeline_id:
        found = defaults.default_pipeline(session, org_id)
        session.commit()
        return found
    pipeline = session.exec(select(Pipeline).where(Pipeline.id == parse_id(pipeline_id),
                                                   Pipeline.organization_id == org_id)).first()
    if pipeline is None:
        raise NotFound()
    return pipeline


def _stages(session: Session, pipeline_id: uuid.UUID) -> list[PipelineStage]:
    return list(session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == pipeline_id)
                             .order_by(col(PipelineStage.position))).all())


def _stale_clause(stages: list[PipelineStage]) -> ColumnElement[bool]:
    now = utcnow()
    parts = [sa.and_(col(Lead.stage_id) == s.id,
                     col(Lead.stage_changed_at) < now - timedelta(days=s.stale_days))
             for s in stages if s.stale_days and s.kind == StageKind.OPEN]
    return or_(*parts) if parts else sa.false()


def _filters(actor: Actor, filters: BoardFilters,
             stages: list[PipelineStage]) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.temperature:
        clauses.append(col(Lead.temperature) == filters.temperature)
    if filters.owner == "me":
        clauses.append(col(Lead.owner_id) == actor.user_id)
    elif filters.owner == "none":
        clauses.append(col(Lead.owner_id).is_(None))
    elif filters.owner:
        clauses.append(col(Lead.owner_id) == parse_id(filters.owner))
    if filters.channel_kind:
        clauses.append(col(Channel.kind) == filters.channel_kind)
    if filters.agent_id:
        clauses.append(col(Channel.agent_id) == parse_id(filters.agent_id))
    if filters.period_days:
        if not 1 <= filters.period_days <= PERIOD_DAYS_MAX:
            raise InvalidInput("invalid_period")
        clauses.append(col(Lead.created_at) >= utcnow() - timedelta(days=filters.period_days))
    if filters.stale_only:
        clauses.append(_stale_clause(stages))
    if filters.search.strip():
        clauses.append(search_clause(filters.search))
    return clauses


def search_clause(text: str) -> ColumnElement[bool]:
    """Name, e-mail or company containing the words; a phone containing the digits."""
    text = " ".join(text.split())[:SEARCH_MAX].lower()
    like = f"%{_escape(text)}%"
    parts = [func.lower(Contact.name).like(like, escape="\\"),
             func.lower(Contact.email).like(like, escape="\\"),
             func.lower(col(Lead.fields)["company"].as_string()).like(like, escape="\\"),
             func.lower(col(Lead.fields)["name"].as_string()).like(like, escape="\\")]
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4 and len(digits) * 2 >= len(text.replace(" ", "")):
        parts.append(col(Contact.phone).like(f"%{digits}%"))
        parts.append(col(Contact.external_id).like(f"%{digits}%"))
    return or_(*parts)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


Row = tuple[Lead, Contact, str, str | None]


def _rows(session: Session, where: ColumnElement[bool], stage_id: uuid.UUID, offset: int,
          limit: int) -> list[Row]:
    """One column's page, in board order (the (organization_id, stage_id, position) index)."""
    return list(session.exec(
        _joined(select(Lead, Contact, Channel.kind, User.name))
        .outerjoin(User, col(User.id) == Lead.owner_id)
        .where(where, col(Lead.stage_id) == stage_id)
        .order_by(col(Lead.position), col(Lead.id)).offset(offset).limit(limit)).all())


def _as_cards(session: Session, rows: dict[uuid.UUID, list[Row]],
              stages: list[PipelineStage]) -> dict[uuid.UUID, list[Card]]:
    """Cards of the columns' rows; the contacts' latest conversations in one query."""
    latest = _latest_conversations(session, [lead.contact_id for page in rows.values()
                                             for lead, *_ in page])
    now = utcnow()
    stale_after = {s.id: now - timedelta(days=s.stale_days) for s in stages
                   if s.stale_days and s.kind == StageKind.OPEN}
    cards: dict[uuid.UUID, list[Card]] = {}
    for stage_id, page in rows.items():
        limit = stale_after.get(stage_id)
        cards[stage_id] = [_card(lead, contact, kind, owner, latest.get(lead.contact_id),
                                 bool(limit and lead.stage_changed_at < limit))
                           for lead, contact, kind, owner in page]
    return cards


def _card(lead: Lead, contact: Contact, kind: str, owner: str | None,
          conversation: Conversation | None, stale: bool) -> Card:
    return Card(
        id=str(lead.id), contact_id=str(lead.contact_id),
        name=str((lead.fields or {}).get("name") or contact.name or contact.phone or ""),
        channel_kind=kind, temperature=lead.temperature,
        temperature_reason=lead.temperature_reason, value_cents=lead.value_cents,
        owner_id=str(lead.owner_id or ""), owner_name=owner or "",
        last_activity_at=lead.last_activity_at, stale=stale, position=lead.position,
        conversation_id=str(conversation.id) if conversation else "",
        window_closes_at=_window(kind, conversation))


def _latest_conversations(session: Session,
                          contact_ids: list[uuid.UUID]) -> dict[uuid.UUID, Conversation]:
    if not contact_ids:
        return {}
    newest = (select(Conversation.contact_id, func.max(Conversation.created_at).label("at"))
              .where(col(Conversation.contact_id).in_(contact_ids))
              .group_by(col(Conversation.contact_id)).subquery())
    rows = session.exec(select(Conversation).join(newest, sa.and_(
        newest.c.contact_id == Conversation.contact_id,
        newest.c.at == Conversation.created_at))).all()
    return {c.contact_id: c for c in rows}


def _window(kind: str, conversation: Conversation | None) -> datetime | None:
    window = capabilities_for(kind).service_window
    if window is None or conversation is None or conversation.last_inbound_at is None:
        return None
    closes = conversation.last_inbound_at + window
    return closes if closes > utcnow() else None
