"""When an organisation's team is at work: weekly hours with breaks, holidays, its zone.

The one place that answers "is the team in now?" and "when is it back?", for the AI's
"only in business hours" rule, the customer's waiting notice and analytics. Pure
functions of the stored hours and a time: no session, no clock unless none is given.

Stored on ``Organization.business_hours`` as::

    {"week": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]], "sat": [["22:00", "02:00"]]},
     "holidays": ["2026-12-25", ...]}

A day lists its spans; two spans with a gap between them are a break. A span whose end is
not after its start runs past midnight into the next day ("22:00"-"02:00"), and belongs to
the day it starts on: a holiday closes the spans that start on it. Times are the
organisation's wall clock (``Organization.timezone``). No hours at all means always open.
The older ``{"mon": ["09:00", "18:00"]}`` shape (one span per day) is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.errors import InvalidInput

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ZONE = "America/Sao_Paulo"
MAX_SPANS_PER_DAY = 4
MAX_HOLIDAYS = 100
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

Span = tuple[time, time]


@dataclass(frozen=True)
class Schedule:
    """An organisation's hours, parsed: spans per weekday (0 = Monday) and closed dates."""

    zone: ZoneInfo
    week: dict[int, list[Span]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    @property
    def always_open(self) -> bool:
        return not self.week


def zone_of(name: str | None) -> ZoneInfo:
    """The IANA zone by name; São Paulo's when none or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def schedule_for(org: Any) -> Schedule:
    """The schedule of an ``Organization`` (or anything with ``business_hours`` and
    ``timezone``). Malformed stored hours count as none."""
    try:
        return parse(org.business_hours or {}, org.timezone)
    except InvalidInput:
        return Schedule(zone_of(org.timezone))


def parse(raw: dict[str, Any], zone: str | None = None) -> Schedule:
    """A schedule from the stored (or submitted) shape; InvalidInput names what is wrong."""
    if not isinstance(raw, dict):
        raise InvalidInput("invalid_hours")
    week_raw = raw.get("week") if "week" in raw else {k: v for k, v in raw.items() if k in DAYS}
    if not isinstance(week_raw, dict) or set(week_raw) - set(DAYS):
        raise InvalidInput("invalid_hours")
    week: dict[int, list[Span]] = {}
    for index, day in enumerate(DAYS):
        spans = _spans(week_raw.get(day) or [])
        if spans:
            week[index] = spans
    return Schedule(zone_of(zone), week, frozenset(_holidays(raw.get("holidays") or [])))


def _spans(value: Any) -> list[Span]:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        value = [value]  # the older one-span-per-day shape
    if not isinstance(value, list) or len(value) > MAX_SPANS_PER_DAY:
        raise InvalidInput("invalid_hours")
    spans = []
    for span in value:
        if not (isinstance(span, list | tuple) and len(span) == 2
                and all(isinstance(v, str) and _HHMM.match(v) for v in span)):
            raise InvalidInput("invalid_hours")
        start, end = time.fromisoformat(span[0]), time.fromisoformat(span[1])
        if start == end:
            raise InvalidInput("invalid_hours")
        spans.append((start, end))
    spans.sort()
    for (start, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        # Only the day's last span may run past midnight, and spans may not overlap.
        if end < start or next_start < end:
            raise InvalidInput("invalid_hours")
    return spans


def _holidays(value: Any) -> list[date]:
    if not isinstance(value, list) or len(value) > MAX_HOLIDAYS:
        raise InvalidInput("invalid_holidays")
    try:
        return [date.fromisoformat(str(v)) for v in value]
    except ValueError as exc:
        raise InvalidInput("invalid_holidays") from exc


def to_stored(schedule: Schedule) -> dict[str, Any]:
    """The shape kept on the organisation, for a parsed schedule."""
    return {"week": {DAYS[i]: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in spans]
                     for i, spans in sorted(schedule.week.items())},
            "holidays": sorted(d.isoformat() for d in schedule.holidays)}


def _intervals(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """The open intervals that start on ``day`` (local), as aware datetimes."""
    if day in schedule.holidays:
        return []
    out = []
    for start, end in schedule.week.get(day.weekday(), []):
        begins = datetime.combine(day, start, schedule.zone)
        ends_on = day if end > start else day + timedelta(days=1)
        out.append((begins, datetime.combine(ends_on, end, schedule.zone)))
    return out


def is_open(schedule: Schedule, at: datetime | None = None) -> bool:
    """Whether the team is in at ``at`` (now by default)."""
    if schedule.always_open:
        return True
    local = (at or utcnow()).astimezone(schedule.zone)
    days = (local.date() - timedelta(days=1), local.date())  # yesterday's may run past midnight
    return any(begins <= local < ends for day in days for begins, ends in
               _intervals(schedule, day))


def next_opening(schedule: Schedule, at: datetime | None = None) -> datetime | None:
    """When the team is next in, from ``at``: ``at`` itself when open now, None when the
    schedule never opens (every weekday empty, or two years of holidays)."""
    now = at or utcnow()
    if is_open(schedule, now):
        return now
    local = now.astimezone(schedule.zone)
    for offset in range(0, 731):
        for begins, _ in _intervals(schedule, local.date() + timedelta(days=offset)):
            if begins > local:
                return begins
    return None


def in_business_hours(org: Any, at: datetime | None = None) -> bool:
    """The AI's rule and the waiting notice ask this of an ``Organization``."""
    return is_open(schedule_for(org), at)


# ------------------------------------------------------------------ Brazilian holidays

@dataclass(frozen=True)
class Holiday:
    day: date
    key: str  # ``holiday.<key>`` in the settings catalog


def easter(year: int) -> date:
    """Easter Sunday (Gregorian; the anonymous algorithm in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * leap) // 433
    month = (h + leap - 7 * m + 90) // 25
    return date(year, month, (h + leap - 7 * m + 33 * month + 19) % 32)


def brazilian_holidays(year: int) -> list[Holiday]:
    """National holidays (Lei 662/1949, 6.802/1980, 14.759/2023) and the national optional
    days most companies close on (Carnival, Good Friday, Corpus Christi), in date order."""
    sunday = easter(year)
    days = [
        Holiday(date(year, 1, 1), "new_year"),
        Holiday(sunday - timedelta(days=48), "carnival_monday"),
        Holiday(sunday - timedelta(days=47), "carnival"),
        Holiday(sunday - timedelta(days=2), "good_friday"),
        Holiday(date(year, 4, 21), "tiradentes"),
        Holiday(date(year, 5, 1), "labour_day"),
        Holiday(sunday + timedelta(days=60), "corpus_christi"),
        Holiday(date(year, 9, 7), "independence"),
        Holiday(date(year, 10, 12), "aparecida"),
        Holiday(date(year, 11, 2), "all_souls"),
        Holiday(date(year, 11, 15), "republic"),
        Holiday(date(year, 12, 25), "christmas"),
    ]
    if year >= 2024:
        days.append(Holiday(date(year, 11, 20), "black_consciousness"))
    return sorted(days, key=lambda h: h.day)
