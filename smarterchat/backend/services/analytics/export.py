"""CSV of one chart's data, and one row per conversation of the period."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import Channel, User
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.analytics import clocks
from smarterchat.backend.services.analytics.dto import Chart, ConsultantRow, FunnelRow
from smarterchat.backend.services.analytics.facts import facts_table
from smarterchat.backend.services.analytics.periods import zone_of
from smarterchat.backend.services.analytics.scope import Filters, scope_for

CONVERSATION_COLUMNS = (
    "conversation_id", "channel", "consultant", "started_at", "resolved_at", "status",
    "ai_first_response_s", "first_response_s", "resolution_s", "resolved_by_ai", "reopens",
    "human_messages", "ai_messages")


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def chart_csv(chart: Chart) -> str:
    """A column per series, a row per point (bucket, bin, reason or hour)."""
    header = ["x", *(s.name for s in chart.series)]
    rows = [[x, *(s.values[i] for s in chart.series)] for i, x in enumerate(chart.x)]
    return _csv(header, rows)


def leaderboard_csv(rows: list[ConsultantRow]) -> str:
    return _csv(("consultant", "handled", "first_response_median_s", "first_response_p90_s",
                 "resolution_median_s", "resolution_p90_s", "csat"),
                ((r.name, r.handled, r.first_response.median, r.first_response.p90,
                  r.resolution.median, r.resolution.p90, r.csat) for r in rows))


def funnel_csv(rows: list[FunnelRow]) -> str:
    temperatures = list(rows[0].by_temperature) if rows else []
    return _csv(("stage", "leads", "reached", "conversion_pct", *temperatures, "value_cents"),
                ((r.stage, r.leads, r.reached, r.conversion,
                  *(r.by_temperature[t] for t in temperatures), r.value_cents) for r in rows))


def _local(seconds: float | None, zone: Any) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).astimezone(zone).isoformat(timespec="seconds")


def conversations_csv(session: Session, actor: Actor, filters: Filters,
                      now: datetime | None = None) -> str:
    """One row per conversation started or resolved in the period, times in its zone."""
    scope = scope_for(session, actor, filters, now)
    p, zone = scope.period, zone_of(scope.period.zone)
    with facts_table(session, scope) as f:
        rows = session.execute(
            sa.select(f.c.conversation_id, col(Channel.name), col(User.name), f.c.created_s,
                      f.c.resolved_s, f.c.resolved, clocks.ai_wait(f), clocks.people_wait(f),
                      clocks.resolution_time(f), sa.case((clocks.resolved_by_ai(f), 1), else_=0),
                      f.c.reopens, f.c.human_messages, f.c.ai_messages)
            .outerjoin(Channel, col(Channel.id) == f.c.channel_id)
            .outerjoin(User, col(User.id) == f.c.assignee_id)
            .where(sa.or_(clocks.started(f, p.start_s, p.end_s),
                          clocks.resolved_in(f, p.start_s, p.end_s)))
            .order_by(f.c.created_s)).all()
        return _csv(CONVERSATION_COLUMNS, (
            (str(cid), channel or "", user or "", _local(created, zone), _local(resolved, zone),
             "resolved" if done else "open", _round(ai), _round(people), _round(took),
             "yes" if by_ai else "no", reopens, humans, ais)
            for cid, channel, user, created, resolved, done, ai, people, took, by_ai, reopens,
            humans, ais in rows))


def _round(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds:.0f}"
