"""The public web chat page (/chat/<channel id>): a visitor, no account.

The visitor's key is made once (``webchat.new_visitor_id``) and kept in the browser's
localStorage, so a reload finds the same conversation. The service gets a per-channel
id derived from it rather than the key itself: consultants see that id on the
contact, and it must not be enough to read the visitor's chat from another browser,
nor to link one visitor across companies.

Replies (AI or consultant) arrive through a background event that follows the
organisation's real-time notices, the ones the inbox follows, and reads the history
again when a notice names one of this visitor's conversations, or after ten quiet
seconds (a safety net, and the channel's on/off switch). It touches the state only
when something changed, and ends when the tab's websocket is gone.

Over 300 lines because everything a visitor does on one page (send, retry, attach, rate,
follow replies and typing) shares the thread it keeps; split, the pieces would pass the
thread between states.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import uuid

import reflex as rx

from smarterchat.backend.services import attachments, page_views, webchat
from smarterchat.backend.services.errors import InvalidInput, NotFound
from smarterchat.i18n import LOCALES, translate
from smarterchat.state import inbox_live
from smarterchat.state.session import AppState, call

log = logging.getLogger(__name__)


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
    author_name: str = ""  # the consultant who wrote it
    notice: str = ""  # joined, back_to_ai, waiting, closing, survey
    rating: int = 0  # a survey: the stars given
    conversation_id: str = ""


ACCEPT = attachments.accept_list("webchat")  # what the file picker offers
MAX_FILE_BYTES = attachments.MAX_BYTES


def thread_id(visitor_key: str, channel_id: str) -> str:
    """The id the service knows this visitor by on one channel."""
    return hashlib.sha256(f"{visitor_key}:{channel_id}".encode()).hexdigest()[:40]


def _route_channel(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "chat" else ""


def _item(line: webchat.ChatLine) -> ChatItem:
    return ChatItem(key=line.id, author=line.author, text=line.text,
                    at=line.created_at.isoformat(), status=line.status,
                    media_url=line.media_url, media_kind=line.media_kind,
                    media_name=line.media_name, author_name=line.author_name,
                    notice=line.notice, rating=line.rating,
                    conversation_id=line.conversation_id)


def _signature(items: list[ChatItem]) -> tuple:
    return tuple((i.key, i.status, i.rating) for i in items)


class ChatState(AppState):
    visitor_key: str = rx.LocalStorage("", name="sc_visitor")
    visitor_name: str = rx.LocalStorage("", name="sc_visitor_name")

    loaded: bool = False
    found: bool = False
    available: bool = False
    title: str = ""
    company: str = ""
    greeting: str = ""
    privacy_notice: str = ""
    items: list[ChatItem] = []
    comment: str = ""
    attaching: bool = False
    typing_name: str = ""  # the consultant writing a reply right now
    error: str = ""

    _channel: str = ""
    _org: str = ""
    _conversations: list[str] = []  # this visitor's, whose notices matter here
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
            chat = await call(page_views.visitor_chat, channel, self._thread(), with_widget=True)
        except (NotFound, InvalidInput):
            self.found = self.available = False
            self.loaded = True
            return None
        self.found = True
        assert chat.widget is not None  # asked for with_widget
        self._widget(chat.widget)
        self._take(chat.lines)
        self.loaded = True
        return ChatState.watch

    def _thread(self) -> str:
        return thread_id(self.visitor_key, self._channel)

    def _widget(self, info: webchat.Widget) -> None:
        self.title = info.title
        self.company = info.organization_name
        self.greeting = info.greeting
        self.privacy_notice = info.privacy_notice
        self.available = info.is_active
        self._org = info.organization_id

    def _take(self, lines: list[webchat.ChatLine]) -> None:
        self._server = [_item(line) for line in lines]
        self._conversations = sorted({line.conversation_id for line in lines})
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
        self._local = [*self._local, ChatItem(key=client_id, author="visitor", text=text,
                                             status="sending", client_id=client_id)]
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
                              client_id=client_id, name=self.visitor_name or None,
                              ip=self.router.session.client_ip or None)
        except Exception as exc:  # noqa: BLE001 - shown translated
            if getattr(exc, "code", "") == "channel_disabled":
                self.available = False
            self.error = self._message(exc)
            self._set_local(client_id, status="failed")
            return
        self._local = [i for i in self._local if i.client_id != client_id]
        self._add_stored(line)

    def _add_stored(self, line: webchat.ChatLine) -> None:
        stored = _item(line)
        if line.conversation_id not in self._conversations:
            self._conversations = [*self._conversations, line.conversation_id]
        if all(i.key != stored.key for i in self._server):
            self._server = [*self._server, stored]
        self._compose()

    def _set_local(self, client_id: str, **changes) -> None:
        self._local = [dataclasses.replace(i, **changes) if i.client_id == client_id else i
                       for i in self._local]
        self._compose()

    @rx.event
    async def attach(self, files: list[rx.UploadFile]):
        """A photo or document from the visitor's device, checked and stored by the service."""
        if not files or not self.found or self.attaching:
            return
        file = files[0]
        # One byte over the limit is enough for the service to refuse it.
        data = await file.read(attachments.MAX_BYTES + 1)
        self.attaching, self.error = True, ""
        yield
        try:
            line = await call(webchat.send_file, self._channel, self._thread(),
                              str(file.name or file.filename or ""), data,
                              client_id=uuid.uuid4().hex[:20], name=self.visitor_name or None,
                              ip=self.router.session.client_ip or None)
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.error = self._message(exc)
        else:
            self._add_stored(line)
        finally:
            self.attaching = False

    @rx.event
    def attach_refused(self, names: list[str]):
        self.error = translate("error.attachment_type_refused", self.locale,
                               channel="web chat", name=", ".join(names))

    # ------------------------------------------------------------ the survey

    @rx.event
    def set_comment(self, value: str):
        self.comment = (value or "")[:1000]

    @rx.event
    async def rate(self, conversation_id: str, stars: int):
        try:
            await call(webchat.rate, self._channel, self._thread(), conversation_id,
                       int(stars), self.comment)
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.error = self._message(exc)
            return
        self.error, self.comment = "", ""
        self._server = [dataclasses.replace(i, rating=int(stars))
                        if i.notice == "survey" and i.conversation_id == conversation_id else i
                        for i in self._server]
        self._compose()

    # ------------------------------------------------------------ live updates

    @rx.event(background=True, supersedes=True)
    async def watch(self):
        """Follow the conversation while this tab is open.

        A newer watch in the same tab (a reload, a reconnect) supersedes this one;
        a closed tab ends it at the next batch of notices or quiet tick.
        """
        async with self:
            channel, thread, org = self._channel, self._thread(), self._org
            seen = _signature(self._server)
            available = self.available
            token = self.router.session.client_token
        if not channel or not org:
            return
        async for batch in inbox_live.batches(org):
            if not await inbox_live.connected(token):
                return
            async with self:
                if self._channel != channel:
                    return  # this tab moved on to another chat
                mine = set(self._conversations)
            quiet = not batch or any(n.get("type") == "resubscribed" for n in batch)
            typing = [n for n in batch if n.get("type") == "typing"
                      and n.get("conversation_id") in mine]
            if typing or quiet:
                async with self:  # shown until the reply arrives or a quiet tick passes
                    self.typing_name = str(typing[-1].get("name") or "") if typing else ""
            batch = [n for n in batch if n.get("type") != "typing"]
            if not quiet and not any(n.get("conversation_id") in mine for n in batch):
                continue  # another visitor's conversation, or the inbox's own business
            try:
                chat = await call(page_views.visitor_chat, channel, thread, with_widget=quiet)
            except NotFound:
                return  # the channel was removed
            except Exception:  # noqa: BLE001 - a database hiccup: try again next time
                log.exception("web chat history could not be read")
                continue
            items = [_item(line) for line in chat.lines]
            now_available = chat.widget.is_active if chat.widget is not None else available
            if _signature(items) == seen and now_available == available:
                continue
            async with self:
                if self._channel != channel:
                    return
                self._take(chat.lines)
                self.available = now_available
                self.typing_name = ""  # the reply (or something else) arrived
            seen, available = _signature(items), now_available
