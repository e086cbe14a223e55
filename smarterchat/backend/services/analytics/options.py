"""What the filter bar offers: the organisation's channels, agents, teams and consultants."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import Agent, Channel, Membership, Team, User
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor

LIMIT = 500  # a filter list longer than this would not be read anyway


@dataclass(frozen=True)
class Option:
    id: str
    name: str


@dataclass(frozen=True)
class FilterOptions:
    channels: list[Option]
    agents: list[Option]
    teams: list[Option]
    consultants: list[Option]  # empty for a consultant: their figures are their own
    own_only: bool


def _named(session: Session, model: type[Channel] | type[Agent] | type[Team],
           org_id: object) -> list[Option]:
    rows = session.execute(sa.select(col(model.id), col(model.name))
                           .where(col(model.organization_id) == org_id)
                           .order_by(col(model.name)).limit(LIMIT)).all()
    return [Option(id=str(row_id), name=name) for row_id, name in rows]


def filter_options(session: Session, actor: Actor) -> FilterOptions:
    org_wide = actor.can(Permission.ANALYTICS_VIEW)
    if not org_wide:
        actor.require(Permission.CONVERSATIONS_VIEW)
    org = actor.require_org()
    people: list[Option] = []
    if org_wide:
        rows = session.execute(
            sa.select(col(User.id), col(User.name))
            .join(Membership, col(Membership.user_id) == col(User.id))
            .where(col(Membership.organization_id) == org, col(Membership.is_active))
            .order_by(col(User.name)).limit(LIMIT)).all()
        people = [Option(id=str(user_id), name=name) for user_id, name in rows]
    return FilterOptions(channels=_named(session, Channel, org), agents=_named(session, Agent, org),
                         teams=_named(session, Team, org), consultants=people,
                         own_only=not org_wide)
