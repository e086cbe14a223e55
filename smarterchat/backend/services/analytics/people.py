"""The consultant leaderboard: who handled how many conversations, how fast, how well."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import Conversation, User
from smarterchat.backend.services.analytics import clocks
from smarterchat.backend.services.analytics.dto import ConsultantRow, Stats
from smarterchat.backend.services.analytics.scope import Scope


def csat_by_consultant(session: Session, scope: Scope, f: sa.Table) -> dict[uuid.UUID, float]:
    """Average customer rating (1-5) per consultant, over the conversations resolved in the
    period that the customer rated; a consultant with no rating has no entry, and the
    column stays hidden while nobody has one."""
    p = scope.period
    rating = col(Conversation.csat_rating)
    rows = session.execute(
        sa.select(f.c.assignee_id, sa.func.avg(rating))
        .join(Conversation, col(Conversation.id) == f.c.conversation_id)
        .where(f.c.assignee_id.is_not(None), rating.is_not(None),
               clocks.resolved_in(f, p.start_s, p.end_s))
        .group_by(f.c.assignee_id)).all()
    return {user_id: round(float(average), 2) for user_id, average in rows}


def leaderboard(session: Session, f: sa.Table, scope: Scope, within: clocks.Within
                ) -> list[ConsultantRow]:
    """Conversations started or resolved in the period, by their assignee."""
    p = scope.period
    in_period = sa.or_(clocks.started(f, p.start_s, p.end_s),
                       clocks.resolved_in(f, p.start_s, p.end_s))
    assigned = f.c.assignee_id.is_not(None)
    handled = dict(session.execute(
        sa.select(f.c.assignee_id, sa.func.count()).where(assigned, in_period)
        .group_by(f.c.assignee_id)).all())
    if not handled:
        return []
    first: dict[Any, Stats] = clocks.stats_by(
        session, f.c.assignee_id, clocks.people_wait(f),
        sa.and_(assigned, clocks.started(f, p.start_s, p.end_s), within(clocks.reached(f))))
    done: dict[Any, Stats] = clocks.stats_by(
        session, f.c.assignee_id, clocks.resolution_time(f),
        sa.and_(assigned, clocks.resolved_in(f, p.start_s, p.end_s),
                within(clocks.resolution_start(f))))
    names = dict(session.execute(sa.select(col(User.id), col(User.name))
                                 .where(col(User.id).in_(list(handled)))).all())
    csat = csat_by_consultant(session, scope, f)
    rows = [ConsultantRow(user_id=str(user_id), name=str(names.get(user_id, "?")),
                          handled=int(count), first_response=first.get(user_id, Stats()),
                          resolution=done.get(user_id, Stats()), csat=csat.get(user_id))
            for user_id, count in handled.items()]
    return sorted(rows, key=lambda row: (-row.handled, row.name))
