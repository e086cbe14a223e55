"""Settings > Channels: the list, adding a channel, and webhook events that failed.

Admins add channels; managers read; consultants are refused by the service
(channels.view). Access tokens and app secrets typed into the form go straight to the
service and are never kept in state: pages only ever hold their masked hints.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import channels, records
from smarterchat.backend.services.actors import Actor
from smarterchat.state.session import Leave, PageState, SignedOut

KINDS = ("whatsapp", "instagram", "webchat")
NO_AGENT = "none"  # a select item cannot have an empty value
FAILED_SHOWN = 50  # the latest inbound events that failed, listed for admins


@dataclasses.dataclass
class ChannelRow:
    id: str = ""
    kind: str = ""
    name: str = ""
    active: bool = True
    agent_name: str = ""
    external_id: str = ""


@dataclasses.dataclass
class AgentOption:
    id: str = ""
    name: str = ""


@dataclasses.dataclass
class FailedEvent:
    id: str = ""
    channel_name: str = ""
    received_at: str = ""  # ISO 8601
    attempts: int = 0
    error: str = ""


def agent_options(session, actor: Actor) -> list[AgentOption]:
    rows, _ = records.list_page(session, actor, "agents", limit=200)
    return sorted((AgentOption(str(a["id"]), a["name"]) for a in rows),
                  key=lambda a: a.name.lower())


def _listing(session, actor: Actor):
    views = channels.list_channels(session, actor)
    agents = agent_options(session, actor)
    can_manage = actor.can(Permission.CHANNELS_MANAGE)
    failed: list[dict] = []
    if can_manage:
        failed, _ = records.list_page(session, actor, "inbound_events", limit=FAILED_SHOWN,
                                      filters={"status": "failed"})
    return views, agents, can_manage, failed


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
        try:
            data = await self._guarded(_listing)
        except Leave as leave:
            return leave.event
        if data is not None:
            self._apply(*data)
        self.loaded = True
        return None

    def _apply(self, views, agents: list[AgentOption], can_manage: bool,
               failed: list[dict]) -> None:
        names = {a.id: a.name for a in agents}
        self.agents = agents
        self.can_manage = can_manage
        self.channels = [ChannelRow(v.id, v.kind, v.name, v.is_active,
                                    names.get(v.agent_id or "", ""), v.external_id or "")
                         for v in views]
        by_id = {v.id: v.name for v in views}
        self.failed_events = [
            FailedEvent(str(e["id"]), by_id.get(str(e["channel_id"]), ""),
                        e["received_at"].isoformat() if e["received_at"] else "",
                        int(e["attempts"] or 0), (e["error"] or "")[:2000])
            for e in failed
        ]

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
    async def create(self, form: dict):
        self.create_busy = True
        self.create_error = ""
        yield
        kind = self.create_kind

        def text(key: str) -> str | None:
            return str(form.get(key) or "").strip() or None

        try:
            view = await self._as_actor(
                channels.create_channel, kind=kind, name=str(form.get("name") or ""),
                external_id=text("external_id"),
                business_account_id=text("business_account_id") if kind == "whatsapp" else None,
                access_token=text("access_token"), app_secret=text("app_secret"),
                agent_id=None if self.create_agent == NO_AGENT else self.create_agent,
            )
        except SignedOut:
            self.create_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.create_error = self._message(exc)
            self.create_busy = False
            return
        self.create_busy = False
        self.create_open = False
        # The channel's page shows what to do next (webhook, embed code).
        yield rx.redirect(f"/settings/channels/{view.id}?new=1")
