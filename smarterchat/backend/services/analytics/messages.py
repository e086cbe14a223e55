"""The period's messages, read once: counts per local hour, author and WhatsApp billing
category, from which the AI answers, the weekday-hour heatmap and the billing chart come.

One grouped scan of the organisation's messages of the period (index on organisation and
time) instead of one per chart; the hours are local hour numbers since 1970 (see
``sql.bucket``), so days and weekdays follow from them without another query.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import AuthorKind, Direction, Message
from smarterchat.backend.services.analytics.dto import Chart, Series
from smarterchat.backend.services.analytics.periods import Period
from smarterchat.backend.services.analytics.scope import Scope, in_period
from smarterchat.backend.services.analytics.series import bucket_keys, bucket_labels, scoped
from smarterchat.backend.services.analytics.sql import HOUR, bucket, epoch

COUNTED = (AuthorKind.CONTACT, AuthorKind.AI)


@dataclass(frozen=True)
class MessageCounts:
    by_hour: Counter[tuple[int, str]]  # (local hour number, author kind) -> messages
    billed: Counter[str]  # Meta pricing category -> billable messages


def count_messages(session: Session, scope: Scope) -> MessageCounts:
    p = scope.period
    pricing = col(Message.extra)["pricing"]
    billed = sa.case((sa.and_(col(Message.direction) == Direction.OUTBOUND,
                              pricing["billable"].as_boolean().is_not(False)),
                      pricing["category"].as_string()))
    kind = col(Message.author_kind)
    hour = bucket(epoch(col(Message.created_at)), p.segments, HOUR)
    counted = sa.case((kind.in_([str(k) for k in COUNTED]), kind))
    rows = session.execute(
        sa.select(hour, counted, billed, sa.func.count())
        .where(col(Message.organization_id) == scope.org_id,
               in_period(col(Message.created_at), p.start, p.end),
               sa.or_(counted.is_not(None), billed.is_not(None)),
               scoped(col(Message.conversation_id), scope))
        .group_by(hour, counted, billed)).all()
    by_hour: Counter[tuple[int, str]] = Counter()
    categories: Counter[str] = Counter()
    for local_hour, author, category, count in rows:
        if author:
            by_hour[(int(local_hour), str(author))] += int(count)
        if category:
            categories[str(category)] += int(count)
    return MessageCounts(by_hour=by_hour, billed=categories)


def _key(local_hour: int, period: Period) -> int:
    return local_hour if period.hourly else local_hour // 24


def ai_answers(counts: MessageCounts, scope: Scope) -> Chart:
    p = scope.period
    per: Counter[int] = Counter()
    for (local_hour, author), n in counts.by_hour.items():
        if author == AuthorKind.AI:
            per[_key(local_hour, p)] += n
    return Chart(key="ai_answers", x=bucket_labels(p), series=[
        Series(name="ai_answers", values=[float(per.get(k, 0)) for k in bucket_keys(p)])])


def heatmap(counts: MessageCounts) -> Chart:
    """Customer messages by local weekday (series, Monday first) and hour (x)."""
    grid: Counter[tuple[int, int]] = Counter()
    for (local_hour, author), n in counts.by_hour.items():
        if author == AuthorKind.CONTACT:
            grid[((local_hour // 24 + 3) % 7, local_hour % 24)] += n  # 1970-01-01: a Thursday
    return Chart(key="heatmap", x=[f"{h:02d}" for h in range(24)], series=[
        Series(name=f"weekday.{d}", values=[float(grid.get((d, h), 0)) for h in range(24)],
               kind="heatmap") for d in range(7)])


def whatsapp(counts: MessageCounts) -> Chart:
    """Messages Meta bills, by its pricing category, from the status webhooks' ``pricing``."""
    names = sorted(counts.billed)
    return Chart(key="whatsapp", x=names,
                 series=[Series(name="billable", values=[float(counts.billed[c]) for c in names])])
