"""/inbox/queue: what managers watch (the waiting queue, who is online, each consultant's
load against capacity), and where admins choose the distribution mode and capacities.
Kept live by the same real-time notices as the inbox."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

import reflex as rx

from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import distribution, inbox
from smarterchat.backend.services.actors import Actor
from smarterchat.state import inbox_live
from smarterchat.state.inbox_items import ConversationItem, conversation_item
from smarterchat.state.session import Leave, PageState, SignedOut

log = logging.getLogger(__name__)
MODES = ("manual", "round_robin")
IDLE_TICKS = 6  # empty batches (about a minute) between re-reads of a quiet queue


@dataclass
class LoadItem:
    user_id: str = ""
    name: str = ""
    availability: str = "offline"
    load: int = 0
    capacity: int = 0
    percent: int = 0
    team: str = ""


@dataclass
class _Queue:
    overview: distribution.QueueOverview
    waiting: inbox.Page
    me: str
    org: str
    can_configure: bool


def _queue(session, actor: Actor) -> _Queue:
    return _Queue(distribution.overview(session, actor),
                  inbox.list_conversations(session, actor, tab="waiting", limit=50),
                  str(actor.user_id), str(actor.require_org()),
                  actor.can(Permission.ORG_SETTINGS))


class InboxQueueState(PageState):
    mode: str = "manual"
    waiting_total: int = 0
    oldest_minutes: int = -1  # -1: nobody waits
    online: int = 0
    people: list[LoadItem] = []
    waiting: list[ConversationItem] = []
    can_configure: bool = False
    org_id: str = ""
    notice: str = ""
    save_error: str = ""

    def _take(self, data: _Queue) -> None:
        o = data.overview
        self.mode, self.waiting_total = o.mode, o.waiting
        self.oldest_minutes = -1 if o.oldest_waiting_seconds is None else \
            max(0, o.oldest_waiting_seconds // 60)
        self.people = [LoadItem(c.user_id, c.name, c.availability, c.load, c.capacity,
                                min(100, round(100 * c.load / c.capacity)) if c.capacity else 100,
                                c.team)
                       for c in o.consultants]
        self.online = sum(p.availability == "online" for p in self.people)
        self.waiting = [conversation_item(r, data.me) for r in data.waiting.items]
        self.can_configure, self.org_id = data.can_configure, data.org

    async def _reload(self) -> None:
        data = await self._guarded(_queue)
        if data is not None:
            self._take(data)

    @rx.event
    async def load(self):
        self.notice = self.save_error = ""
        try:
            await self._reload()
        except Leave as leave:
            return leave.event
        self.loaded = True
        return InboxQueueState.live if self.org_id and not self.forbidden else None

    @rx.event
    async def set_mode(self, value: str):
        if value not in MODES:
            return None
        return await self._configure(mode=value)

    @rx.event
    async def save_capacities(self, form: dict):
        try:
            capacities = {key.removeprefix("cap_"): int(value) for key, value in form.items()
                          if key.startswith("cap_")}
        except (TypeError, ValueError):
            self.save_error = self._t("error.invalid_capacity")
            return None
        return await self._configure(capacities=capacities)

    async def _configure(self, **changes):
        self.notice = self.save_error = ""
        try:
            await self._as_actor(distribution.configure, **changes)
        except SignedOut:
            return self._login_redirect()
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.save_error = self._message(exc)
            return None
        self.notice = self._t("common.saved")
        try:
            await self._reload()
        except Leave as leave:
            return leave.event
        return None

    @rx.event(background=True, supersedes=True)
    async def live(self):
        async with self:
            org, token = self.org_id, self.router.session.client_token
        quiet = 0
        async with contextlib.aclosing(inbox_live.batches(org)) as stream:
            async for notices in stream:
                if not await inbox_live.connected(token):
                    return
                # The oldest wait grows by itself: read again after a minute of quiet.
                quiet = 0 if notices else quiet + 1
                try:
                    async with self:
                        if self.router.url.path.rstrip("/") != "/inbox/queue":
                            return
                        if quiet >= IDLE_TICKS or any(
                                n.get("type") in ("conversation", "presence", "resubscribed")
                                for n in notices):
                            quiet = 0
                            await self._reload()
                except Leave as leave:
                    yield leave.event
                    return
                except Exception:  # noqa: BLE001 - the next notice retries
                    log.exception("queue live refresh failed")
