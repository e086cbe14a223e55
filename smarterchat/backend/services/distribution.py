"""Automatic distribution of conversations waiting for a human.

Round robin over online consultants with free capacity (the one assigned longest ago
goes first), oldest waiting conversation first. A conversation transferred to a team
goes only to that team's consultants, and waits (without holding up the others) while
none of them is free. On PostgreSQL each claim locks the conversation row with FOR
UPDATE SKIP LOCKED and the consultant's membership row with FOR UPDATE, so two workers
never give one conversation to two people nor push a consultant over capacity.
Presence comes from the consultants' heartbeats.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.db import linked_row, session_scope
from smarterchat.backend.models import (
    Availability,
    Conversation,
    ConversationStatus,
    DistributionMode,
    Membership,
    Organization,
    Role,
    Team,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit, transitions
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput

HEARTBEAT_TIMEOUT = timedelta(seconds=90)  # no heartbeat for this long: offline


@dataclass(frozen=True)
class Assignment:
    conversation_id: uuid.UUID
    user_id: uuid.UUID


def _load(session: Session, org_id: uuid.UUID, user_id: uuid.UUID) -> int:
    return session.exec(select(func.count()).select_from(Conversation).where(
        Conversation.organization_id == org_id, Conversation.assignee_id == user_id,
        Conversation.status == ConversationStatus.HUMAN)).one()


def _free_consultants(session: Session, org_id: uuid.UUID) -> list[Membership]:
    """Online consultants with a free slot, next in the round robin first: the one who
    received a conversation longest ago (or never). Loads are counted in SQL."""
    load = (select(Conversation.assignee_id, func.count().label("n"))
            .where(Conversation.organization_id == org_id,
                   Conversation.status == ConversationStatus.HUMAN,
                   col(Conversation.assignee_id).is_not(None))
            .group_by(col(Conversation.assignee_id)).subquery())
    return list(session.exec(
        select(Membership).outerjoin(load, load.c.assignee_id == Membership.user_id)
        .where(Membership.organization_id == org_id, Membership.is_active,
               Membership.role == Role.CONSULTANT, Membership.availability == Availability.ONLINE,
               func.coalesce(load.c.n, 0) < Membership.capacity)
        .order_by(col(Membership.last_assigned_at).is_not(None), col(Membership.last_assigned_at),
                  col(Membership.id))).all())


def claim_one(org_id: uuid.UUID) -> Assignment | None:
    """Give the oldest waiting conversation someone can take to the next free consultant
    (of its team, when it has one), in one transaction."""
    with session_scope() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        free = _free_consultants(session, org_id)
        if not free:
            return None
        # A team with nobody free must not hold up the rest of the queue: only
        # conversations without a team, or of a team with someone free, are candidates.
        teams = {m.team_id for m in free if m.team_id is not None}
        servable: ColumnElement[bool] = col(Conversation.team_id).is_(None)
        if teams:
            servable = servable | col(Conversation.team_id).in_(teams)
        query = (select(Conversation).where(
            Conversation.organization_id == org_id,
            Conversation.status == ConversationStatus.WAITING_HUMAN,
            col(Conversation.assignee_id).is_(None), servable)
            .order_by(col(Conversation.waiting_since), col(Conversation.id)).limit(1))
        if postgres:
            query = query.with_for_update(skip_locked=True)
        conversation = session.exec(query).first()
        if conversation is None:
            return None
        membership = next(m for m in free if conversation.team_id in (None, m.team_id))
        if postgres:
            # Serialise claims per consultant so capacity holds across workers.
            membership = session.exec(select(Membership).where(Membership.id == membership.id)
                                      .with_for_update()).one()
            if _load(session, org_id, membership.user_id) >= membership.capacity:
                return None
        membership.last_assigned_at = utcnow()
        person = linked_row(session, User, membership.user_id)
        # The thread says who got it, for everyone looking.
        change = transitions.auto_assign(session, conversation,
                                         transitions.Person(person.id, person.name))
        session.add(membership)
        audit.record(session, None, "conversation.auto_assigned", target_type="conversation",
                     target_id=conversation.id, organization_id=org_id,
                     details={"to": str(membership.user_id)})
        result = Assignment(conversation.id, membership.user_id)
    events.emit(change)
    return result


def distribute(org_id: uuid.UUID, *, limit: int = 200) -> list[Assignment]:
    """Assign waiting conversations while someone can take one (round-robin mode only)."""
    with session_scope() as session:
        org = session.get(Organization, org_id)
        if org is None or org.distribution_mode != DistributionMode.ROUND_ROBIN:
            return []
    done: list[Assignment] = []
    while len(done) < limit:
        assignment = claim_one(org_id)
        if assignment is None:
            break
        done.append(assignment)
    return done


# ------------------------------------------------------------------ presence and settings

def set_availability(session: Session, actor: Actor, availability: str) -> None:
    if availability not in set(Availability):
        raise InvalidInput("invalid_availability")
    membership = session.exec(select(Membership).where(
        Membership.organization_id == actor.require_org(),
        Membership.user_id == actor.user_id)).one()
    membership.availability = availability
    membership.last_seen_at = utcnow()
    session.add(membership)
    session.commit()
    events.emit(events.PresenceChanged(organization_id=membership.organization_id,
                                       user_id=actor.user_id, availability=availability))


def heartbeat(session: Session, actor: Actor) -> None:
    membership = session.exec(select(Membership).where(
        Membership.organization_id == actor.require_org(),
        Membership.user_id == actor.user_id)).one()
    membership.last_seen_at = utcnow()
    session.add(membership)
    session.commit()


def expire_presence() -> list[uuid.UUID]:
    """Consultants whose browser stopped sending heartbeats go offline."""
    with session_scope() as session:
        stale = session.exec(select(Membership).where(
            Membership.availability != Availability.OFFLINE,
            col(Membership.last_seen_at) < utcnow() - HEARTBEAT_TIMEOUT)).all()
        for membership in stale:
            membership.availability = Availability.OFFLINE
            session.add(membership)
        orgs = sorted({m.organization_id for m in stale})
    for org_id in orgs:
        events.emit(events.PresenceChanged(organization_id=org_id))
    return orgs


@dataclass(frozen=True)
class ConsultantLoad:
    user_id: str
    name: str
    availability: str
    load: int
    capacity: int
    team: str = ""


@dataclass(frozen=True)
class QueueOverview:
    mode: str
    waiting: int
    oldest_waiting_seconds: int | None
    consultants: list[ConsultantLoad]


def overview(session: Session, actor: Actor) -> QueueOverview:
    """What managers watch: the queue, who is online, each consultant's load."""
    actor.require(Permission.CONVERSATIONS_ASSIGN)
    org_id = actor.require_org()
    org = linked_row(session, Organization, org_id)
    waiting = session.exec(select(func.count(), func.min(Conversation.waiting_since)).where(
        Conversation.organization_id == org_id,
        Conversation.status == ConversationStatus.WAITING_HUMAN)).one()
    rows = session.exec(select(Membership, User, Team.name)
                        .join(User, col(User.id) == Membership.user_id)
                        .outerjoin(Team, col(Team.id) == Membership.team_id)
                        .where(Membership.organization_id == org_id, Membership.is_active,
                               Membership.role == Role.CONSULTANT).order_by(User.name)).all()
    oldest = None
    if waiting[1] is not None:
        since = waiting[1] if waiting[1].tzinfo else waiting[1].replace(tzinfo=utcnow().tzinfo)
        oldest = int((utcnow() - since).total_seconds())
    return QueueOverview(org.distribution_mode, waiting[0], oldest, [
        ConsultantLoad(str(u.id), u.name, m.availability, _load(session, org_id, u.id), m.capacity,
                       team or "")
        for m, u, team in rows])


def configure(session: Session, actor: Actor, *, mode: str | None = None,
              capacities: dict[str, int] | None = None) -> None:
    """Admins choose the mode and each consultant's capacity."""
    actor.require(Permission.ORG_SETTINGS)
    org = linked_row(session, Organization, actor.require_org())
    if mode is not None:
        if mode not in set(DistributionMode):
            raise InvalidInput("invalid_mode")
        org.distribution_mode = mode
        session.add(org)
    for user_id, capacity in (capacities or {}).items():
        if not 0 <= int(capacity) <= 100:
            raise InvalidInput("invalid_capacity")
        membership = session.exec(select(Membership).where(
            Membership.organization_id == org.id,
            Membership.user_id == uuid.UUID(str(user_id)))).first()
        if membership is None:
            raise InvalidInput("invalid_assignee")
        membership.capacity = int(capacity)
        session.add(membership)
    audit.record(session, actor, "distribution.configured",
                 details={"mode": mode, "capacities": capacities or {}})
    session.commit()
