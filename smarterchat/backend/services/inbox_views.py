"""The inbox pages' reads, each one call in one session as the signed-in actor: what the
inbox's ``load`` shows, what a live refresh re-reads, what the queue page shows, and the
few reads the inbox service does not offer as such (the channels, agents and labels for
the list's filters; the labels come from the database's JSON, one query per dialect).

Every read here checks ``conversations.view`` and filters by the actor's organisation,
like the services it sits next to.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from smarterchat.backend.models import Agent, Channel, Conversation
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import distribution, inbox, templates
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import lead_stages
from smarterchat.backend.services.errors import ServiceError

THREAD_PAGE = 30
QUEUE_SHOWN = 50  # the waiting conversations the queue page lists


@dataclass
class Option:
    """A choice in one of the list's filters (a state var: defaults, not frozen)."""

    value: str = ""
    label: str = ""


def channel_options(session: Session, actor: Actor) -> list[Option]:
    """The organisation's channels, for the list's filter (consultants may not manage them)."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    rows = session.exec(select(Channel.id, Channel.name).where(
        Channel.organization_id == actor.require_org()).order_by(Channel.name)).all()
    return [Option(value=str(cid), label=name) for cid, name in rows]


def agent_options(session: Session, actor: Actor) -> list[Option]:
    """The organisation's AI agents, for the list's filter."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    rows = session.exec(select(Agent.id, Agent.name).where(
        Agent.organization_id == actor.require_org()).order_by(Agent.name)).all()
    return [Option(value=str(aid), label=name) for aid, name in rows]


def labels_in_use(session: Session, actor: Actor, limit: int = 100) -> list[str]:
    """Distinct labels on the organisation's conversations, from the database's JSON."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    if session.get_bind().dialect.name == "postgresql":
        query = sa.text("SELECT DISTINCT jsonb_array_elements_text(labels) AS label "
                        "FROM conversation WHERE organization_id = :org ORDER BY 1 LIMIT :n")
    else:
        query = sa.text("SELECT DISTINCT j.value AS label FROM conversation, "
                        "json_each(conversation.labels) AS j WHERE organization_id = :org "
                        "ORDER BY 1 LIMIT :n")
    # The column's own type binds the id as each database stores it.
    query = query.bindparams(sa.bindparam("org", type_=sa.inspect(Conversation).columns["organization_id"].type))
    rows = session.connection().execute(query, {"org": actor.require_org(), "n": limit})
    return [str(label) for (label,) in rows]


@dataclass
class Listing:
    page: inbox.Page
    mine: int
    waiting: int


def listing(session: Session, actor: Actor, *, query: dict[str, Any], limit: int) -> Listing:
    """A page of the list, and the counts of "mine" and "waiting" for the badges."""
    page = inbox.list_conversations(session, actor, limit=limit, **query)
    counts = inbox.counts(session, actor)
    return Listing(page=page, mine=counts.mine, waiting=counts.waiting)


@dataclass
class Setup:
    listing: Listing
    me: str
    org: str
    can_assign: bool
    people: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    channels: list[Option]
    agents: list[Option]
    labels: list[str]
    stages: list[Option] = field(default_factory=list)  # the CRM's, for the stage filter


def setup(session: Session, actor: Actor, *, query: dict[str, Any], limit: int) -> Setup:
    return Setup(listing=listing(session, actor, query=query, limit=limit),
                 me=str(actor.user_id), org=str(actor.require_org()),
                 can_assign=actor.can(Permission.CONVERSATIONS_ASSIGN),
                 people=inbox.consultants(session, actor),
                 teams=inbox.team_targets(session, actor),
                 channels=channel_options(session, actor),
                 agents=agent_options(session, actor), labels=labels_in_use(session, actor),
                 stages=[Option(value=i, label=n)
                         for i, n in lead_stages.stage_options(session, actor)])


def people(session: Session, actor: Actor) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who and which teams a conversation can go to, with who is online: re-read when
    presence or the teams change."""
    return inbox.consultants(session, actor), inbox.team_targets(session, actor)


@dataclass
class Opened:
    row: inbox.ConversationRow
    messages: list[inbox.ThreadMessage] | None
    panel: inbox.ContactPanel | None
    templates: list[templates.Template]  # the channel's approved ones, read with the panel


def opened(session: Session, actor: Actor, conversation_id: str, *,
           thread_only: bool = False) -> Opened:
    """A conversation's row, latest messages and contact; on screen now, so read."""
    row = inbox.conversation_row(session, actor, conversation_id)
    messages = inbox.thread(session, actor, conversation_id, limit=THREAD_PAGE)
    panel = None if thread_only else inbox.contact_panel(session, actor, conversation_id)
    if row.unread_count:
        inbox.mark_read(session, actor, conversation_id)
    return Opened(row=row, messages=messages, panel=panel,
                  templates=[templates.from_meta(t) for t in panel.templates] if panel else [])


def rows(session: Session, actor: Actor, ids: list[str]) -> list[inbox.ConversationRow]:
    found = []
    for cid in ids:
        with contextlib.suppress(ServiceError):
            found.append(inbox.conversation_row(session, actor, cid))
    return found


@dataclass(frozen=True)
class Queue:
    overview: distribution.QueueOverview
    waiting: inbox.Page
    me: str
    org: str
    can_configure: bool


def queue(session: Session, actor: Actor) -> Queue:
    """What /inbox/queue shows: the distribution's overview and who waits, oldest first."""
    return Queue(overview=distribution.overview(session, actor),
                 waiting=inbox.list_conversations(session, actor, tab="waiting",
                                                  limit=QUEUE_SHOWN),
                 me=str(actor.user_id), org=str(actor.require_org()),
                 can_configure=actor.can(Permission.ORG_SETTINGS))


@dataclass(frozen=True)
class Badges:
    org: str  # whose real-time notices move them
    counts: inbox.Counts


def badges(session: Session, actor: Actor) -> Badges:
    """The sidebar's badges as a page opens, and the organisation to follow."""
    return Badges(org=str(actor.require_org()), counts=inbox.counts(session, actor))
