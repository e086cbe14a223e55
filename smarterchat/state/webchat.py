"""The public web chat page (/chat/<channel id>): a visitor, no account.

The visitor's key is made once (``webchat.new_visitor_id``) and kept in the browser's
localStorage, so a reload finds the same conversation. The service gets a per-channel
id derived from it rather than the key itself: consultants see that id on the
contact, and it must not be enough to read the visitor's chat from another browser,
nor to link one visitor across companies.

Replies (AI or consultant) arrive through a background event that reads the history
about once a second while the page's websocket is connected, and touches the state
only when something changed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import time
import uuid

import reflex as rx

from smarterchat.backend.services import webchat
from smarterchat.backend.services.errors import InvalidInput, NotFound
from smarterchat.i18n import LOCALES
from smarterchat.state.session import AppState, call

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
IDLE_POLL_SECONDS = 3.0  # after IDLE_AFTER seconds without news
IDLE_AFTER = 120.0
WIDGET_EVERY = 15  # polls between re-reads of the channel's on/off switch


@dataclasses.dataclass
class ChatItem:
    key: str = ""  # the message id, or the client id until the server has stored it
    author: str = ""  # visitor, agent, system
    text: str = ""
    at: str = ""  # ISO 8601
    status: str = ""  # sending, failed, or the message's delivery status
    client_id: str = ""
    media_url: str = ""  # an attached file: a signed link
    media_kind: str = ""  # image, audio, video, document
    media_name: str = ""


def thread_id(visitor_key: str, channel_id: str) -> str:
    """The id the service knows this visitor by on one channel."""
    return hashlib.sha256(f"{visitor_key}:{channel_id}".encode()).hexdigest()[:40]


def _route_channel(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "chat" else ""


def _item(line: webchat.ChatLine) -> ChatItem:
    return ChatItem(line.id, line.author, line.text, line.created_at.isoformat(), line.status,
                    media_url=line.media_url, media_kind=line.media_kind,
                    media_name=line.media_name)


def _signature(items: list[ChatItem]) -> tuple:
    return tuple((i.key, i.status) for i in items)


def _read(session, channel_id: str, thread: str, with_widget: bool):
    lines = webchat.history(session, channel_id, thread)
    return lines, (webchat.widget(session, channel_id) if with_widget else None)


async def _connected(token: str) -> bool:
    """Whether the tab that started the poll still has its websocket."""
    try:
        from reflex_base.registry import RegistrationContext

        namespace = RegistrationContext.get().app.event_namespace
    except (LookupError, AttributeError, ImportError):
        return True
    if namespace is None:
        return True
    return await namespace._token_manager.is_token_connected(token)


class ChatState(AppState):
    visitor_key: str = rx.LocalStorage("", name="sc_visitor")
    visitor_name: str = rx.LocalStorage("", name="sc_visitor_name")

    loaded: bool = False
    found: bool = False
    available: bool = False
    title: str = ""
    company: str = ""
    greeting: str = ""
    items: list[ChatItem] = []
    error: str = ""

    _channel: str = ""
    _server: list[ChatItem] = []
    _local: list[ChatItem] = []  # sent from this tab, not yet in the history

    @rx.var
    def has_messages(self) -> bool:
        return len(self.items) > 0

    # ------------------------------------------------------------ opening

    @rx.event
    async def load(self):
        lang = self.router.url.query_parameters.get("lang", "")
        if lang in LOCALES:
            self.locale = lang
        channel = _route_channel(self.router.url.path)
        if channel != self._channel:
            self._channel = channel
            self._server, self._local, self.items = [], [], []
        self.error = ""
        if not self.visitor_key:
            self.visitor_key = webchat.new_visitor_id()
        try:
            lines, info = await call(_read, channel, self._thread(), True)
        except (NotFound, InvalidInput):
            self.found = self.available = False
            self.loaded = True
            return None
        self.found = True
        self._widget(info)
        self._take(lines)
        self.loaded = True
        return ChatState.watch

    def _thread(self) -> str:
        return thread_id(self.visitor_key, self._channel)

    def _widget(self, info: webchat.Widget) -> None:
        self.title = info.title
        self.company = info.organization_name
        self.greeting = info.greeting
        self.available = info.is_active

    def _take(self, lines: list[webchat.ChatLine]) -> None:
        self._server = [_item(line) for line in lines]
        self._compose()

    def _compose(self) -> None:
        stored = {i.key for i in self._server}
        self._local = [i for i in self._local if i.key not in stored]
        self.items = self._server + self._local

    @rx.event
    def set_visitor_name(self, value: str):
        self.visitor_name = " ".join((value or "").split())[:120]

    # ------------------------------------------------------------ sending

    @rx.event
    async def send(self, form: dict):
        text = str(form.get("text") or "").strip()
        if not text or not self.found:
            return
        client_id = uuid.uuid4().hex[:20]
        self._local = [*self._local, ChatItem(client_id, "visitor", text, "", "sending", client_id)]
        self._compose()
        self.error = ""
        yield
        await self._deliver(client_id)

    @rx.event
    async def retry(self, client_id: str):
        item = next((i for i in self._local if i.client_id == client_id), None)
        if item is None or item.status != "failed":
            return
        self._set_local(client_id, status="sending")
        self.error = ""
        yield
        await self._deliver(client_id)

    async def _deliver(self, client_id: str) -> None:
        item = next((i for i in self._local if i.client_id == client_id), None)
        if item is None:
            return
        try:
            # The same client id on a resend: the service stores the message once.
            line = await call(webchat.send, self._channel, self._thread(), item.text,
                              client_id=client_id, name=self.visitor_name or None)
        except Exception as exc:  # noqa: BLE001 - shown translated
            if getattr(exc, "code", "") == "channel_disabled":
                self.available = False
            self.error = self._message(exc)
            self._set_local(client_id, status="failed")
            return
        stored = _item(line)
        self._local = [i for i in self._local if i.client_id != client_id]
        if all(i.key != stored.key for i in self._server):
            self._server = [*self._server, stored]
        self._compose()

    def _set_local(self, client_id: str, **changes) -> None:
        self._local = [dataclasses.replace(i, **changes) if i.client_id == client_id else i
                       for i in self._local]
        self._compose()

    # ------------------------------------------------------------ live updates

    @rx.event(background=True, supersedes=True)
    async def watch(self):
        """Follow the conversation while this tab is open.

        A newer watch in the same tab (a reload, a reconnect) supersedes this one;
        a closed tab ends it at the next check of its websocket.
        """
        async with self:
            channel, thread = self._channel, self._thread()
            seen = _signature(self._server)
            available = self.available
            token = self.router.session.client_token
        if not channel:
            return
        last_news = time.monotonic()
        tick = 0
        while True:
            idle = time.monotonic() - last_news > IDLE_AFTER
            await asyncio.sleep(IDLE_POLL_SECONDS if idle else POLL_SECONDS)
            if not await _connected(token):
                return
            tick += 1
            try:
                lines, info = await call(_read, channel, thread, tick % WIDGET_EVERY == 0)
            except NotFound:
                return  # the channel was removed
            except Exception:  # noqa: BLE001 - a database hiccup: try again next time
                log.exception("web chat history could not be read")
                continue
            items = [_item(line) for line in lines]
            now_available = info.is_active if info is not None else available
            if _signature(items) == seen and now_available == available:
                continue
            last_news = time.monotonic()
            async with self:
                if self._channel != channel:
                    return  # this tab moved on to another chat
                self._server = items
                self._compose()
                self.available = now_available
            seen, available = _signature(items), now_available
