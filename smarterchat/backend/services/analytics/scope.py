"""Who may see which figures, and the filters every chart shares.

Managers and admins see their organisation (``analytics.view``); a consultant sees only the
conversations assigned to them, whatever filter they send. Every id in a filter must be
one of the organisation's own records, or the request is refused: a foreign id does not
quietly return an empty chart.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from smarterchat.backend.models import (
    Agent,
    Channel,
    Conversation,
    Membership,
    Organization,
    Pipeline,
    Team,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.analytics.periods import Period, resolve
from smarterchat.backend.services.errors import InvalidInput, NotFound, parse_id


@dataclass(frozen=True)
class Filters:
    """What a manager picks above the charts; ids as the page or the API sends them."""

    period: str = "7d"
    first: date | None = None  # custom period, local dates, both included
    last: date | None = None
    channel_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    consultant_id: str | None = None
    business_hours_only: bool = False
    pipeline_id: str | None = None  # the funnel's pipeline; the default one when None


@dataclass(frozen=True)
class Scope:
    """The acting organisation, its period and the conversation conditions of the filters."""

    organization: Organization
    period: Period
    conditions: list[Any] = field(default_factory=list)
    own_only: bool = False  # a consultant's own figures
    now: datetime = field(default_factory=utcnow)
    channel_id: uuid.UUID | None = None  # validated ids, for the queries not on conversations
    assignee_id: uuid.UUID | None = None
    pipeline_id: uuid.UUID | None = None

    @property
    def org_id(self) -> uuid.UUID:
        return self.organization.id

    @property
    def filtered(self) -> bool:
        """More than the organisation narrows the conversations."""
        return len(self.conditions) > 1


def _own(session: Session, model: type[SQLModel], raw: str, org_id: uuid.UUID,
         name: str) -> uuid.UUID:
    try:
        record_id = parse_id(raw)
    except NotFound as exc:
        raise InvalidInput("invalid_filter_value", field=name) from exc
    row = session.get(model, record_id)
    if row is None or getattr(row, "organization_id", None) != org_id:
        raise InvalidInput("invalid_filter_value", field=name)
    return record_id


def _consultant(session: Session, raw: str, org_id: uuid.UUID) -> uuid.UUID:
    try:
        user_id = parse_id(raw)
    except NotFound as exc:
        raise InvalidInput("invalid_filter_value", field="consultant") from exc
    member = session.exec(select(Membership.id).where(
        Membership.organization_id == org_id, Membership.user_id == user_id)).first()
    if member is None:
        raise InvalidInput("invalid_filter_value", field="consultant")
    return user_id


def scope_for(session: Session, actor: Actor, filters: Filters,
              now: datetime | None = None) -> Scope:
    """Check the role, resolve the period in the organisation's zone, validate the filters."""
    org_wide = actor.can(Permission.ANALYTICS_VIEW)
    if not org_wide:
        actor.require(Permission.CONVERSATIONS_VIEW)
    org = session.get(Organization, actor.require_org())
    if org is None:
        raise NotFound()
    at = now or utcnow()
    period = resolve(filters.period, org.timezone, at, first=filters.first, last=filters.last)
    conditions: list[Any] = [col(Conversation.organization_id) == org.id]
    by_model: tuple[tuple[str | None, type[SQLModel], Any, str], ...] = (
        (filters.channel_id, Channel, col(Conversation.channel_id), "channel"),
        (filters.agent_id, Agent, col(Conversation.agent_id), "agent"),
        (filters.team_id, Team, col(Conversation.team_id), "team"),
    )
    ids: dict[str, uuid.UUID] = {}
    for raw, model, column, name in by_model:
        if raw:
            ids[name] = _own(session, model, raw, org.id, name)
            conditions.append(column == ids[name])
    if filters.pipeline_id:
        ids["pipeline"] = _own(session, Pipeline, filters.pipeline_id, org.id, "pipeline")
    assignee = actor.user_id if not org_wide else (
        _consultant(session, filters.consultant_id, org.id) if filters.consultant_id else None)
    if assignee is not None:
        conditions.append(col(Conversation.assignee_id) == assignee)
    return Scope(organization=org, period=period, conditions=conditions, own_only=not org_wide,
                 now=at, channel_id=ids.get("channel"), assignee_id=assignee,
                 pipeline_id=ids.get("pipeline"))


def in_period(column: Any, start: datetime, end: datetime) -> Any:
    return sa.and_(col(column) >= start, col(column) < end)
