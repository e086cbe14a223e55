"""Home: a greeting and the organisation's counts right now."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.state.session import Leave, PageState


class DashboardState(PageState):
    open_conversations: int = 0
    waiting_human: int = 0
    assigned_to_me: int = 0
    leads: int = 0
    channels: int = 0
    agents: int = 0
    ai_budget_exhausted: bool = False

    @rx.event
    async def load(self):
        try:
            counts = await self._guarded(overview.dashboard)
        except Leave as leave:
            return leave.event
        if counts is not None:
            self.open_conversations = counts.open_conversations
            self.waiting_human = counts.waiting_human
            self.assigned_to_me = counts.assigned_to_me
            self.leads = counts.leads
            self.channels = counts.channels
            self.agents = counts.agents
            self.ai_budget_exhausted = counts.ai_budget_exhausted
        self.loaded = True
        return None
