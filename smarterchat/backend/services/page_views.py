"""What one page shows, read in one session: the few reads that combine several services
(a list, the options its dialogs offer, what the actor may do).

Each function is the page's whole read, so the page state calls one service and holds
what comes back. The services underneath check role and tenant; the ``can_*`` flags
here only decide which buttons a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from smarterchat.backend.ai import brain
from smarterchat.backend.models import Organization
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import (
    agents,
    ai_usage,
    channels,
    overview,
    records,
    teams,
    users,
    webchat,
)
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import NotFound

FAILED_SHOWN = 50  # the latest inbound events that failed, listed for admins


@dataclass(frozen=True)
class MembersPage:
    members: list[users.Member]
    teams: list[teams.TeamInfo]
    can_manage: bool
    me: str  # the actor's user id, to mark "you"


def members_page(session: Session, actor: Actor) -> MembersPage:
    return MembersPage(members=users.list_members(session, actor),
                       teams=teams.list_teams(session, actor),
                       can_manage=actor.can(Permission.USERS_MANAGE), me=str(actor.user_id))


@dataclass(frozen=True)
class AIProvider:
    provider: str  # "openai" or "offline"
    default_model: str  # the organisation's model, "" offline


def ai_provider(session: Session, actor: Actor) -> AIProvider:
    """The provider and model replies would use now."""
    actor.require(Permission.AGENTS_VIEW)
    org = session.get(Organization, actor.require_org())
    if org is None:
        raise NotFound()
    brain = ai_usage.brain_for(org)
    chat = getattr(brain, "chat", None)
    return AIProvider(provider=brain.provider,
                      default_model=str(getattr(chat, "model", "") or ""))


@dataclass(frozen=True)
class AgentsPage:
    overview: overview.AgentsOverview
    models: dict[str, str]  # agent id -> its own model ("" uses the default)
    ai: AIProvider
    can_manage: bool


def agents_page(session: Session, actor: Actor) -> AgentsPage:
    return AgentsPage(overview=overview.agents(session, actor),
                      models={a.id: a.model for a in agents.list_agents(session, actor)},
                      ai=ai_provider(session, actor),
                      can_manage=actor.can(Permission.AGENTS_MANAGE))


@dataclass
class AgentChannel:
    """A channel an agent may answer (a state var: defaults, not frozen)."""

    id: str = ""
    kind: str = ""
    name: str = ""
    active: bool = True
    other_agent: str = ""  # the agent answering it now, when it is another one


def agent_channels(session: Session, actor: Actor, agent_id: str) -> list[AgentChannel]:
    """Every channel of the organisation, with who answers it, by name."""
    data = overview.agents(session, actor)
    options = [AgentChannel(id=c.id, kind=c.kind, name=c.name, active=c.is_active,
                            other_agent="" if a.id == agent_id else a.name)
               for a in data.agents for c in a.channels]
    options += [AgentChannel(id=c.id, kind=c.kind, name=c.name, active=c.is_active)
                for c in data.unassigned_channels]
    return sorted(options, key=lambda o: o.name.lower())


@dataclass(frozen=True)
class AgentPage:
    agent: agents.AgentView
    knowledge: list[agents.KnowledgeView]
    channels: list[AgentChannel]
    can_manage: bool
    ai: AIProvider
    rules_not_followed: list[str]  # the written rules the provider now answering ignores


def agent_page(session: Session, actor: Actor, agent_id: str) -> AgentPage:
    view = agents.get_agent(session, actor, agent_id)
    ai = ai_provider(session, actor)
    return AgentPage(agent=view, knowledge=agents.list_knowledge(session, actor, agent_id),
                     channels=agent_channels(session, actor, view.id),
                     can_manage=actor.can(Permission.AGENTS_MANAGE), ai=ai,
                     rules_not_followed=brain.rules_not_followed(ai.provider, view.rules))


@dataclass(frozen=True)
class AgentSaved:
    agent: agents.AgentView
    channels: list[AgentChannel]
    rules_not_followed: list[str]


def save_agent(session: Session, actor: Actor, agent_id: str, data: dict[str, Any],
               channel_ids: list[str]) -> AgentSaved:
    """The agent's form and the channels it answers, saved together."""
    agents.update_agent(session, actor, agent_id, data)
    agents.set_channels(session, actor, agent_id, channel_ids)
    view = agents.get_agent(session, actor, agent_id)
    return AgentSaved(agent=view, channels=agent_channels(session, actor, agent_id),
                      rules_not_followed=brain.rules_not_followed(
                          ai_provider(session, actor).provider, view.rules))


@dataclass
class AgentOption:
    """An agent a channel can be given to (a state var)."""

    id: str = ""
    name: str = ""


def agent_options(session: Session, actor: Actor) -> list[AgentOption]:
    rows, _ = records.list_page(session, actor, "agents", limit=200)
    return sorted((AgentOption(id=str(a["id"]), name=a["name"]) for a in rows),
                  key=lambda a: a.name.lower())


@dataclass
class FailedEvent:
    """An inbound webhook event that could not be processed (a state var)."""

    id: str = ""
    channel_name: str = ""
    received_at: str = ""  # ISO 8601
    attempts: int = 0
    error: str = ""


@dataclass(frozen=True)
class ChannelsPage:
    channels: list[channels.ChannelView]
    agents: list[AgentOption]
    can_manage: bool
    failed: list[FailedEvent] = field(default_factory=list)  # admins only


def channels_page(session: Session, actor: Actor) -> ChannelsPage:
    views = channels.list_channels(session, actor)
    can_manage = actor.can(Permission.CHANNELS_MANAGE)
    failed: list[FailedEvent] = []
    if can_manage:
        rows, _ = records.list_page(session, actor, "inbound_events", limit=FAILED_SHOWN,
                                    filters={"status": "failed"})
        names = {v.id: v.name for v in views}
        failed = [FailedEvent(id=str(e["id"]), channel_name=names.get(str(e["channel_id"]), ""),
                              received_at=e["received_at"].isoformat() if e["received_at"] else "",
                              attempts=int(e["attempts"] or 0), error=(e["error"] or "")[:2000])
                  for e in rows]
    return ChannelsPage(channels=views, agents=agent_options(session, actor),
                        can_manage=can_manage, failed=failed)


@dataclass(frozen=True)
class ChannelPage:
    channel: channels.ChannelView
    agents: list[AgentOption]
    can_manage: bool


def channel_page(session: Session, actor: Actor, channel_id: str) -> ChannelPage:
    return ChannelPage(channel=channels.get_channel(session, actor, channel_id),
                       agents=agent_options(session, actor),
                       can_manage=actor.can(Permission.CHANNELS_MANAGE))


@dataclass(frozen=True)
class VisitorChat:
    lines: list[webchat.ChatLine]
    widget: webchat.Widget | None  # asked for on opening and on quiet ticks only


def visitor_chat(session: Session, channel_id: str, thread: str, *,
                 with_widget: bool) -> VisitorChat:
    """The public web chat's history for one visitor, and the widget's texts (no actor:
    the visitor has no account; the thread id is the visitor's per-channel key)."""
    return VisitorChat(lines=webchat.history(session, channel_id, thread),
                       widget=webchat.widget(session, channel_id) if with_widget else None)
