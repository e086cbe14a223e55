"""/agents: the organisation's AI agents, the channels each answers, and which AI provider
replies. Admins create agents; managers and consultants read."""

from __future__ import annotations

import dataclasses
import logging

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import agents, overview, page_views
from smarterchat.backend.services.agents import AgentView
from smarterchat.backend.services.errors import ServiceError
from smarterchat.i18n import TABLE, error_message, translate
from smarterchat.state.session import PageState

log = logging.getLogger(__name__)


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
    model: str = ""  # the model its replies use when the provider is OpenAI


def _channels(items: list[overview.ChannelInfo]) -> list[ChannelItem]:
    return [ChannelItem(id=c.id, kind=c.kind, name=c.name, active=c.is_active) for c in items]


def agent_error(locale: str, exc: Exception) -> str:
    """A refusal about an agent: an agent-specific sentence when there is one (the
    knowledge upload's limits), else the shared one; anything else is logged."""
    if not isinstance(exc, ServiceError):
        log.exception("unexpected error in an agent page", exc_info=exc)
        return error_message("generic", locale)
    key = f"agent.error.{exc.code}"
    if key in TABLE:
        return translate(key, locale, **exc.params)
    return error_message(exc.code, locale, exc.params)


class AgentsState(PageState):
    agents: list[AgentItem] = []
    loose_channels: list[ChannelItem] = []
    can_manage: bool = False
    provider: str = "offline"

    create_open: bool = False
    create_busy: bool = False
    create_error: str = ""

    @rx.event
    async def load(self):
        return await self._load(page_views.agents_page, then=self._apply)

    def _apply(self, page: page_views.AgentsPage) -> None:
        models, default_model = page.models, page.ai.default_model
        self.agents = [AgentItem(id=a.id, name=a.name, active=a.is_active, tone=a.tone,
                                 greeting=a.greeting, rules=a.rules,
                                 channels=_channels(a.channels),
                                 model=models.get(a.id) or default_model)
                       for a in page.overview.agents]
        self.loose_channels = _channels(page.overview.unassigned_channels)
        self.provider = page.ai.provider
        self.can_manage = page.can_manage

    # ------------------------------------------------------------ create

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = bool(value)
        self.create_error = ""

    @rx.event
    def create(self, form: dict):
        data = {k: str(form.get(k) or "") for k in ("name", "persona", "tone")}
        return self._action(agents.create_agent, data, busy="create_busy", error="create_error",
                            explain=lambda exc: agent_error(self.locale, exc),
                            then=self._created)

    def _created(self, view: AgentView) -> EventSpec:
        self.create_open = False
        return rx.redirect(f"/agents/{view.id}")
