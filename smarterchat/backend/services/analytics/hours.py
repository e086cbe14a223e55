"""Business hours as a SQL condition on a UTC second, in the organisation's zone.

Until the organisation settings carry breaks and holidays (``services/business_hours``),
the hours are those the AI already follows (``Organization.business_hours``, as
``{"mon": ["09:00", "18:00"], ...}``, read by ``ai_turn.in_business_hours``); none set
means always open. This module is the one place to change when the richer hours land.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from smarterchat.backend.models import Organization
from smarterchat.backend.services.analytics.periods import Segment
from smarterchat.backend.services.analytics.sql import DAY, floor_div, local_seconds

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def within_hours(org: Organization, segments: list[Segment]) -> Callable[[Any], Any]:
    """A function turning a UTC-seconds expression into "it fell within business hours"."""
    spans = {day: span for day, span in (org.business_hours or {}).items()
             if day in WEEKDAYS and isinstance(span, list | tuple) and len(span) == 2}
    if not spans:
        return lambda seconds: sa.true()

    def condition(seconds: Any) -> Any:
        local = local_seconds(seconds, segments)
        weekday = (floor_div(local, sa.literal(float(DAY))) + 3) % 7  # 1970-01-01 was a Thursday
        minute = floor_div(local, sa.literal(60.0)) % 1440
        return sa.or_(*(sa.and_(weekday == WEEKDAYS.index(day), minute >= _minutes(span[0]),
                                minute < _minutes(span[1])) for day, span in spans.items()))

    return condition


def everything(seconds: Any) -> Any:
    return sa.true()
