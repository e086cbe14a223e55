"""Read-only summaries for the app's pages, scoped to the actor's organisation.

Every query filters on ``actor.require_org()`` and checks the role's permission, like
the other services; SQL does the counting and limiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from smarterchat.backend.models import (
    Agent,
    AuditLog,
    Channel,
    Conversation,
    ConversationStatus,
    Lead,
    Membership,
    Organization,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import two_factor
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import NotFound

_OPEN = (ConversationStatus.BOT, ConversationStatus.WAITING_HUMAN, ConversationStatus.HUMAN)


@dataclass(frozen=True)
class DashboardCounts:
    open_conversations: int
    waiting_human: int
    assigned_to_me: int
    leads: int
    channels: int
    agents: int
    ai_budget_exhausted: bool = False  # this month's AI budget is spent (admins see a warning)


@dataclass(frozen=True)
class ChannelInfo:
    id: str
    kind: str
    name: str
    is_active: bool


@dataclass(frozen=True)
class AgentInfo:
    id: str
    name: str
    is_active: bool
    tone: str
    greeting: str
    rules: int
    channels: list[ChannelInfo]


@dataclass(frozen=True)
class AgentsOverview:
    agents: list[AgentInfo]
    unassigned_channels: list[ChannelInfo]


@dataclass(frozen=True)
class Profile:
    name: str
    email: str
    locale: str | None
    two_factor: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class OrganizationInfo:
    name: str
    slug: str
    timezone: str
    locale: str
    created_at: datetime
    active_members: int


def _count(session: Session, query) -> int:
    return int(session.exec(query).one() or 0)


def dashboard(session: Session, actor: Actor) -> DashboardCounts:
    actor.require(Permission.CONVERSATIONS_VIEW)
    org = actor.require_org()
    open_ = _count(session, select(func.count()).select_from(Conversation).where(
        Conversation.organization_id == org, col(Conversation.status).in_(_OPEN)))
    waiting = _count(session, select(func.count()).select_from(Conversation).where(
        Conversation.organization_id == org,
        Conversation.status == ConversationStatus.WAITING_HUMAN))
    mine = _count(session, select(func.count()).select_from(Conversation).where(
        Conversation.organization_id == org, Conversation.assignee_id == actor.user_id,
        col(Conversation.status).in_(_OPEN)))
    leads = _count(session, select(func.count()).select_from(Lead).where(
        Lead.organization_id == org))
    channels = _count(session, select(func.count()).select_from(Channel).where(
        Channel.organization_id == org, Channel.is_active))
    agents = _count(session, select(func.count()).select_from(Agent).where(
        Agent.organization_id == org, Agent.is_active))
    exhausted = False
    if actor.can(Permission.ORG_SETTINGS):
        month = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        exhausted = session.exec(select(AuditLog.id).where(
            AuditLog.organization_id == org, AuditLog.action == "ai.budget_exhausted",
            AuditLog.created_at >= month)).first() is not None
    return DashboardCounts(open_, waiting, mine, leads, channels, agents, exhausted)


def agents(session: Session, actor: Actor) -> AgentsOverview:
    actor.require(Permission.AGENTS_VIEW)
    org = actor.require_org()
    agent_rows = session.exec(
        select(Agent).where(Agent.organization_id == org).order_by(Agent.name).limit(200)
    ).all()
    channel_rows = session.exec(
        select(Channel).where(Channel.organization_id == org).order_by(Channel.name).limit(500)
    ).all()
    by_agent: dict[str, list[ChannelInfo]] = {}
    loose: list[ChannelInfo] = []
    for ch in channel_rows:
        info = ChannelInfo(str(ch.id), ch.kind, ch.name, ch.is_active)
        if ch.agent_id:
            by_agent.setdefault(str(ch.agent_id), []).append(info)
        else:
            loose.append(info)
    items = [
        AgentInfo(str(a.id), a.name, a.is_active, a.tone, a.greeting, len(a.rules or []),
                  by_agent.get(str(a.id), []))
        for a in agent_rows
    ]
    return AgentsOverview(items, loose)


def profile(session: Session, actor: Actor) -> Profile:
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound()
    status = two_factor.status(session, actor)
    return Profile(user.name, user.email, user.locale, status.enabled, status.recovery_codes_left)


def organization(session: Session, actor: Actor) -> OrganizationInfo:
    org = session.get(Organization, actor.require_org())
    if org is None:
        raise NotFound()
    members = _count(session, select(func.count()).select_from(Membership).where(
        Membership.organization_id == org.id, Membership.is_active))
    return OrganizationInfo(org.name, org.slug, org.timezone, org.locale, org.created_at, members)
