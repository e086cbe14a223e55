"""/agents/<id>: the page around one agent. It reads the page in one call and hands each
part its share: the form (``agent_form``), the "try it" chat (``agent_try``) and the
knowledge base (``agent_knowledge``), each a substate of this one.

The parts are found by asking the substates (each defines ``_take_page`` and
``_reset_part``), so this module imports none of theirs and they import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx

from smarterchat.backend.services import page_views
from smarterchat.state.agents import agent_error
from smarterchat.state.session import PageState

TABS = ("config", "knowledge")


def _route_agent(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "agents" else ""


class AgentDetailState(PageState):
    # "agent_id" is the route's own variable; the page keeps its own copy of it.
    agent_key: str = ""
    found: bool = False
    can_manage: bool = False
    provider: str = "offline"
    default_model: str = ""
    tab: str = "config"

    @classmethod
    def _parts(cls) -> Iterator[type[Any]]:
        """Every substate below the page, children before grandchildren."""
        pending = list(cls.get_substates())
        while pending:
            part = pending.pop(0)
            pending.extend(part.get_substates())
            yield part

    @rx.event
    async def load(self):
        key = _route_agent(self.router.url.path)
        if key != self.agent_key:
            self.loaded = self.found = False
            self.tab = "config"
            for part in self._parts():
                if "_reset_part" in vars(part):
                    part._reset_part(await self.get_state(part))
        self.agent_key = key
        self.found = False
        return await self._load(page_views.agent_page, key, then=self._take)

    async def _take(self, page: page_views.AgentPage) -> list:
        self.found = True
        self.can_manage = page.can_manage
        self.provider, self.default_model = page.ai.provider, page.ai.default_model
        follow = []
        for part in self._parts():
            if "_take_page" in vars(part):
                event = part._take_page(await self.get_state(part), page)
                if event is not None:
                    follow.append(event)
        return follow

    def _error(self, exc: Exception) -> str:
        return agent_error(self.locale, exc)

    @rx.event
    def set_tab(self, value: str):
        if value in TABS:
            self.tab = value
