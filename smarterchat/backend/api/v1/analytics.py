"""/api/v1/analytics: the dashboard's figures, with the page's filters, and the
per-conversation CSV. A key's scopes decide as a role would: ``analytics.view`` (every
scope reads it) sees the organisation; without it one sees only one's own conversations."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import asdict
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import NOT_FOUND, ApiActor, documented
from smarterchat.backend.services import analytics
from smarterchat.backend.services.analytics import export
from smarterchat.backend.services.analytics.periods import MAX_DAYS
from smarterchat.backend.services.errors import InvalidInput, NotFound

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])

_FIRST, _LAST = date(2000, 1, 1), date(2099, 12, 31)


class Stats(BaseModel):
    count: int
    median: float | None
    p90: float | None


class Card(BaseModel):
    key: str
    unit: Literal["count", "percent", "seconds", "usd"]
    value: float | None
    previous: float | None


class Series(BaseModel):
    name: str
    values: list[float]
    kind: str


class Chart(BaseModel):
    key: str
    x: list[str]
    series: list[Series]


class Distribution(BaseModel):
    chart: Chart
    stats: dict[str, Stats]


class ConsultantRow(BaseModel):
    user_id: str
    name: str
    handled: int
    first_response: Stats
    resolution: Stats
    csat: float | None


class FunnelRow(BaseModel):
    stage: str
    kind: str
    leads: int
    reached: int
    conversion: float | None
    by_temperature: dict[str, int]
    value_cents: int


class Budget(BaseModel):
    month_spend_micro_usd: int
    monthly_budget_cents: int | None


class PeriodInfo(BaseModel):
    first_day: date
    last_day: date
    zone: str
    hourly: bool


class Dashboard(BaseModel):
    """The dashboard page's figures; definitions in the README's "Analytics" section."""

    period: PeriodInfo
    own_only: bool
    cards: list[Card]
    volume: Chart
    contacts: Chart
    ai_share: Chart
    handoffs: Chart
    ai_answers: Chart
    ai_cost: Chart
    whatsapp: Chart
    first_response: Distribution
    resolution: Distribution
    heatmap: Chart
    leaderboard: list[ConsultantRow]
    funnel: list[FunnelRow]
    budget: Budget


# A local date, YYYY-MM-DD; read leniently past that (a day past the month's end is its
# last day, years outside 2000-2099 are brought into them), as the page's picker never sends.
DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    year, month, day = (int(part) for part in text.split("-"))
    year = min(max(year, _FIRST.year), _LAST.year)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def analytics_filters(
    period: Annotated[Literal["today", "7d", "30d", "month", "custom"], Query(
        description="custom: from start to end (local dates, both included).")] = "7d",
    start: Annotated[str | None, Query(pattern=DAY, description="custom: the first day.")] = None,
    end: Annotated[str | None, Query(pattern=DAY, description="custom: the last day.")] = None,
    channel_id: uuid.UUID | None = None,
    agent_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    consultant_id: uuid.UUID | None = None,
    pipeline_id: Annotated[uuid.UUID | None, Query(
        description="The funnel's pipeline (the default one when absent).")] = None,
    business_hours_only: bool = False,
) -> analytics.Filters:
    """The page's filters. A custom period missing one end is that one day (neither: today),
    reversed ends are swapped and a longer span is cut to the 366 days ending at ``end``;
    the answer's ``period`` says which days were counted."""
    first, last = _day(start), _day(end)
    if period == "custom" and first is None and last is None:
        period = "today"
    elif period == "custom":
        one = first or last
        assert one is not None
        first, last = sorted((first or one, last or one))
        if (last - first).days >= MAX_DAYS:
            first = last - timedelta(days=MAX_DAYS - 1)
    text = {name: str(value) if value else None for name, value in (
        ("channel_id", channel_id), ("agent_id", agent_id), ("team_id", team_id),
        ("consultant_id", consultant_id), ("pipeline_id", pipeline_id))}
    return analytics.Filters(period=period, first=first, last=last,
                             business_hours_only=business_hours_only, **text)


FiltersDep = Annotated[analytics.Filters, Depends(analytics_filters)]


def _unknown_filter_is_not_found(exc: InvalidInput) -> NotFound | InvalidInput:
    # A filter naming another organisation's (or no) record: nothing of the caller's.
    if exc.code == "invalid_filter_value":
        return NotFound("not_found", field=str(exc.params.get("field", "")))
    return exc


@router.get("/dashboard", operation_id="getAnalyticsDashboard", responses=documented(NOT_FOUND))
def get_dashboard(actor: ApiActor, session: SessionDep, filters: FiltersDep) -> Dashboard:
    """404: a channel, agent, team, consultant or pipeline filter not of the organisation."""
    try:
        figures = analytics.dashboard(session, actor, filters)
    except InvalidInput as exc:
        raise _unknown_filter_is_not_found(exc) from exc
    return Dashboard.model_validate(asdict(figures))


CSV = "text/csv"


@router.get("/conversations.csv", operation_id="exportAnalyticsConversations",
            response_class=Response,
            responses=documented(NOT_FOUND, {200: {
                "description": "One row per conversation started or resolved in the period.",
                "content": {CSV: {"schema": {"type": "string"}}}}}))
def export_conversations(actor: ApiActor, session: SessionDep, filters: FiltersDep) -> Response:
    try:
        text = export.conversations_csv(session, actor, filters)
    except InvalidInput as exc:
        raise _unknown_filter_is_not_found(exc) from exc
    return Response(text, media_type=f"{CSV}; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="conversations.csv"'})
