"""The inbox's reads, each run in one session as the signed-in actor: what ``load``
shows, what a live refresh re-reads, and the few reads the inbox service does not offer
as such (one conversation's row, the channels and labels for the filters).

Every read here checks ``conversations.view`` and filters by the actor's organisation,
like the services it sits next to.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from smarterchat.backend.models import Agent, Channel, Conversation
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import inbox
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import ServiceError
from smarterchat.state.inbox_items import Option

THREAD_PAGE = 30


def channel_options(session: Session, actor: Actor) -> list[Option]:
    """The organisation's channels, for the list's filter (consultants may not manage them)."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    rows = session.exec(select(Channel.id, Channel.name).where(
        Channel.organization_id == actor.require_org()).order_by(Channel.name)).all()
    return [Option(str(cid), name) for cid, name in rows]


def agent_options(session: Session, actor: Actor) -> list[Option]:
    """The organisation's AI agents, for the list's filter."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    rows = session.exec(select(Agent.id, Agent.name).where(
        Agent.organization_id == actor.require_org()).order_by(Agent.name)).all()
    return [Option(str(aid), name) for aid, name in rows]


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


def listing(session: Session, actor: Actor, *, query: dict, limit: int) -> Listing:
    """A page of the list, and the counts of "mine" and "waiting" for the badges."""
    page = inbox.list_conversations(session, actor, limit=limit, **query)
    counts = inbox.counts(session, actor)
    return Listing(page, counts.mine, counts.waiting)


@dataclass
class Setup:
    listing: Listing
    me: str
    org: str
    can_assign: bool
    people: list[dict]
    teams: list[dict]
    channels: list[Option]
    agents: list[Option]
    labels: list[str]


def setup(session: Session, actor: Actor, *, query: dict, limit: int) -> Setup:
    return Setup(listing(session, actor, query=query, limit=limit), str(actor.user_id),
                 str(actor.require_org()), actor.can(Permission.CONVERSATIONS_ASSIGN),
                 inbox.consultants(session, actor), inbox.team_targets(session, actor),
                 channel_options(session, actor), agent_options(session, actor),
                 labels_in_use(session, actor))


def people(session: Session, actor: Actor) -> tuple[list[dict], list[dict]]:
    """Who and which teams a conversation can go to, with who is online: re-read when
    presence or the teams change."""
    return inbox.consultants(session, actor), inbox.team_targets(session, actor)


@dataclass
class Opened:
    row: inbox.ConversationRow
    messages: list[inbox.ThreadMessage] | None
    panel: inbox.ContactPanel | None


def opened(session: Session, actor: Actor, conversation_id: str, *,
           thread_only: bool = False) -> Opened:
    """A conversation's row, latest messages and contact; on screen now, so read."""
    row = inbox.conversation_row(session, actor, conversation_id)
    messages = inbox.thread(session, actor, conversation_id, limit=THREAD_PAGE)
    panel = None if thread_only else inbox.contact_panel(session, actor, conversation_id)
    if row.unread_count:
        inbox.mark_read(session, actor, conversation_id)
    return Opened(row, messages, panel)


def rows(session: Session, actor: Actor, ids: list[str]) -> list[inbox.ConversationRow]:
    found = []
    for cid in ids:
        with contextlib.suppress(ServiceError):
            found.append(inbox.conversation_row(session, actor, cid))
    return found
