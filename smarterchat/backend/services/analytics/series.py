"""Charts over time: one point per local hour ("today") or local day of the period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import AIUsage, Channel, Conversation
from smarterchat.backend.services.analytics import clocks
from smarterchat.backend.services.analytics.dto import Chart, Series
from smarterchat.backend.services.analytics.periods import Period
from smarterchat.backend.services.analytics.scope import Scope, in_period
from smarterchat.backend.services.analytics.sql import DAY, HOUR, bucket, epoch

EPOCH_DAY = 719_163  # date(1970, 1, 1).toordinal()


def bucket_keys(period: Period) -> list[int]:
    first = period.first_day.toordinal() - EPOCH_DAY
    if period.hourly:
        return [first * 24 + hour for hour in range(24)]
    return list(range(first, first + period.days))


def bucket_labels(period: Period) -> list[str]:
    if period.hourly:
        return [f"{period.first_day.isoformat()} {hour:02d}:00" for hour in range(24)]
    return [(period.first_day + timedelta(days=i)).isoformat() for i in range(period.days)]


def _size(period: Period) -> int:
    return HOUR if period.hourly else DAY


def _per_bucket(session: Session, period: Period, seconds: Any, value: Any, where: Any,
                *groups: Any) -> list[tuple[Any, ...]]:
    key = bucket(seconds, period.segments, _size(period))
    return [tuple(row) for row in session.execute(
        sa.select(key, *groups, value).where(where).group_by(key, *groups)).all()]


def _line(period: Period, counts: dict[int, float]) -> list[float]:
    return [float(counts.get(key, 0)) for key in bucket_keys(period)]


def _in(seconds: Any, period: Period) -> Any:
    return sa.and_(seconds >= period.start_s, seconds < period.end_s)


def volume(session: Session, f: sa.Table, scope: Scope) -> Chart:
    """New conversations per channel (bars), resolved and reopened (lines)."""
    p = scope.period
    names = dict(session.execute(sa.select(col(Channel.id), col(Channel.name))
                                 .where(col(Channel.organization_id) == scope.org_id)).all())
    new: dict[Any, dict[int, float]] = {}
    for key, channel_id, count in _per_bucket(session, p, f.c.created_s, sa.func.count(),
                                              _in(f.c.created_s, p), f.c.channel_id):
        new.setdefault(channel_id, {})[key] = count
    resolved = dict(_per_bucket(session, p, f.c.resolved_s, sa.func.count(),
                                clocks.resolved_in(f, p.start_s, p.end_s)))
    reopened = dict(_per_bucket(session, p, f.c.last_reopen_s, sa.func.count(),
                                _in(f.c.last_reopen_s, p)))
    series = [Series(name=str(names.get(channel_id, "?")), values=_line(p, counts))
              for channel_id, counts in sorted(new.items(), key=lambda kv: str(names.get(kv[0])))]
    series += [Series(name="resolved", values=_line(p, resolved), kind="line"),
               Series(name="reopened", values=_line(p, reopened), kind="line")]
    return Chart(key="volume", x=bucket_labels(p), series=series)


def contacts(session: Session, f: sa.Table, scope: Scope) -> Chart:
    p = scope.period
    counts = dict(_per_bucket(session, p, f.c.created_s,
                              sa.func.count(sa.distinct(f.c.contact_id)), _in(f.c.created_s, p)))
    return Chart(key="contacts", x=bucket_labels(p),
                 series=[Series(name="contacts", values=_line(p, counts))])


def ai_share(session: Session, f: sa.Table, scope: Scope) -> Chart:
    """Per bucket of resolution: the share (%) of resolved conversations the AI resolved alone."""
    p = scope.period
    rows = _per_bucket(session, p, f.c.resolved_s, sa.func.count(),
                       clocks.resolved_in(f, p.start_s, p.end_s),
                       sa.case((clocks.resolved_by_ai(f), 1), else_=0))
    totals: dict[int, int] = {}
    alone: dict[int, int] = {}
    for key, by_ai, count in rows:
        totals[key] = totals.get(key, 0) + count
        if by_ai:
            alone[key] = count
    share = {key: round(100 * alone.get(key, 0) / total, 1) for key, total in totals.items()}
    return Chart(key="ai_share", x=bucket_labels(p), series=[
        Series(name="ai_share", values=_line(p, share), kind="line")])


def scoped(column: Any, scope: Scope) -> Any:
    """Rows of the scope's conversations (no sub-query when only the organisation filters)."""
    if not scope.filtered:
        return sa.true()
    return col(column).in_(sa.select(col(Conversation.id)).where(*scope.conditions))


def ai_cost(session: Session, scope: Scope) -> Chart:
    """AI spend in US dollars per bucket; filters apply through the usage's conversation."""
    p = scope.period
    where = [col(AIUsage.organization_id) == scope.org_id, in_period(col(AIUsage.created_at), p.start, p.end),
             scoped(col(AIUsage.conversation_id), scope)]
    micro = dict(_per_bucket(session, p, epoch(col(AIUsage.created_at)),
                             sa.func.sum(col(AIUsage.cost_micro_usd)), sa.and_(*where)))
    dollars = {key: round(value / 1_000_000, 4) for key, value in micro.items()}
    return Chart(key="ai_cost", x=bucket_labels(p),
                 series=[Series(name="ai_cost", values=_line(p, dollars))])
