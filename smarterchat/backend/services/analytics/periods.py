"""Which days a report covers, in the organisation's time zone, and the period before.

A period is whole local days ``[start, end)``: "today" is local midnight to the next
midnight, "7 days" the last seven local days including today, "this month" the first of
the month to tomorrow, "custom" two local dates, both included. The previous period is the
same length just before. ``segments`` lists the zone's UTC offset for each stretch between
daylight-saving changes, so SQL can turn UTC seconds into local time on any database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smarterchat.backend.services.errors import InvalidInput

DEFAULT_ZONE = "America/Sao_Paulo"
MAX_DAYS = 366


class PeriodKind(StrEnum):
    TODAY = "today"
    LAST_7_DAYS = "7d"
    LAST_30_DAYS = "30d"
    THIS_MONTH = "month"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Segment:
    """From ``starts`` (UTC seconds) on, local time is UTC plus ``offset`` seconds."""

    starts: float
    offset: int


@dataclass(frozen=True)
class Period:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    previous_start: datetime
    first_day: date  # local
    days: int
    hourly: bool  # one-day periods are charted by hour
    zone: str
    segments: list[Segment]

    @property
    def start_s(self) -> float:
        return self.start.timestamp()

    @property
    def end_s(self) -> float:
        return self.end.timestamp()

    @property
    def previous_s(self) -> float:
        return self.previous_start.timestamp()


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def local_days(kind: str, today: date, first: date | None, last: date | None) -> tuple[date, date]:
    """The first and last local day (both included) of a period of this kind."""
    if kind == PeriodKind.TODAY:
        return today, today
    if kind == PeriodKind.LAST_7_DAYS:
        return today - timedelta(days=6), today
    if kind == PeriodKind.LAST_30_DAYS:
        return today - timedelta(days=29), today
    if kind == PeriodKind.THIS_MONTH:
        return today.replace(day=1), today
    if kind != PeriodKind.CUSTOM:
        raise InvalidInput("analytics_period")
    if first is None or last is None or last < first:
        raise InvalidInput("analytics_period_range")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput("analytics_period_too_long", max=MAX_DAYS)
    return first, last


def _offset(zone: ZoneInfo, at: datetime) -> int:
    delta = at.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta else 0


def segments(zone: ZoneInfo, start: datetime, end: datetime) -> list[Segment]:
    """The zone's offsets between ``start`` and ``end``, each change found to the second."""
    found = [Segment(start.timestamp(), _offset(zone, start))]
    step = timedelta(hours=6)
    at = start
    while at < end:
        nxt = min(at + step, end)
        if _offset(zone, nxt) != found[-1].offset:
            low, high = at, nxt
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                low, high = (mid, high) if _offset(zone, mid) == found[-1].offset else (low, mid)
            found.append(Segment(high.replace(microsecond=0).timestamp(), _offset(zone, high)))
        at = nxt
    return found


def resolve(kind: str, zone_name: str | None, now: datetime, *, first: date | None = None,
            last: date | None = None) -> Period:
    zone = zone_of(zone_name)
    first_day, last_day = local_days(kind, now.astimezone(zone).date(), first, last)
    days = (last_day - first_day).days + 1
    start, end = _midnight(first_day, zone), _midnight(last_day + timedelta(days=1), zone)
    previous = _midnight(first_day - timedelta(days=days), zone)
    return Period(start=start, end=end, previous_start=previous, first_day=first_day, days=days,
                  hourly=days == 1, zone=zone.key,
                  segments=segments(zone, previous - timedelta(days=1), end + timedelta(days=1)))
