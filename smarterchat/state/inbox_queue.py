"""/inbox/queue: what managers watch (the waiting queue, who is online, each consultant's
load against capacity), and where admins choose the distribution mode and capacities.
Kept live by the same real-time notices as the inbox."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import distribution, inbox_views
from smarterchat.state import inbox_live
from smarterchat.state.inbox_items import ConversationItem, conversation_item
from smarterchat.state.session import Leave, PageState

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

    def _take(self, data: inbox_views.Queue) -> None:
        o = data.overview
        self.mode, self.waiting_total = o.mode, o.waiting
        self.oldest_minutes = -1 if o.oldest_waiting_seconds is None else \
            max(0, o.oldest_waiting_seconds // 60)
        self.people = [LoadItem(user_id=c.user_id, name=c.name, availability=c.availability,
                                load=c.load, capacity=c.capacity,
                                percent=min(100, round(100 * c.load / c.capacity))
                                if c.capacity else 100, team=c.team)
                       for c in o.consultants]
        self.online = sum(p.availability == "online" for p in self.people)
        self.waiting = [conversation_item(r, data.me) for r in data.waiting.items]
        self.can_configure, self.org_id = data.can_configure, data.org

    async def _reload(self) -> None:
        # Not "_refresh": that name is the session's token rotation on AppState.
        data = await self._guarded(inbox_views.queue)
        if data is not None:
            self._take(data)

    @rx.event
    async def load(self):
        self.notice = self.save_error = ""
        return await self._load(inbox_views.queue, then=self._opened)

    def _opened(self, data: inbox_views.Queue) -> EventSpec | None:
        self._take(data)
        return InboxQueueState.live if self.org_id else None

    @rx.event
    def set_mode(self, value: str):
        if value not in MODES:
            return None
        return self._configure(mode=value)

    @rx.event
    def save_capacities(self, form: dict):
        try:
            capacities = {key.removeprefix("cap_"): int(value) for key, value in form.items()
                          if key.startswith("cap_")}
        except (TypeError, ValueError):
            self.save_error = self._t("error.invalid_capacity")
            return None
        return self._configure(capacities=capacities)

    def _configure(self, **changes):
        self.notice = ""
        return self._action(distribution.configure, **changes, error="save_error",
                            then=self._configured)

    async def _configured(self, _result: object) -> None:
        self.notice = self._t("common.saved")
        await self._reread(inbox_views.queue, then=self._take)

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
