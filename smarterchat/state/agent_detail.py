"""/agents/<id>: one agent's configuration, its "try it" chat and its knowledge base.

The form is held here field by field, so the "try it" panel answers with what is on the
screen before it is saved. The model call of the preview and the polling of documents
being processed run as background events: the page stays usable meanwhile.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import TypeVar

import reflex as rx

from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import agents, ai_assist, overview
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import ServiceError
from smarterchat.state.agents import agent_error, provider_of
from smarterchat.state.session import Leave, PageState, SignedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_UPLOAD_BYTES = agents.MAX_DOCUMENT_BYTES
POLL_SECONDS = 1.0
POLL_LIMIT = 900  # about 15 minutes: a queue with no worker must not be polled for ever
TEXT_FIELDS = ("name", "persona", "tone", "system_message", "business_facts", "greeting",
               "fallback_message", "model", "handoff_message", "outside_hours_message")
SWITCHES = ("on_request", "negative_sentiment", "hot_lead", "business_hours_only")


@dataclasses.dataclass
class ChannelOption:
    id: str = ""
    kind: str = ""
    name: str = ""
    active: bool = True
    other_agent: str = ""  # the agent answering it now, when it is another one


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


@dataclasses.dataclass
class TryTurn:
    customer: str = ""
    reply: str = ""
    handoff: bool = False
    reason: str = ""
    intent: str = ""
    confidence: int = 0  # percent
    sources: list[str] = dataclasses.field(default_factory=list)


def _route_agent(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "agents" else ""


def _channel_options(data: overview.AgentsOverview, agent_id: str) -> list[ChannelOption]:
    options = [ChannelOption(c.id, c.kind, c.name, c.is_active,
                             "" if a.id == agent_id else a.name)
               for a in data.agents for c in a.channels]
    options += [ChannelOption(c.id, c.kind, c.name, c.is_active)
                for c in data.unassigned_channels]
    return sorted(options, key=lambda o: o.name.lower())


def _rows(items: list[agents.KnowledgeView]) -> list[KnowledgeRow]:
    return [KnowledgeRow(i.id, i.kind, i.title, i.preview, i.status, int(i.progress or 0),
                         i.error or "", i.chunks) for i in items]


def _turns(turns: list[ai_assist.PreviewTurn]) -> list[TryTurn]:
    return [TryTurn(t.customer, t.reply, t.handoff, t.reason or "", t.intent,
                    round((t.confidence or 0) * 100), list(t.sources)) for t in turns]


def _detail(session, actor: Actor, agent_id: str):
    view = agents.get_agent(session, actor, agent_id)
    return (view, agents.list_knowledge(session, actor, agent_id),
            _channel_options(overview.agents(session, actor), view.id),
            actor.can(Permission.AGENTS_MANAGE), *provider_of(session, actor))


def _save(session, actor: Actor, agent_id: str, data: dict, channel_ids: list[str]):
    agents.update_agent(session, actor, agent_id, data)
    agents.set_channels(session, actor, agent_id, channel_ids)
    return agents.get_agent(session, actor, agent_id), _channel_options(
        overview.agents(session, actor), agent_id)


class AgentDetailState(PageState):
    # "agent_id" is the route's own variable; the page keeps its own copy of it.
    agent_key: str = ""
    found: bool = False
    can_manage: bool = False
    provider: str = "offline"
    default_model: str = ""
    tab: str = "config"
    saved_name: str = ""

    # the form, as typed (what "try it" answers with)
    name: str = ""
    persona: str = ""
    tone: str = ""
    system_message: str = ""
    business_facts: str = ""
    rules: list[str] = []
    new_rule: str = ""
    greeting: str = ""
    fallback_message: str = ""
    on_request: bool = True
    negative_sentiment: bool = True
    hot_lead: bool = False
    business_hours_only: bool = False
    keywords: list[str] = []
    min_confidence: int = 35  # percent
    max_turns: int = 3
    handoff_message: str = ""
    outside_hours_message: str = ""
    model: str = ""
    temperature: float = 0.3
    is_active: bool = True
    channel_ids: list[str] = []
    channel_options: list[ChannelOption] = []
    dirty: bool = False

    save_busy: bool = False
    save_error: str = ""
    save_field: str = ""
    notice: str = ""

    # "try it"
    try_turns: list[TryTurn] = []
    try_pending: str = ""
    try_busy: bool = False
    try_error: str = ""
    _try_round: int = 0

    # knowledge
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

    @rx.var
    def try_closed(self) -> bool:
        return any(t.handoff for t in self.try_turns)

    @rx.var
    def temperature_label(self) -> str:
        return f"{self.temperature:.1f}"

    # ------------------------------------------------------------ loading

    @rx.event
    async def load(self):
        key = _route_agent(self.router.url.path)
        if key != self.agent_key:
            self._reset_page()
        self.agent_key = key
        try:
            data = await self._guarded(_detail, key)
        except Leave as leave:
            return leave.event
        self.found = data is not None
        if data is not None:
            view, items, options, can_manage, provider, default_model = data
            self.can_manage = can_manage
            self.provider, self.default_model = provider, default_model
            self.channel_options = options
            self._show(view)
            self.knowledge = _rows(items)
        self.loaded = True
        return AgentDetailState.poll_knowledge if self.processing else None

    def _reset_page(self) -> None:
        self.loaded = self.found = False
        self.tab = "config"
        self.notice = self.save_error = self.save_field = ""
        self.try_turns, self.try_pending, self.try_error = [], "", ""
        self._try_round += 1
        self.knowledge = []
        self.faq_error = self.upload_error = self.kb_notice = ""

    def _show(self, view: agents.AgentView) -> None:
        rules = view.handoff_rules
        self.saved_name = self.name = view.name
        self.persona, self.tone = view.persona, view.tone
        self.system_message, self.business_facts = view.system_message, view.business_facts
        self.rules, self.new_rule = list(view.rules), ""
        self.greeting, self.fallback_message = view.greeting, view.fallback_message
        for switch in SWITCHES:
            setattr(self, switch, bool(rules.get(switch)))
        self.keywords = [str(k) for k in rules.get("keywords") or []]
        self.min_confidence = round(float(rules.get("min_confidence") or 0) * 100)
        self.max_turns = int(rules.get("max_turns_without_progress") or 0)
        self.handoff_message = str(rules.get("handoff_message") or "")
        self.outside_hours_message = str(rules.get("outside_hours_message") or "")
        self.model, self.temperature = view.model, float(view.temperature)
        self.is_active = view.is_active
        self.channel_ids = list(view.channel_ids)
        self.dirty = False

    def _draft(self) -> dict:
        """The form as the service takes it."""
        return {
            "name": self.name, "persona": self.persona, "tone": self.tone,
            "system_message": self.system_message, "business_facts": self.business_facts,
            "rules": list(self.rules), "greeting": self.greeting,
            "fallback_message": self.fallback_message, "model": self.model,
            "temperature": self.temperature, "is_active": self.is_active,
            "handoff_rules": {
                **{switch: getattr(self, switch) for switch in SWITCHES},
                "keywords": list(self.keywords),
                "min_confidence": self.min_confidence / 100,
                "max_turns_without_progress": self.max_turns,
                "handoff_message": self.handoff_message,
                "outside_hours_message": self.outside_hours_message,
            },
        }

    def _error(self, exc: Exception) -> str:
        if isinstance(exc, ServiceError):
            return agent_error(self.locale, exc)
        return self._message(exc)

    # ------------------------------------------------------------ editing

    @rx.event
    def set_tab(self, value: str):
        if value in ("config", "knowledge"):
            self.tab = value

    @rx.event
    def set_text(self, field: str, value: str):
        if field in TEXT_FIELDS:
            setattr(self, field, str(value or ""))
            self._changed()

    @rx.event
    def set_switch(self, field: str, value: bool):
        if field in (*SWITCHES, "is_active"):
            setattr(self, field, bool(value))
            self._changed()

    @rx.event
    def set_min_confidence(self, value: list[float] | float):
        value = (value[0] if value else 0) if isinstance(value, list) else value
        self.min_confidence = min(100, max(0, round(float(value or 0))))
        self._changed()

    @rx.event
    def set_temperature(self, value: list[float] | float):
        value = (value[0] if value else 0) if isinstance(value, list) else value
        self.temperature = round(min(2.0, max(0.0, float(value or 0))), 1)
        self._changed()

    @rx.event
    def set_max_turns(self, value: str):
        try:
            self.max_turns = min(20, max(0, int(float(value))))
        except (TypeError, ValueError):
            return  # a half-typed number: keep the last good one
        self._changed()

    @rx.event
    def toggle_channel(self, channel_id: str, checked: bool):
        if not any(o.id == channel_id for o in self.channel_options):
            return
        chosen = [c for c in self.channel_ids if c != channel_id]
        self.channel_ids = [*chosen, channel_id] if checked else chosen
        self._changed()

    def _changed(self) -> None:
        self.dirty = True
        self.notice = ""

    # rules and scripts, in order

    @rx.event
    def set_new_rule(self, value: str):
        self.new_rule = str(value or "")

    @rx.event
    def add_rule(self):
        text = self.new_rule.strip()
        if text:
            self.rules = [*self.rules, text]
            self.new_rule = ""
            self._changed()

    @rx.event
    def set_rule(self, index: int, value: str):
        if 0 <= index < len(self.rules):
            rules = list(self.rules)
            rules[index] = str(value or "")
            self.rules = rules
            self._changed()

    @rx.event
    def remove_rule(self, index: int):
        if 0 <= index < len(self.rules):
            self.rules = [r for i, r in enumerate(self.rules) if i != index]
            self._changed()

    @rx.event
    def move_rule(self, index: int, step: int):
        target = index + step
        if 0 <= index < len(self.rules) and 0 <= target < len(self.rules):
            rules = list(self.rules)
            rules[index], rules[target] = rules[target], rules[index]
            self.rules = rules
            self._changed()

    # handoff keywords

    @rx.event
    def add_keywords(self, form: dict):
        words = [w.strip() for w in str(form.get("keyword") or "").split(",") if w.strip()]
        known = {k.lower() for k in self.keywords}
        fresh = []
        for word in words:
            if word.lower() not in known:
                known.add(word.lower())
                fresh.append(word)
        if fresh:
            self.keywords = [*self.keywords, *fresh]
            self._changed()

    @rx.event
    def remove_keyword(self, word: str):
        self.keywords = [k for k in self.keywords if k != word]
        self._changed()

    # ------------------------------------------------------------ saving

    @rx.event
    async def save(self):
        self.save_busy = True
        self.save_error = self.save_field = self.notice = ""
        yield
        try:
            view, options = await self._as_actor(_save, self.agent_key, self._draft(),
                                                 list(self.channel_ids))
        except SignedOut:
            self.save_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated, next to its field
            self.save_error = self._error(exc)
            self.save_field = str(getattr(exc, "params", {}).get("field") or "")
            self.save_busy = False
            return
        self.channel_options = options
        self._show(view)
        self.save_busy = False
        self.notice = self._t("common.saved")

    # ------------------------------------------------------------ "try it"

    @rx.event(background=True)
    async def try_send(self, form: dict):
        text = str(form.get("message") or "").strip()
        async with self:
            if self.try_busy or not text or self.try_closed:
                return
            self.try_busy = True
            self.try_error = ""
            self.try_pending = text
            messages = [t.customer for t in self.try_turns] + [text]
            draft, key, round_ = self._draft(), self.agent_key, self._try_round
        try:
            turns = await self._unlocked(ai_assist.preview, key, draft, messages)
        except SignedOut:
            async with self:
                self.try_busy = False
                redirect = self._login_redirect()
            yield redirect
            return
        except Exception as exc:  # noqa: BLE001 - shown translated in the panel
            async with self:
                if round_ == self._try_round:
                    self.try_error = self._error(exc)
                    self.try_pending = ""
                self.try_busy = False
            return
        async with self:
            if round_ == self._try_round:  # not reset meanwhile
                self.try_turns = _turns(turns)
                self.try_pending = ""
            self.try_busy = False

    @rx.event
    def try_reset(self):
        self._try_round += 1
        self.try_turns = []
        self.try_pending = self.try_error = ""
        self.try_busy = False

    # ------------------------------------------------------------ knowledge

    async def _reload_knowledge(self) -> None:
        try:
            items = await self._as_actor(agents.list_knowledge, self.agent_key)
        except (SignedOut, ServiceError):
            return
        self.knowledge = _rows(items)

    @rx.event
    async def add_faq(self, form: dict):
        self.faq_busy = True
        self.faq_error = self.kb_notice = ""
        yield
        try:
            await self._as_actor(agents.add_faq, self.agent_key,
                                 str(form.get("question") or ""), str(form.get("answer") or ""))
        except SignedOut:
            self.faq_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.faq_error = self._error(exc)
            self.faq_busy = False
            return
        await self._reload_knowledge()
        self.faq_busy = False
        self.faq_key += 1
        self.kb_notice = self._t("agent.faq_added")

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        if not files:  # all refused by the browser: upload_refused says why
            return
        self.upload_busy = True
        self.upload_error = self.kb_notice = ""
        yield
        problems: list[str] = []
        added = 0
        for file in files[:5]:
            name = str(file.name or file.filename or "")
            # One byte over the limit is enough for the service to refuse it.
            data = await file.read(MAX_UPLOAD_BYTES + 1)
            try:
                item_id = await self._as_actor(agents.add_document, self.agent_key, name, data)
            except SignedOut:
                self.upload_busy = False
                yield self._login_redirect()
                return
            except Exception as exc:  # noqa: BLE001 - shown translated, per file
                problems.append(f"{name}: {self._error(exc)}")
                continue
            from tasks.ai import process_document

            await asyncio.to_thread(process_document, item_id)
            added += 1
        self.upload_error = "\n".join(problems)
        if added:
            self.kb_notice = self._t("agent.document_added", count=added)
        await self._reload_knowledge()
        self.upload_busy = False
        if self.processing:
            yield AgentDetailState.poll_knowledge

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
    async def confirm_delete(self):
        self.delete_busy = True
        self.delete_error = ""
        yield
        try:
            await self._as_actor(agents.delete_knowledge, self.delete_id)
        except SignedOut:
            self.delete_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.delete_error = self._error(exc)
            self.delete_busy = False
            return
        await self._reload_knowledge()
        self.delete_busy = False
        self.delete_open = False
        self.kb_notice = self._t("agent.deleted", title=self.delete_title)
