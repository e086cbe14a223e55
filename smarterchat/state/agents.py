"""AI agents and the channels each one answers (read-only for now)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.state.session import Leave, PageState


@dataclasses.dataclass
class ChannelItem:
    id: str = ""
    kind: str = ""
    name: str = ""
    active: bool = True


@dataclasses.dataclass
class AgentItem:
    id: str = ""
    name: str = ""
    active: bool = True
    tone: str = ""
    greeting: str = ""
    rules: int = 0
    channels: list[ChannelItem] = dataclasses.field(default_factory=list)


def _channels(items) -> list[ChannelItem]:
    return [ChannelItem(c.id, c.kind, c.name, c.is_active) for c in items]


class AgentsState(PageState):
    agents: list[AgentItem] = []
    loose_channels: list[ChannelItem] = []

    @rx.event
    async def load(self):
        try:
            data = await self._guarded(overview.agents)
        except Leave as leave:
            return leave.event
        if data is not None:
            self.agents = [AgentItem(a.id, a.name, a.is_active, a.tone, a.greeting, a.rules,
                                     _channels(a.channels)) for a in data.agents]
            self.loose_channels = _channels(data.unassigned_channels)
        self.loaded = True
        return None
