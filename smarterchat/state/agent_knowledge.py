"""The agent page's knowledge base: FAQs and documents, adding, deleting, and following
documents while the worker processes them.

The following runs as a background event, once a second, one per tab, until no
document is processing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time

import reflex as rx
from reflex.event import EventSpec

import tasks.ai
from smarterchat.backend.services import agents, page_views
from smarterchat.state.agent_detail import AgentDetailState

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = agents.MAX_DOCUMENT_BYTES
MAX_FILES = 5  # per upload, as the drop zone says
POLL_SECONDS = 1.0
POLL_LIMIT = 900  # about 15 minutes: a queue with no worker must not be polled for ever


@dataclasses.dataclass
class KnowledgeRow:
    id: str = ""
    kind: str = ""  # faq or document
    title: str = ""
    preview: str = ""
    status: str = ""  # processing, ready or failed
    progress: int = 0
    error: str = ""
    chunks: int = 0


def _rows(items: list[agents.KnowledgeView]) -> list[KnowledgeRow]:
    return [KnowledgeRow(id=i.id, kind=i.kind, title=i.title, preview=i.preview,
                         status=i.status, progress=int(i.progress or 0), error=i.error or "",
                         chunks=i.chunks) for i in items]


class AgentKnowledgeState(AgentDetailState):
    knowledge: list[KnowledgeRow] = []
    faq_busy: bool = False
    faq_error: str = ""
    faq_key: int = 0  # bumped after an FAQ is added: its form re-mounts empty
    upload_busy: bool = False
    upload_error: str = ""
    kb_notice: str = ""
    delete_id: str = ""
    delete_title: str = ""
    delete_open: bool = False
    delete_busy: bool = False
    delete_error: str = ""
    _poll_beat: float = 0.0  # time.time() of the document follower's last round

    @rx.var
    def faqs(self) -> list[KnowledgeRow]:
        return [k for k in self.knowledge if k.kind == "faq"]

    @rx.var
    def documents(self) -> list[KnowledgeRow]:
        return [k for k in self.knowledge if k.kind != "faq"]

    @rx.var
    def processing(self) -> bool:
        return any(k.status == "processing" for k in self.knowledge)

    def _reset_part(self) -> None:
        self.knowledge = []
        self.faq_error = self.upload_error = self.kb_notice = ""

    def _take_page(self, page: page_views.AgentPage) -> EventSpec | None:
        self.knowledge = _rows(page.knowledge)
        return AgentKnowledgeState.poll_knowledge if self.processing else None

    async def _reload_knowledge(self, _result: object = None) -> None:
        await self._reread(agents.list_knowledge, self.agent_key, then=self._show_knowledge)

    def _show_knowledge(self, items: list[agents.KnowledgeView]) -> None:
        self.knowledge = _rows(items)

    # ------------------------------------------------------------ FAQs

    @rx.event
    def add_faq(self, form: dict):
        self.kb_notice = ""
        return self._action(agents.add_faq, self.agent_key, str(form.get("question") or ""),
                            str(form.get("answer") or ""), busy="faq_busy",
                            error="faq_error", explain=self._error, then=self._faq_added)

    async def _faq_added(self, _item_id: str) -> None:
        await self._reload_knowledge()
        self.faq_key += 1
        self.kb_notice = self._t("agent.faq_added")

    # ------------------------------------------------------------ documents

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        if not files:  # all refused by the browser: upload_refused says why
            return
        self.upload_busy = True
        self.upload_error = self.kb_notice = ""
        yield
        problems: list[str] = []
        added = 0
        for file in files[:MAX_FILES]:
            name = str(file.name or file.filename or "")
            # One byte over the limit is enough for the service to refuse it.
            data = await file.read(MAX_UPLOAD_BYTES + 1)
            async for event in self._action(agents.add_document, self.agent_key, name, data,
                                            error="upload_error", explain=self._error,
                                            then=self._process):
                if event is not None:  # signed out: the browser goes to /login
                    self.upload_busy = False
                    yield event
                    return
            if self.upload_error:
                problems.append(f"{name}: {self.upload_error}")
            else:
                added += 1
        self.upload_error = "\n".join(problems)
        if added:
            self.kb_notice = self._t("agent.document_added", count=added)
        await self._reload_knowledge()
        self.upload_busy = False
        if self.processing:
            yield AgentKnowledgeState.poll_knowledge

    @staticmethod
    async def _process(item_id: str) -> None:
        # The page enqueues the processing, as a route would: services never import tasks.
        await asyncio.to_thread(tasks.ai.process_document, item_id)

    @rx.event
    def upload_refused(self, rejected: list[str]):
        """Files the browser refused before sending them: "name<TAB>codes" each, codes
        being react-dropzone's (file-too-large, file-invalid-type, too-many-files)."""
        problems = []
        for entry in rejected or []:
            name, _, codes = str(entry).partition("\t")
            key = "agent.error.document_too_large" if "file-too-large" in codes \
                else "agent.error.too_many_files" if "too-many-files" in codes \
                else "error.unsupported_document"
            problems.append(f"{name}: {self._t(key, max_mb=MAX_UPLOAD_BYTES // (1024 * 1024))}")
        self.upload_error = "\n".join(problems)
        self.kb_notice = ""

    @rx.event(background=True)
    async def poll_knowledge(self):
        """Follow documents being processed, once a second, until none is."""
        async with self:
            # One follower per tab; a beat older than a few seconds is from a follower
            # that died with its server, so a new one takes over.
            if time.time() - self._poll_beat < 3 * POLL_SECONDS + 2:
                return
            self._poll_beat = time.time()
            key = self.agent_key
        try:
            for _ in range(POLL_LIMIT):
                await asyncio.sleep(POLL_SECONDS)
                try:
                    items = await self._unlocked(agents.list_knowledge, key)
                except Exception:  # noqa: BLE001 - signed out or gone: stop following
                    log.info("stopped following documents", exc_info=True)
                    return
                async with self:
                    if self.agent_key != key:
                        return
                    self._poll_beat = time.time()
                    self.knowledge = _rows(items)
                    if not self.processing:
                        return
        finally:
            async with self:
                self._poll_beat = 0.0

    # ------------------------------------------------------------ deleting

    @rx.event
    def ask_delete(self, item_id: str):
        item = next((k for k in self.knowledge if k.id == item_id), None)
        if item is None:
            return
        self.delete_id, self.delete_title = item.id, item.title
        self.delete_error = ""
        self.delete_open = True

    @rx.event
    def set_delete_open(self, value: bool):
        self.delete_open = bool(value)

    @rx.event
    def confirm_delete(self):
        return self._action(agents.delete_knowledge, self.delete_id, busy="delete_busy",
                            error="delete_error", explain=self._error, then=self._deleted)

    async def _deleted(self, _result: object) -> None:
        await self._reload_knowledge()
        self.delete_open = False
        self.kb_notice = self._t("agent.deleted", title=self.delete_title)
