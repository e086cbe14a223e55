"""/agents: the organisation's AI agents, the channels each answers, and which AI provider
replies. Admins create agents; managers and consultants read."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.models import Organization
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import agents, ai_usage, overview
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import ServiceError
from smarterchat.i18n import TABLE, error_message, translate
from smarterchat.state.session import Leave, PageState, SignedOut


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


def _channels(items) -> list[ChannelItem]:
    return [ChannelItem(c.id, c.kind, c.name, c.is_active) for c in items]


def provider_of(session, actor: Actor) -> tuple[str, str]:
    """("openai" or "offline", the organisation's default model) as replies would use them."""
    org = session.get(Organization, actor.require_org())
    brain = ai_usage.brain_for(org)
    chat = getattr(brain, "chat", None)
    return brain.provider, str(getattr(chat, "model", "") or "")


def agent_error(locale: str, exc: ServiceError) -> str:
    """A service error about an agent: an agent-specific sentence when there is one (the
    knowledge upload's limits), else the shared one."""
    key = f"agent.error.{exc.code}"
    if key in TABLE:
        return translate(key, locale, **exc.params)
    return error_message(exc.code, locale, exc.params)


def _listing(session, actor: Actor):
    data = overview.agents(session, actor)
    models = {a.id: a.model for a in agents.list_agents(session, actor)}
    provider, default_model = provider_of(session, actor)
    return data, models, provider, default_model, actor.can(Permission.AGENTS_MANAGE)


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
        try:
            data = await self._guarded(_listing)
        except Leave as leave:
            return leave.event
        if data is not None:
            self._apply(*data)
        self.loaded = True
        return None

    def _apply(self, data: overview.AgentsOverview, models: dict[str, str], provider: str,
               default_model: str, can_manage: bool) -> None:
        self.agents = [AgentItem(a.id, a.name, a.is_active, a.tone, a.greeting, a.rules,
                                 _channels(a.channels), models.get(a.id) or default_model)
                       for a in data.agents]
        self.loose_channels = _channels(data.unassigned_channels)
        self.provider = provider
        self.can_manage = can_manage

    # ------------------------------------------------------------ create

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = bool(value)
        self.create_error = ""

    @rx.event
    async def create(self, form: dict):
        self.create_busy = True
        self.create_error = ""
        yield
        data = {k: str(form.get(k) or "") for k in ("name", "persona", "tone")}
        try:
            view = await self._as_actor(agents.create_agent, data)
        except SignedOut:
            self.create_busy = False
            yield self._login_redirect()
            return
        except ServiceError as exc:
            self.create_error = agent_error(self.locale, exc)
            self.create_busy = False
            return
        except Exception as exc:  # noqa: BLE001 - shown as a sentence, logged
            self.create_error = self._message(exc)
            self.create_busy = False
            return
        self.create_busy = False
        self.create_open = False
        yield rx.redirect(f"/agents/{view.id}")
