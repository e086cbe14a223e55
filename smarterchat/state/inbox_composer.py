"""The open conversation's composer and actions: reply, private note, template, AI
drafts, canned responses, attachments, take over, return to the AI, transfer (to a person
or a team), resolve, reopen, labels.

Every action goes through the inbox service, which checks role and tenant; a refusal
(someone else's conversation, no AI on the channel, WhatsApp's window closed) is shown
translated above the thread. Every action is ``_change``: the page-action helper on the
open conversation, then the thread and the list read again. Over 300 lines because there
is one handler per composer control (and the customer's "typing" notice), each a few lines.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Callable
from typing import Any

import reflex as rx

from smarterchat.backend.services import ai_assist, attachments, inbox, templates
from smarterchat.backend.services.attachments import Attachment
from smarterchat.backend.services.errors import ServiceError
from smarterchat.i18n import translate
from smarterchat.state.inbox import InboxState
from smarterchat.state.inbox_items import TemplateItem
from smarterchat.state.session import SignedOut

CANNED_DEFAULTS = ("inbox.canned_greeting", "inbox.canned_checking", "inbox.canned_thanks",
                   "inbox.canned_anything_else")
MAX_CANNED = 30
TYPING_EVERY = 3.0  # seconds between "typing" notices while a consultant writes


class InboxComposerState(InboxState):
    draft: str = ""
    _typing_at: float = 0.0  # when the last "typing" notice went out (monotonic)
    private: bool = False  # a note for the team, never sent to the customer
    sending: bool = False
    suggestions: list[str] = []
    suggesting: bool = False
    template_key: str = ""
    template_params: list[str] = []
    label_draft: str = ""
    transfer_open: bool = False
    attaching: bool = False
    attachment_name: str = ""  # the file waiting to go with the next reply
    attachment_kind: str = ""
    attachment_size: str = ""  # "1.2 MB"
    _attachment: dict = {}  # Attachment's fields: the stored file's key stays on the server
    # Canned responses this browser added, per organisation: {org id: [text, ...]}.
    canned_store: str = rx.LocalStorage("{}", name="sc_canned", sync=True)

    def _clear(self) -> None:
        self.draft = ""
        self.private = False
        self.suggestions = []
        self.template_key = ""
        self.template_params = []
        self.label_draft = ""
        self.transfer_open = False
        self._drop_attachment()

    def _drop_attachment(self) -> None:
        self._attachment = {}
        self.attachment_name = self.attachment_kind = self.attachment_size = ""

    # ------------------------------------------------------------ derived

    def _custom_canned(self) -> dict[str, list[str]]:
        try:
            stored = json.loads(self.canned_store or "{}")
        except ValueError:
            return {}
        return stored if isinstance(stored, dict) else {}

    @rx.var
    def canned(self) -> list[str]:
        mine = [str(t) for t in self._custom_canned().get(self.org_id, []) if str(t).strip()]
        return [translate(key, self.locale) for key in CANNED_DEFAULTS] + mine

    @rx.var
    def custom_canned(self) -> list[str]:
        return [str(t) for t in self._custom_canned().get(self.org_id, [])]

    @rx.var
    def template(self) -> TemplateItem:
        return next((t for t in self.contact.templates if t.key == self.template_key),
                    TemplateItem())

    @rx.var
    def template_preview(self) -> str:
        return templates.fill(self.template.body, self.template_params)

    @rx.var
    def attach_accept(self) -> dict[str, list[str]]:
        """What the open conversation's channel can deliver, for the file picker."""
        return attachments.accept_list(self.current.channel_kind)

    @rx.var
    def needs_template(self) -> bool:
        """The service says the channel's window is closed and it takes templates: only an
        approved template may be sent (a note still may be written)."""
        return self.contact.needs_template and not self.private

    # ------------------------------------------------------------ acting

    def _change(self, fn: Callable[..., Any], *args: Any, busy: str = "",
                then: Callable[[Any], Any] | None = None, **kw: Any):
        """An inbox action on the open conversation (the handler returns it); on success
        the thread and the list are read again, then ``then`` runs."""
        if not self.selected_id:
            return None

        async def changed(result: Any) -> None:
            await self._refresh_open()
            await self._refresh_list()
            if then is not None:
                then(result)

        return self._action(fn, self.selected_id, *args, **kw, busy=busy,
                            error="action_error", then=changed)

    @rx.event
    def take_over(self):
        return self._change(inbox.take_over)

    @rx.event
    def return_to_ai(self):
        return self._change(inbox.return_to_ai)

    @rx.event
    def resolve(self):
        return self._change(inbox.resolve)

    @rx.event
    def reopen(self):
        return self._change(inbox.reopen)

    @rx.event
    def set_transfer_open(self, value: bool):
        self.transfer_open = bool(value)

    @rx.event
    def transfer(self, user_id: str):
        self.transfer_open = False
        return self._change(inbox.transfer, user_id)

    @rx.event
    def transfer_team(self, team_id: str):
        self.transfer_open = False
        return self._change(inbox.transfer_to_team, team_id)

    @rx.event
    def set_label_draft(self, value: str):
        self.label_draft = (value or "")[:40]

    @rx.event
    def add_label(self, form: dict | None = None):
        label = " ".join(str((form or {}).get("label") or self.label_draft).split())
        if not label:
            return None
        self.label_draft = ""
        return self._change(inbox.set_labels, [*self.current.labels, label],
                            then=self._offer_labels)

    def _offer_labels(self, _result: object) -> None:
        self.labels = sorted({*self.labels, *self.current.labels})  # the filter offers it

    @rx.event
    def remove_label(self, label: str):
        return self._change(inbox.set_labels, [x for x in self.current.labels if x != label])

    # ------------------------------------------------------------ writing

    @rx.event
    def set_draft(self, value: str):
        self.draft = (value or "")[:4096]
        # The customer's web chat shows "Carla is typing…"; one notice every few seconds.
        now = time.monotonic()
        if self.draft.strip() and not self.private and self.selected_id and \
                now - self._typing_at > TYPING_EVERY:
            self._typing_at = now
            return InboxComposerState.tell_typing
        return None

    @rx.event
    async def tell_typing(self):
        with contextlib.suppress(ServiceError, SignedOut):  # a missed notice is harmless
            await self._as_actor(inbox.typing, self.selected_id)

    @rx.event
    def set_private(self, value: bool):
        self.private = bool(value)

    @rx.event
    def send(self, form: dict | None = None):
        text = str((form or {}).get("text") or self.draft).strip()
        file = Attachment(**self._attachment) if self._attachment and not self.private else None
        if (not text and file is None) or self.sending:
            return None
        return self._change(inbox.reply, text, private=self.private, attachment=file,
                            busy="sending", then=lambda _: self._sent(file is not None))

    def _sent(self, with_file: bool) -> None:
        self.draft = ""
        self.suggestions = []
        if with_file:
            self._drop_attachment()

    # ------------------------------------------------------------ attachments

    @rx.event
    async def attach(self, files: list[rx.UploadFile]):
        """A file chosen in the composer: checked for this channel and stored; it goes out
        with the next reply, its text as the caption."""
        if not files or not self.selected_id or self.attaching:
            return
        file = files[0]
        name = str(file.name or file.filename or "")
        # One byte over the limit is enough for the service to refuse it.
        data = await file.read(attachments.MAX_BYTES + 1)
        async for event in self._action(inbox.attach, self.selected_id, name, data,
                                        busy="attaching", error="action_error",
                                        then=self._attached):
            yield event

    def _attached(self, stored: Attachment) -> None:
        self._attachment = dataclasses.asdict(stored)
        self.attachment_name, self.attachment_kind = stored.name, stored.kind
        self.attachment_size = _size(stored.size)
        self.private = False  # a file goes to the customer, never into a note

    @rx.event
    def attach_refused(self, rejected: list[str]):
        """A file the browser refused before sending it ("name<TAB>codes")."""
        name, _, codes = str((rejected or [""])[0]).partition("\t")
        code = "attachment_too_large" if "file-too-large" in codes else "attachment_type_refused"
        self.action_error = self._message(ServiceError(
            code, name=name, max_mb=attachments.MAX_BYTES // attachments.MB))

    @rx.event
    def remove_attachment(self):
        self._drop_attachment()

    @rx.event
    def use_text(self, text: str):
        """A canned response or an AI draft goes into the box, to edit before sending."""
        self.draft = (text or "")[:4096]
        self.suggestions = []

    @rx.event
    def add_canned(self, form: dict):
        text = " ".join(str(form.get("canned") or "").split())[:1000]
        if not text or not self.org_id:
            return
        stored = self._custom_canned()
        mine = [t for t in stored.get(self.org_id, []) if t != text]
        stored[self.org_id] = [*mine, text][-MAX_CANNED:]
        self.canned_store = json.dumps(stored)

    @rx.event
    def remove_canned(self, text: str):
        stored = self._custom_canned()
        stored[self.org_id] = [t for t in stored.get(self.org_id, []) if t != text]
        self.canned_store = json.dumps(stored)

    @rx.event(background=True)
    async def suggest(self):
        """Drafts from the AI, without holding the page while the model thinks."""
        async with self:
            if self.suggesting or not self.selected_id:
                return
            cid = self.selected_id
            self.suggesting = True
            self.action_error = ""
        try:
            drafts = await self._unlocked(ai_assist.suggest, cid)
            error = "" if drafts else self._t("inbox.no_suggestions")
        except SignedOut:
            drafts, error = [], ""
        except Exception as exc:  # noqa: BLE001 - shown as a sentence
            drafts, error = [], self._message(exc)
        async with self:
            self.suggesting = False
            if self.selected_id == cid:
                self.suggestions = [d for d in drafts if d.strip()][:5]
                self.action_error = error

    # ------------------------------------------------------------ templates

    @rx.event
    def choose_template(self, key: str):
        found = next((t for t in self.contact.templates if t.key == key), None)
        self.template_key = found.key if found else ""
        self.template_params = [""] * (found.params if found else 0)

    @rx.event
    def set_template_param(self, index: int, value: str):
        if 0 <= index < len(self.template_params):
            params = list(self.template_params)
            params[index] = (value or "")[:200]
            self.template_params = params

    @rx.event
    def send_template(self):
        found = self.template
        if not found.key or self.sending:
            return None
        if any(not p.strip() for p in self.template_params):
            self.action_error = self._t("inbox.template_fill")
            return None
        return self._change(inbox.reply, templates.fill(found.body, self.template_params),
                            template=templates.outbound(found, self.template_params),
                            busy="sending", then=self._template_sent)

    def _template_sent(self, _result: object) -> None:
        self.template_key = ""
        self.template_params = []


def _size(size: int) -> str:
    return f"{size / attachments.MB:.1f} MB" if size >= 100_000 else f"{max(1, size // 1000)} kB"
