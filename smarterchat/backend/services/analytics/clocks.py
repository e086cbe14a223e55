"""The clocks of a conversation, read from its facts row, and their distributions.

- people's first response: from the moment it reached people (the first handoff, take-over,
  assignment or transfer; its creation when no AI took part) to the first reply a person
  sent the customer (private notes do not count);
- the AI's first response: from the customer's first message to the AI's first reply;
- resolution: from the start (or the latest reopening) to resolved;
- resolved by the AI: resolved, the AI answered, no person wrote, never reopened, and the
  customer did not write again on that channel within 24 hours.
Percentiles are nearest-rank, computed in SQL with window functions (both databases).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from smarterchat.backend.services.analytics.dto import Chart, Distribution, Series, Stats
from smarterchat.backend.services.analytics.scope import Scope
from smarterchat.backend.services.analytics.sql import percentile_ranks

# Upper edges of the duration bins, in seconds (the last bin is open).
BINS = (60, 300, 900, 3_600, 4 * 3_600, 24 * 3_600)
BIN_LABELS = ("<1m", "1-5m", "5-15m", "15-60m", "1-4h", "4-24h", ">24h")


def reached(f: sa.Table) -> Any:
    return sa.func.coalesce(f.c.reached_s, sa.case((f.c.ai_messages == 0, f.c.created_s)))


def people_wait(f: sa.Table) -> Any:
    start = reached(f)
    return sa.case((f.c.first_human_s >= start, f.c.first_human_s - start))


def ai_wait(f: sa.Table) -> Any:
    return sa.case((f.c.first_ai_s >= f.c.first_contact_s, f.c.first_ai_s - f.c.first_contact_s))


def resolution_start(f: sa.Table) -> Any:
    return sa.func.coalesce(f.c.last_reopen_s, f.c.created_s)


def resolution_time(f: sa.Table) -> Any:
    return sa.case((f.c.resolved == 1, f.c.resolved_s - resolution_start(f)))


def resolved_by_ai(f: sa.Table) -> Any:
    return sa.and_(f.c.resolved == 1, f.c.ai_messages > 0, f.c.human_messages == 0,
                   f.c.reopens == 0, f.c.came_back == 0)


def started(f: sa.Table, start: float, end: float) -> Any:
    return sa.and_(f.c.created_s >= start, f.c.created_s < end)


def resolved_in(f: sa.Table, start: float, end: float) -> Any:
    return sa.and_(f.c.resolved == 1, f.c.resolved_s >= start, f.c.resolved_s < end)


def stats_by(session: Session, group: Any, value: Any, where: Any) -> dict[Any, Stats]:
    """Count, median and p90 of ``value`` per ``group``, over the rows ``where`` selects."""
    ranked = sa.select(
        group.label("g"), value.label("v"),
        sa.func.row_number().over(partition_by=group, order_by=value).label("rn"),
        sa.func.count().over(partition_by=group).label("n"),
    ).where(where, value.is_not(None)).subquery()
    rows = session.execute(sa.select(
        ranked.c.g, sa.func.max(ranked.c.n),
        percentile_ranks(ranked.c.rn, ranked.c.n, ranked.c.v, (1, 2)),
        percentile_ranks(ranked.c.rn, ranked.c.n, ranked.c.v, (9, 10)),
    ).group_by(ranked.c.g)).all()
    return {g: Stats(count=int(n), median=_num(med), p90=_num(p90)) for g, n, med, p90 in rows}


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)


def _bin(value: Any) -> Any:
    return sa.case(*((value < edge, index) for index, edge in enumerate(BINS)), else_=len(BINS))


def _histogram(session: Session, value: Any, where: Any) -> list[float]:
    index = _bin(value)  # one object: PostgreSQL matches the GROUP BY by its parameters
    rows = dict(session.execute(sa.select(index, sa.func.count())
                                .where(where, value.is_not(None)).group_by(index)).all())
    return [float(rows.get(i, 0)) for i in range(len(BIN_LABELS))]


def _clock_stats(session: Session, value: Any, where: Any) -> Stats:
    return stats_by(session, sa.literal(1), value, where).get(1, Stats())


# Restricts a clock to those that started inside business hours (or lets all through).
Within = Callable[[Any], Any]


def first_response(session: Session, f: sa.Table, scope: Scope, within: Within) -> Distribution:
    """People's and the AI's first response for conversations started in the period."""
    p = scope.period
    base = started(f, p.start_s, p.end_s)
    clocks = {"people": (people_wait(f), sa.and_(base, within(reached(f)))),
              "ai": (ai_wait(f), sa.and_(base, within(f.c.first_contact_s)))}
    return Distribution(
        chart=Chart(key="first_response", x=list(BIN_LABELS), series=[
            Series(name=name, values=_histogram(session, value, where))
            for name, (value, where) in clocks.items()]),
        stats={name: _clock_stats(session, value, where)
               for name, (value, where) in clocks.items()})


def resolution(session: Session, f: sa.Table, scope: Scope, within: Within) -> Distribution:
    """Resolution time of conversations resolved in the period: by the AI alone, with people."""
    p = scope.period
    base = sa.and_(resolved_in(f, p.start_s, p.end_s), within(resolution_start(f)))
    parts = {"people": sa.not_(resolved_by_ai(f)), "ai": resolved_by_ai(f)}  # as first_response
    value = resolution_time(f)
    return Distribution(
        chart=Chart(key="resolution", x=list(BIN_LABELS), series=[
            Series(name=name, values=_histogram(session, value, sa.and_(base, part)))
            for name, part in parts.items()]),
        stats={name: _clock_stats(session, value, sa.and_(base, part))
               for name, part in parts.items()})
