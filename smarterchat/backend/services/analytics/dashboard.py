"""The whole dashboard in one call: ``dashboard(session, actor, filters) -> Dashboard``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.analytics import (
    ai,
    cards,
    clocks,
    funnel,
    messages,
    people,
    series,
)
from smarterchat.backend.services.analytics.dto import Dashboard, PeriodInfo
from smarterchat.backend.services.analytics.facts import facts_table
from smarterchat.backend.services.analytics.hours import everything, within_hours
from smarterchat.backend.services.analytics.scope import Filters, Scope, scope_for


def _within(scope: Scope, filters: Filters) -> clocks.Within:
    if not filters.business_hours_only:
        return everything
    return within_hours(scope.organization, scope.period.segments)


def dashboard(session: Session, actor: Actor, filters: Filters,
              now: datetime | None = None) -> Dashboard:
    scope = scope_for(session, actor, filters, now)
    p = scope.period
    within = _within(scope, filters)
    counts = messages.count_messages(session, scope)
    with facts_table(session, scope) as f:
        return Dashboard(
            period=PeriodInfo(first_day=p.first_day.isoformat(),
                              last_day=(p.first_day + timedelta(days=p.days - 1)).isoformat(),
                              zone=p.zone, hourly=p.hourly),
            own_only=scope.own_only,
            cards=cards.cards(session, f, scope, within),
            volume=series.volume(session, f, scope),
            contacts=series.contacts(session, f, scope),
            ai_share=series.ai_share(session, f, scope),
            handoffs=ai.handoffs(session, f, scope),
            ai_answers=messages.ai_answers(counts, scope),
            ai_cost=series.ai_cost(session, scope),
            whatsapp=messages.whatsapp(counts),
            first_response=clocks.first_response(session, f, scope, within),
            resolution=clocks.resolution(session, f, scope, within),
            heatmap=messages.heatmap(counts),
            leaderboard=people.leaderboard(session, f, scope, within),
            funnel=funnel.funnel(session, scope),
            budget=ai.budget(session, scope),
        )
