"""Settings > Channels: the list, adding a channel, and webhook events that failed.

Admins add channels; managers read; consultants are refused by the service
(channels.view). Access tokens and app secrets typed into the form go straight to the
service and are never kept in state: pages only ever hold their masked hints.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import channels, page_views
from smarterchat.backend.services.channels import ChannelView
from smarterchat.backend.services.page_views import AgentOption, FailedEvent
from smarterchat.state.session import PageState

KINDS = ("whatsapp", "instagram", "webchat")
NO_AGENT = "none"  # a select item cannot have an empty value


@dataclasses.dataclass
class ChannelRow:
    id: str = ""
    kind: str = ""
    name: str = ""
    active: bool = True
    agent_name: str = ""
    external_id: str = ""


class ChannelsState(PageState):
    channels: list[ChannelRow] = []
    agents: list[AgentOption] = []
    can_manage: bool = False
    failed_events: list[FailedEvent] = []

    # add-a-channel dialog
    create_open: bool = False
    create_busy: bool = False
    create_error: str = ""
    create_kind: str = "whatsapp"
    create_agent: str = NO_AGENT

    @rx.event
    async def load(self):
        return await self._load(page_views.channels_page, then=self._apply)

    def _apply(self, page: page_views.ChannelsPage) -> None:
        names = {a.id: a.name for a in page.agents}
        self.agents = page.agents
        self.can_manage = page.can_manage
        self.channels = [ChannelRow(id=v.id, kind=v.kind, name=v.name, active=v.is_active,
                                    agent_name=names.get(v.agent_id or "", ""),
                                    external_id=v.external_id or "")
                         for v in page.channels]
        self.failed_events = page.failed

    # ------------------------------------------------------------ add a channel

    @rx.event
    def open_create(self):
        self.create_open = True
        self.create_error = ""
        self.create_kind = "whatsapp"
        # A new channel is answered by the organisation's agent unless told otherwise.
        self.create_agent = self.agents[0].id if self.agents else NO_AGENT

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        if not value:
            self.create_error = ""

    @rx.event
    def set_create_kind(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        if value in KINDS:
            self.create_kind = value
            self.create_error = ""

    @rx.event
    def set_create_agent(self, value: str):
        if value == NO_AGENT or any(a.id == value for a in self.agents):
            self.create_agent = value

    @rx.event
    def create(self, form: dict):
        kind = self.create_kind

        def text(key: str) -> str | None:
            return str(form.get(key) or "").strip() or None

        return self._action(
            channels.create_channel, kind=kind, name=str(form.get("name") or ""),
            external_id=text("external_id"),
            business_account_id=text("business_account_id") if kind == "whatsapp" else None,
            access_token=text("access_token"), app_secret=text("app_secret"),
            agent_id=None if self.create_agent == NO_AGENT else self.create_agent,
            busy="create_busy", error="create_error", then=self._created)

    def _created(self, view: ChannelView) -> EventSpec:
        self.create_open = False
        # The channel's page shows what to do next (webhook, embed code).
        return rx.redirect(f"/settings/channels/{view.id}?new=1")
