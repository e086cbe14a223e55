"""Analytics: simple counts for managers and admins."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.state.session import PageState


class AnalyticsState(PageState):
    by_status: dict[str, int] = {}
    by_temperature: dict[str, int] = {}
    inbound_7d: int = 0
    outbound_7d: int = 0
    ai_7d: int = 0
    ai_cost: str = ""
    team_online: int = 0
    team_total: int = 0

    @rx.var
    def has_data(self) -> bool:
        return sum(self.by_status.values()) > 0 or self.inbound_7d > 0 \
            or sum(self.by_temperature.values()) > 0

    @rx.event
    async def load(self):
        return await self._load(overview.analytics, then=self._show)

    def _show(self, data: overview.AnalyticsSummary) -> None:
        self.by_status = data.conversations_by_status
        self.by_temperature = data.leads_by_temperature
        self.inbound_7d = data.inbound_7d
        self.outbound_7d = data.outbound_7d
        self.ai_7d = data.ai_messages_7d
        dollars = data.ai_cost_micro_usd_month / 1_000_000
        self.ai_cost = f"US$ {dollars:.2f}" if self.lang == "en" \
            else f"US$ {dollars:.2f}".replace(".", ",")
        self.team_online = data.team_online
        self.team_total = data.team_total
