"""Home: a greeting and the organisation's counts right now. The two that move all day,
waiting for a person and assigned to me, are the sidebar's badges, kept live on every
page; loading the home page sets them too, so its first paint agrees with the sidebar."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.state.badges import BadgeState
from smarterchat.state.session import PageState


class DashboardState(PageState):
    open_conversations: int = 0
    leads: int = 0
    channels: int = 0
    agents: int = 0
    ai_budget_exhausted: bool = False

    @rx.event
    async def load(self):
        return await self._load(overview.dashboard, then=self._show)

    async def _show(self, counts: overview.DashboardCounts) -> None:
        self.open_conversations = counts.open_conversations
        badges = await self.get_state(BadgeState)
        badges.mine, badges.waiting = counts.assigned_to_me, counts.waiting_human
        self.leads = counts.leads
        self.channels = counts.channels
        self.agents = counts.agents
        self.ai_budget_exhausted = counts.ai_budget_exhausted
