"""Inbox: the conversation list, the open thread and its contact, kept live.

``load`` reads the list, the counts and the filters' options; ``live`` (a background
event, one per open inbox tab) follows the organisation's real-time notices and
refreshes only what a notice touches: the list and counts, the open thread, the
people's availability. It also sends this consultant's heartbeat, and stops when the
tab closes, leaves the inbox, or a newer ``live`` of the same tab replaces it.
The composer and the actions live in ``inbox_composer``, a substate; what they hold
for the open conversation is cleared through its ``_clear`` when another one opens.

Over 300 lines for a reason: the list, the open thread and the live follower share
this state's vars (the follower refreshes exactly what the list and the thread show),
and a substate writing its parent's vars from a background event would be harder to
follow than one module. Every read is one call to ``services.inbox_views``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import replace
from datetime import datetime

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import distribution, inbox, inbox_views
from smarterchat.backend.services.inbox_views import THREAD_PAGE, Listing, Opened, Option
from smarterchat.state import inbox_live
from smarterchat.state.badges import BadgeState
from smarterchat.state.inbox_items import (
    ConsultantItem,
    ContactInfo,
    ConversationItem,
    MessageItem,
    TeamItem,
    contact_info,
    conversation_item,
    merge,
    message_item,
)
from smarterchat.state.session import Leave, PageState, SignedOut

log = logging.getLogger(__name__)

TABS = ("mine", "waiting", "bot", "all", "resolved")
ALIASES = {"open": "all", "waiting_human": "waiting"}  # the first inbox's filter names
SERVICE_TAB = {"all": "open"}
ALL = "all"  # "no filter" in the selects (Radix refuses empty values)
PAGE = 30
LIST_MAX = 100  # the most rows one read of the list returns
HEARTBEAT_SECONDS = 30.0
AVAILABILITY = ("online", "away", "offline")
NOTIFY_ACTIONS = ("auto_assign", "transfer", "transfer_team", "handoff")


def _name_in_url(conversation_id: str) -> EventSpec:
    """The address names the open conversation (``/inbox?c=<id>``, read by ``load``), so it
    can be shared and survives a reload, without a navigation."""
    query = f"?c={conversation_id}" if conversation_id else ""
    return rx.call_script(f"window.history.replaceState(null, '', {json.dumps('/inbox' + query)})")


def _notification(title: str, body: str, tag: str) -> EventSpec:
    """A browser notification, when this browser allowed them (text passed as JSON)."""
    return rx.call_script(
        "(() => { if (!('Notification' in window) || Notification.permission !== 'granted')"
        f" return; const n = new Notification({json.dumps(title)}, {{body: {json.dumps(body)},"
        f" tag: {json.dumps(tag)}}}); n.onclick = () => {{ window.focus(); n.close(); }}; }})()")


class InboxState(PageState):
    # ------------------------------------------------------------ the list
    status_filter: str = "all"  # the tab: mine, waiting, bot, all (every open one), resolved
    channel_filter: str = ALL
    agent_filter: str = ALL
    assignee_filter: str = ALL
    label_filter: str = ALL
    stage_filter: str = ALL  # the contact's lead's CRM stage
    search: str = ""
    items: list[ConversationItem] = []
    total: int = 0
    channels: list[Option] = []
    agents: list[Option] = []
    labels: list[str] = []
    stages: list[Option] = []
    people: list[ConsultantItem] = []
    teams: list[TeamItem] = []
    availability: str = "offline"
    can_assign: bool = False  # managers and admins act on anyone's conversation
    org_id: str = ""
    notify_permission: str = ""  # the browser's Notification.permission, once asked
    list_busy: bool = False

    # ------------------------------------------------------------ the open conversation
    selected_id: str = ""
    current: ConversationItem = ConversationItem()
    messages: list[MessageItem] = []
    has_older: bool = False
    older_busy: bool = False
    contact: ContactInfo = ContactInfo()
    view: str = "list"  # narrow screens show one of: list, thread, contact
    panel_open: bool = True
    action_error: str = ""

    _me: str = ""
    _limit: int = PAGE
    _last_beat: float = 0.0

    @rx.var
    def filters_active(self) -> int:
        return sum(v != ALL for v in (self.channel_filter, self.agent_filter,
                                      self.assignee_filter, self.label_filter,
                                      self.stage_filter))

    @rx.var
    def has_more(self) -> bool:
        return len(self.items) < self.total

    @rx.var
    def is_whatsapp(self) -> bool:
        return self.current.channel_kind == "whatsapp"

    @rx.var
    def can_act(self) -> bool:
        """Consultants act on conversations that are theirs or nobody's (the service decides)."""
        return self.can_assign or self.current.assignee_id in ("", self._me)

    # ------------------------------------------------------------ calls

    def _query(self) -> dict:
        def chosen(value: str) -> str | None:
            return None if value == ALL else value

        return {"tab": SERVICE_TAB.get(self.status_filter, self.status_filter),
                "channel_id": chosen(self.channel_filter),
                "agent_id": chosen(self.agent_filter),
                "assignee_id": chosen(self.assignee_filter),
                "label": chosen(self.label_filter), "search": self.search,
                "stage_id": chosen(self.stage_filter)}

    async def _take_listing(self, found: Listing) -> None:
        fresh = [conversation_item(r, self._me) for r in found.page.items]
        if self._limit > LIST_MAX:  # rows loaded past what one read returns stay as they were
            seen = {i.id for i in fresh}
            fresh += [i for i in self.items[len(fresh):] if i.id not in seen]
        self.items = fresh
        self.total = found.page.total
        # The counts are the sidebar's badges, whose own listener stands aside on this page:
        # the inbox keeps them current.
        badges = await self.get_state(BadgeState)
        badges.mine, badges.waiting = found.mine, found.waiting

    def _take_people(self, people: list[dict], teams: list[dict]) -> None:
        self.people = [ConsultantItem(user_id=p["user_id"], name=p["name"], role=p["role"],
                                      availability=p["availability"],
                                      is_me=p["user_id"] == self._me) for p in people]
        self.teams = [TeamItem(team_id=t["team_id"], name=t["name"], online=t["online"])
                      for t in teams]
        me = next((p for p in self.people if p.is_me), None)
        if me is not None:
            self.availability = me.availability

    def _take_open(self, found: Opened) -> None:
        self.current = conversation_item(found.row, self._me)
        if found.messages is not None:
            fresh = [message_item(m, self.org_id, self.locale) for m in found.messages]
            self.messages = merge(self.messages, fresh)
        if found.panel is not None:
            self.contact = contact_info(found.panel, found.templates)
        # Opening it read it: the list shows no unread count for what is on screen.
        self.items = [replace(i, unread=0) if i.id == self.current.id else i
                      for i in self.items]

    # ------------------------------------------------------------ loading

    @rx.event
    async def load(self):
        self.action_error = ""
        self._limit = PAGE
        return await self._load(inbox_views.setup, query=self._query(), limit=self._limit,
                                then=self._set_up)

    async def _set_up(self, found: inbox_views.Setup) -> EventSpec:
        self._me, self.org_id = found.me, found.org
        self.can_assign = found.can_assign
        self.channels, self.agents, self.labels = found.channels, found.agents, found.labels
        self.stages = found.stages
        await self._take_listing(found.listing)
        self._take_people(found.people, found.teams)
        wanted = self.router.url.query_parameters.get("c", "") or self.selected_id
        if wanted:
            await self._open_conversation(wanted, reset=wanted != self.selected_id)
        return InboxState.live

    async def _refresh_list(self) -> None:
        found = await self._guarded(inbox_views.listing, query=self._query(),
                                    limit=min(self._limit, LIST_MAX))
        if found is not None:
            await self._take_listing(found)

    async def _refresh_people(self) -> None:
        found = await self._guarded(inbox_views.people)
        if found is not None:
            self._take_people(*found)

    async def _refresh_open(self, *, thread_only: bool = False) -> None:
        if not self.selected_id:
            return
        cid = self.selected_id
        found = await self._guarded(inbox_views.opened, cid, thread_only=thread_only)
        if found is not None and self.selected_id == cid:
            self._take_open(found)

    async def _open_conversation(self, conversation_id: str, *, reset: bool = True) -> None:
        if reset:
            self.messages = []
            self.contact = ContactInfo()
            self.action_error = ""
            await self._forget_drafts()
        self.selected_id = conversation_id
        found = await self._guarded(inbox_views.opened, conversation_id)
        if found is None:
            self.selected_id = ""
            self.current = ConversationItem()
            return
        self._take_open(found)
        self.has_older = len(found.messages or []) >= THREAD_PAGE
        self.view = "thread"

    async def _forget_drafts(self) -> None:
        """Another conversation opens: substates holding what was being written for the
        last one (the composer) clear it. They say so by defining ``_clear``; asking the
        substates keeps this module from importing theirs."""
        for substate in type(self).get_substates():
            clear = getattr(substate, "_clear", None)
            if clear is not None:
                clear(await self.get_state(substate))

    async def _reload(self):
        """Re-read the list after a filter changed (page 1 again)."""
        self._limit = PAGE
        self.list_busy = True
        yield
        try:
            await self._refresh_list()
        except Leave as leave:
            yield leave.event
        finally:
            self.list_busy = False

    # ------------------------------------------------------------ list events

    @rx.event
    def set_filter(self, value: str | list[str]):
        chosen = value[0] if isinstance(value, list) and value else value
        if not isinstance(chosen, str):
            return None
        return self._set_filter("status_filter", ALIASES.get(chosen, chosen), list(TABS))

    def _set_filter(self, name: str, value: str, offered: list[str]):
        """A filter's choice, when the list offers it; the list is read again."""
        if value != ALL and value not in offered:
            return None
        setattr(self, name, value)
        return self._reload()

    @rx.event
    def set_channel_filter(self, value: str):
        return self._set_filter("channel_filter", value, [c.value for c in self.channels])

    @rx.event
    def set_agent_filter(self, value: str):
        return self._set_filter("agent_filter", value, [a.value for a in self.agents])

    @rx.event
    def set_assignee_filter(self, value: str):
        return self._set_filter("assignee_filter", value, [p.user_id for p in self.people])

    @rx.event
    def set_label_filter(self, value: str):
        return self._set_filter("label_filter", value, list(self.labels))

    @rx.event
    def set_stage_filter(self, value: str):
        return self._set_filter("stage_filter", value, [st.value for st in self.stages])

    @rx.event
    def clear_filters(self):
        self.channel_filter = self.agent_filter = self.assignee_filter = self.label_filter = ALL
        self.stage_filter = ALL
        self.search = ""
        return self._reload()

    @rx.event
    def set_search(self, value: str):
        self.search = (value or "")[:100]
        return self._reload()

    @rx.event
    async def load_more(self):
        return await self._load(inbox.list_conversations, offset=len(self.items), limit=PAGE,
                                **self._query(), then=self._more)

    def _more(self, page: inbox.Page) -> None:
        known = {i.id for i in self.items}
        self.items = self.items + [conversation_item(r, self._me) for r in page.items
                                   if r.id not in known]
        self.total = page.total
        self._limit = len(self.items)

    # ------------------------------------------------------------ thread events

    @rx.event
    async def open_conversation(self, conversation_id: str):
        try:
            await self._open_conversation(conversation_id,
                                          reset=conversation_id != self.selected_id)
        except Leave as leave:
            return leave.event
        return _name_in_url(self.selected_id)

    @rx.event
    def load_older(self):
        if not self.selected_id or not self.messages:
            return None
        oldest = min(self.messages, key=lambda m: m.at).at
        return self._action(inbox.thread, self.selected_id,
                            before=datetime.fromisoformat(oldest), limit=THREAD_PAGE,
                            busy="older_busy", then=self._older)

    def _older(self, older: list[inbox.ThreadMessage]) -> None:
        self.messages = merge(self.messages,
                              [message_item(m, self.org_id, self.locale) for m in older])
        self.has_older = len(older) >= THREAD_PAGE

    @rx.event
    def set_view(self, value: str):
        if value in ("list", "thread", "contact"):
            self.view = value

    @rx.event
    def toggle_panel(self):
        self.panel_open = not self.panel_open
        self.view = "contact" if self.view == "thread" else "thread"

    # ------------------------------------------------------------ presence and notifications

    @rx.event
    def set_availability(self, value: str):
        if value not in AVAILABILITY:
            return None
        return self._action(distribution.set_availability, value,
                            then=lambda _: self._show_availability(value))

    def _show_availability(self, value: str) -> None:
        self.availability = value

    @rx.event
    def set_notify_permission(self, value: str):
        self.notify_permission = str(value or "")[:20]

    # ------------------------------------------------------------ live updates

    async def _apply(self, notices: list[dict]) -> list[EventSpec]:
        """Refresh what the notices touch; return browser notifications to show."""
        kinds = {n.get("type") for n in notices}
        full = "resubscribed" in kinds
        touched = {n.get("conversation_id") for n in notices}
        if full or kinds & {"message", "conversation"}:
            await self._refresh_list()
        if self.selected_id and (full or self.selected_id in touched):
            only_ticks = all(n.get("type") == "status" for n in notices
                             if n.get("conversation_id") == self.selected_id)
            await self._refresh_open(thread_only=only_ticks and not full)
        if full or "presence" in kinds:
            await self._refresh_people()
        return await self._notifications(notices)

    async def _notifications(self, notices: list[dict]) -> list[EventSpec]:
        ids = list(dict.fromkeys(n["conversation_id"] for n in notices
                                 if n.get("type") == "conversation"
                                 and n.get("action") in NOTIFY_ACTIONS))
        if not ids:
            return []
        shown = []
        for row in await self._guarded(inbox_views.rows, ids) or []:
            if row.status == "human" and row.assignee_id == self._me:
                title = self._t("inbox.notify_assigned")
            elif row.status == "waiting_human":
                title = self._t("inbox.notify_waiting")
            else:
                continue
            shown.append(_notification(title, f"{row.contact_name} · {row.channel_name}",
                                       f"sc-{row.id}-{row.status}"))
        return shown

    async def _tick(self) -> None:
        if time.monotonic() - self._last_beat >= HEARTBEAT_SECONDS:
            self._last_beat = time.monotonic()
            await self._guarded(distribution.heartbeat)

    def _still_wanted(self) -> bool:
        return self.router.url.path.rstrip("/") == "/inbox"

    @rx.event(background=True, supersedes=True)
    async def live(self):
        """Follow the organisation's notices while this tab shows the inbox."""
        async with self:
            org, token = self.org_id, self.router.session.client_token
            self._last_beat = 0.0
        if not org:
            return
        async with contextlib.aclosing(inbox_live.batches(org)) as stream:
            async for notices in stream:
                if not await inbox_live.connected(token):
                    return
                try:
                    async with self:
                        if not self._still_wanted() or self.org_id != org:
                            return
                        await self._tick()
                        shown = await self._apply(notices) if notices else []
                except Leave as leave:
                    yield leave.event
                    return
                except SignedOut:
                    return
                except Exception:  # noqa: BLE001 - a database hiccup: the next notice retries
                    log.exception("inbox live refresh failed")
                    continue
                for event in shown:
                    yield event
