"""One row of facts per conversation, computed once per dashboard.

Most charts need the same per-conversation facts (when the customer first wrote, when the
AI first answered, when it reached people, the first human reply, reopenings, whether the
customer came back within 24 hours). They come from one grouped pass over the period's
messages, kept in a temporary table for the duration of the request, so each chart's query
reads a narrow table instead of scanning the messages again. Timestamps are stored as UTC
seconds (see ``sql.epoch``); the rows cover the period and the one before it, for the
headline cards' comparison.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from smarterchat.backend.models import AuthorKind, Conversation, ConversationStatus, Message
from smarterchat.backend.services.analytics.scope import Scope
from smarterchat.backend.services.analytics.sql import DAY, epoch
from smarterchat.backend.services.transitions import Move

# Moves after which people have the conversation: their first-response clock starts.
TO_PEOPLE = (Move.HANDOFF, Move.TAKE_OVER, Move.AUTO_ASSIGN, Move.TRANSFER, Move.TRANSFER_TEAM)
COME_BACK_S = DAY  # an AI resolution counts only if the customer stays away this long


def _columns() -> list[sa.Column[Any]]:
    seconds = ("created_s", "resolved_s", "first_contact_s", "first_ai_s", "reached_s",
               "first_human_s", "last_reopen_s")
    return [
        sa.Column("conversation_id", sa.Uuid, primary_key=True),
        *(sa.Column(name, sa.Uuid) for name in ("channel_id", "agent_id", "team_id",
                                                "assignee_id", "contact_id")),
        sa.Column("resolved", sa.Integer),
        *(sa.Column(name, sa.Float) for name in seconds),
        *(sa.Column(name, sa.Integer) for name in ("human_messages", "ai_messages", "reopens",
                                                   "came_back")),
        sa.Column("handoff_reason", sa.String(200)),
    ]


def _came_back(conversation: Any) -> Any:
    """The same customer wrote again on the same channel within 24 hours of resolution."""
    later = aliased(Conversation)
    return sa.exists().where(
        col(later.contact_id) == conversation.contact_id, col(later.channel_id) == conversation.channel_id,
        col(later.id) != conversation.id, col(later.created_at) > conversation.resolved_at,
        epoch(col(later.created_at)) < epoch(conversation.resolved_at) + COME_BACK_S)


def _in_range(scope: Scope) -> Any:
    """Started or resolved in the period or the one before (two index range scans)."""
    c, period = Conversation, scope.period
    return sa.or_(
        sa.and_(col(c.created_at) >= period.previous_start, col(c.created_at) < period.end),
        sa.and_(col(c.resolved_at) >= period.previous_start, col(c.resolved_at) < period.end))


def _conversations(scope: Scope) -> Any:
    return sa.select(col(Conversation.id)).where(*scope.conditions, _in_range(scope))


def _per_conversation(scope: Scope, since: datetime | None) -> Any:
    """Their messages, grouped by conversation (a hash aggregate, before any join). None of
    them is older than the oldest of those conversations (``since``): the time bound lets
    the organisation-and-time index read only the period's messages."""
    m = Message
    at, kind = epoch(col(m.created_at)), col(m.author_kind)
    event = sa.case((sa.and_(kind == AuthorKind.SYSTEM, col(m.content_type) == "event"),
                     col(m.extra)["event"].as_string()))
    human = sa.and_(kind == AuthorKind.CONSULTANT, sa.not_(col(m.is_private)))
    return sa.select(
        col(m.conversation_id).label("conversation_id"),
        sa.func.min(sa.case((kind == AuthorKind.CONTACT, at))).label("first_contact_s"),
        sa.func.min(sa.case((kind == AuthorKind.AI, at))).label("first_ai_s"),
        sa.func.min(sa.case((event.in_([str(x) for x in TO_PEOPLE]), at))).label("reached_s"),
        sa.func.min(sa.case((human, at))).label("first_human_s"),
        sa.func.max(sa.case((event == Move.REOPEN, at))).label("last_reopen_s"),
        sa.func.count(sa.case((human, 1))).label("human_messages"),
        sa.func.count(sa.case((kind == AuthorKind.AI, 1))).label("ai_messages"),
        sa.func.count(sa.case((event == Move.REOPEN, 1))).label("reopens"),
        # One reason per conversation, so the chart counts conversations: the first in
        # alphabetical order when the AI handed it over for several.
        sa.func.min(sa.case((event == Move.HANDOFF, col(m.extra)["reason"].as_string())))
        .label("handoff_reason"),
    ).where(col(m.organization_id) == scope.org_id,
            col(m.created_at) >= since if since else sa.true(),
            col(m.conversation_id).in_(_conversations(scope))
            ).group_by(col(m.conversation_id)).subquery()


def facts_query(scope: Scope, since: datetime | None = None) -> Any:
    c = Conversation
    per = _per_conversation(scope, since)
    resolved = col(c.status) == ConversationStatus.RESOLVED
    zero = sa.literal(0)
    return (
        sa.select(
            col(c.id), col(c.channel_id), col(c.agent_id), col(c.team_id), col(c.assignee_id),
            col(c.contact_id), sa.case((resolved, 1), else_=0),
            epoch(col(c.created_at)), sa.case((resolved, epoch(col(c.resolved_at)))),
            per.c.first_contact_s, per.c.first_ai_s, per.c.reached_s, per.c.first_human_s,
            per.c.last_reopen_s, sa.func.coalesce(per.c.human_messages, zero),
            sa.func.coalesce(per.c.ai_messages, zero), sa.func.coalesce(per.c.reopens, zero),
            # Looked up only for what could be an AI resolution (CASE stops early).
            sa.case((sa.and_(resolved, per.c.human_messages == 0, per.c.ai_messages > 0,
                             per.c.reopens == 0, _came_back(c)), 1), else_=0),
            per.c.handoff_reason,
        )
        .select_from(c)
        .outerjoin(per, per.c.conversation_id == col(c.id))
        .where(*scope.conditions, _in_range(scope))
    )


_ORDER = ("conversation_id", "channel_id", "agent_id", "team_id", "assignee_id", "contact_id",
          "resolved", "created_s", "resolved_s", "first_contact_s", "first_ai_s", "reached_s",
          "first_human_s", "last_reopen_s", "human_messages", "ai_messages", "reopens",
          "came_back", "handoff_reason")


@contextmanager
def facts_table(session: Session, scope: Scope) -> Iterator[sa.Table]:
    """The facts of the scope's conversations in a temporary table, dropped afterwards."""
    table = sa.Table(f"analytics_facts_{uuid.uuid4().hex[:12]}", sa.MetaData(), *_columns(),
                     prefixes=["TEMPORARY"])
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # For this read's transaction only: the grouping fits in memory instead of sorting
        # on disk, and short analytical queries are not worth JIT compilation.
        connection.execute(sa.text("SET LOCAL work_mem = '64MB'"))
        connection.execute(sa.text("SET LOCAL jit = off"))
    table.create(connection)
    since = session.execute(sa.select(sa.func.min(col(Conversation.created_at)))
                            .where(*scope.conditions, _in_range(scope))).scalar()
    connection.execute(table.insert().from_select(list(_ORDER), facts_query(scope, since)))
    # On an error the caller's rollback takes the table away with the transaction.
    yield table
    table.drop(connection)
