"""The headline cards: each figure for the period and the same-length period before it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import AIUsage
from smarterchat.backend.services.analytics import clocks
from smarterchat.backend.services.analytics.dto import Card, Stats
from smarterchat.backend.services.analytics.scope import Scope
from smarterchat.backend.services.analytics.series import scoped


def _windows(scope: Scope) -> tuple[tuple[float, float], tuple[float, float]]:
    p = scope.period
    return (p.start_s, p.end_s), (p.previous_s, p.start_s)


def _counts(session: Session, f: sa.Table, scope: Scope) -> list[dict[str, Any]]:
    """Per window: started, resolved, resolved by the AI, contacts, with the AI, handed over."""
    columns = []
    for lo, hi in _windows(scope):
        began, done = clocks.started(f, lo, hi), clocks.resolved_in(f, lo, hi)
        with_ai = sa.and_(began, f.c.agent_id.is_not(None))
        columns += [
            sa.func.count(sa.case((began, 1))),
            sa.func.count(sa.case((done, 1))),
            sa.func.count(sa.case((sa.and_(done, clocks.resolved_by_ai(f)), 1))),
            sa.func.count(sa.distinct(sa.case((began, f.c.contact_id)))),
            sa.func.count(sa.case((with_ai, 1))),
            sa.func.count(sa.case((sa.and_(with_ai, f.c.reached_s.is_not(None)), 1))),
        ]
    row = session.execute(sa.select(*columns)).one()
    names = ("started", "resolved", "by_ai", "contacts", "with_ai", "handed")
    return [dict(zip(names, row[i:i + 6], strict=True)) for i in (0, 6)]


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _medians(session: Session, f: sa.Table, scope: Scope, value: Any, window: Any,
             within: Any) -> list[Stats]:
    (lo, hi), (plo, phi) = _windows(scope)
    group = sa.case((window(f, lo, hi), 1), (window(f, plo, phi), 0))
    found = clocks.stats_by(session, group, value, sa.and_(group.is_not(None), within))
    return [found.get(1, Stats()), found.get(0, Stats())]


def _ai_cost(session: Session, scope: Scope) -> list[float]:
    spent = []
    for lo, hi in _windows(scope):
        micro = session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(col(AIUsage.cost_micro_usd)), 0))
            .where(col(AIUsage.organization_id) == scope.org_id,
                   col(AIUsage.created_at) >= _utc(lo), col(AIUsage.created_at) < _utc(hi),
                   scoped(col(AIUsage.conversation_id), scope))).scalar_one()
        spent.append(round(int(micro) / 1_000_000, 4))
    return spent


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def cards(session: Session, f: sa.Table, scope: Scope, within: clocks.Within) -> list[Card]:
    now, before = _counts(session, f, scope)
    first = _medians(session, f, scope, clocks.people_wait(f), clocks.started,
                     within(clocks.reached(f)))
    done = _medians(session, f, scope, clocks.resolution_time(f), clocks.resolved_in,
                    within(clocks.resolution_start(f)))
    cost = _ai_cost(session, scope)
    return [
        Card(key="conversations", unit="count", value=now["started"], previous=before["started"]),
        Card(key="resolved", unit="count", value=now["resolved"], previous=before["resolved"]),
        Card(key="contacts", unit="count", value=now["contacts"], previous=before["contacts"]),
        Card(key="ai_resolved", unit="percent", value=_share(now["by_ai"], now["resolved"]),
             previous=_share(before["by_ai"], before["resolved"])),
        Card(key="handoff_rate", unit="percent", value=_share(now["handed"], now["with_ai"]),
             previous=_share(before["handed"], before["with_ai"])),
        Card(key="first_response", unit="seconds", value=first[0].median,
             previous=first[1].median),
        Card(key="resolution", unit="seconds", value=done[0].median, previous=done[1].median),
        Card(key="ai_cost", unit="usd", value=cost[0], previous=cost[1]),
    ]
