"""One channel: name, on/off, the answering agent, credentials, webhook, embed code,
connection test and WhatsApp templates.

Talking to Meta can take seconds, so the connection test and the template sync run as
background events: the page stays usable and shows their progress.
"""

from __future__ import annotations

import dataclasses
import html
import json
from typing import Any, TypeVar

import reflex as rx

from smarterchat.backend.services import channels, page_views
from smarterchat.backend.services.page_views import AgentOption
from smarterchat.state.channels import NO_AGENT
from smarterchat.state.session import PageState

T = TypeVar("T")
TEMPLATE_COLORS = {"APPROVED": "grass", "PENDING": "amber", "REJECTED": "red", "PAUSED": "orange",
                   "DISABLED": "gray"}


@dataclasses.dataclass
class TemplateItem:
    name: str = ""
    language: str = ""
    status: str = ""
    category: str = ""


def _templates(rows: list[dict]) -> list[TemplateItem]:
    return [TemplateItem(name=str(r.get("name") or ""), language=str(r.get("language") or ""),
                         status=str(r.get("status") or "").upper(),
                         category=str(r.get("category") or ""))
            for r in rows]


def _route_channel(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[2] if len(parts) == 3 and parts[:2] == ["settings", "channels"] else ""


def iframe_snippet(url: str) -> str:
    src = html.escape(url, quote=True)
    return (f'<iframe src="{src}" title="Chat" style="width:100%;max-width:420px;height:620px;'
            'border:0;border-radius:16px;box-shadow:0 8px 30px rgba(0,0,0,.12)" '
            'allow="clipboard-write"></iframe>')


_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28" viewBox="0 0 24 24" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round">{}</svg>')
_CHAT_ICON = _SVG.format('<path d="M7.9 20A9 9 0 1 0 4 16.1L2 22Z"/>')
_CLOSE_ICON = _SVG.format('<path d="M18 6 6 18"/><path d="m6 6 12 12"/>')


def bubble_snippet(url: str) -> str:
    # Self-contained: nothing to host, it only opens the public chat page in a frame.
    return (
        "<script>(function(){var u=" + json.dumps(url) + ",o=false,d=document,"
        "c=" + json.dumps(_CHAT_ICON) + ",x=" + json.dumps(_CLOSE_ICON) + ","
        "f=d.createElement('iframe'),b=d.createElement('button');"
        "f.src=u;f.title='Chat';f.style.cssText='position:fixed;bottom:88px;right:16px;"
        "width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 120px));border:0;"
        "border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.2);display:none;"
        "z-index:2147483646;background:#fff';"
        "b.type='button';b.setAttribute('aria-label','Chat');b.innerHTML=c;"
        "b.style.cssText='position:fixed;bottom:16px;right:16px;width:60px;height:60px;"
        "border-radius:50%;border:0;background:#12a594;color:#fff;cursor:pointer;display:flex;"
        "align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.25);"
        "z-index:2147483647';"
        "b.onclick=function(){o=!o;f.style.display=o?'block':'none';b.innerHTML=o?x:c;};"
        "d.body.appendChild(f);d.body.appendChild(b);})();</script>"
    )


class ChannelDetailState(PageState):
    # "channel_id" is the route's own variable; this page keeps its own copy.
    channel_key: str = ""
    kind: str = ""
    name: str = ""
    active: bool = True
    agent_choice: str = NO_AGENT
    _saved_agent: str = NO_AGENT
    external_id: str = ""
    business_account_id: str = ""
    token_hint: str = ""
    secret_hint: str = ""
    verify_token: str = ""
    webhook_url: str = ""
    widget_url: str = ""
    widget_title: str = ""
    widget_greeting: str = ""
    widget_origins: str = ""
    agents: list[AgentOption] = []
    can_manage: bool = False
    just_created: bool = False
    notice: str = ""
    form_key: int = 0  # bumped after a save: the form re-mounts with the saved values

    save_busy: bool = False
    save_error: str = ""
    active_busy: bool = False

    test_busy: bool = False
    test_result: str = ""  # "", "ok" or "failed"
    test_detail: str = ""

    sync_busy: bool = False
    sync_error: str = ""
    synced: bool = False
    templates: list[TemplateItem] = []

    embed_mode: str = "iframe"

    @rx.var
    def iframe_code(self) -> str:
        return iframe_snippet(self.widget_url) if self.widget_url else ""

    @rx.var
    def bubble_code(self) -> str:
        return bubble_snippet(self.widget_url) if self.widget_url else ""

    @rx.var
    def agent_name(self) -> str:
        return next((a.name for a in self.agents if a.id == self.agent_choice), "")

    @rx.var
    def meta_product(self) -> str:
        return "Instagram" if self.kind == "instagram" else "WhatsApp"

    # ------------------------------------------------------------ loading

    @rx.event
    async def load(self):
        key = _route_channel(self.router.url.path)
        if key != self.channel_key:
            self._reset_page()
        self.channel_key = key
        self.just_created = self.router.url.query_parameters.get("new") == "1"
        return await self._load(page_views.channel_page, key, then=self._take)

    def _take(self, page: page_views.ChannelPage) -> None:
        self.agents = page.agents
        self.can_manage = page.can_manage
        self._show(page.channel)

    def _reset_page(self) -> None:
        self.loaded = False
        self.notice = self.save_error = self.sync_error = self.test_result = self.test_detail = ""
        self.synced = False
        self.templates = []
        self.embed_mode = "iframe"

    def _show(self, view: channels.ChannelView) -> None:
        self.kind = view.kind
        self.name = view.name
        self.active = view.is_active
        self.agent_choice = self._saved_agent = view.agent_id or NO_AGENT
        self.external_id = view.external_id or ""
        self.business_account_id = view.business_account_id or ""
        self.token_hint = view.access_token_hint
        self.secret_hint = view.app_secret_hint
        self.verify_token = view.verify_token
        self.webhook_url = view.webhook_url
        self.widget_url = view.widget_url
        self.widget_title = view.widget_title
        self.widget_greeting = view.widget_greeting
        self.widget_origins = view.widget_origins

    # ------------------------------------------------------------ editing

    @rx.event
    def set_agent_choice(self, value: str):
        if value == NO_AGENT or any(a.id == value for a in self.agents):
            self.agent_choice = value

    @rx.event
    def set_embed_mode(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        if value in ("iframe", "bubble"):
            self.embed_mode = value

    @rx.event
    def save(self, form: dict):
        self.save_error = self.notice = ""
        changes: dict[str, Any] = {}
        name = str(form.get("name") or "")
        if " ".join(name.split()) != self.name:
            changes["name"] = name
        if self.agent_choice != self._saved_agent:
            changes["agent_id"] = None if self.agent_choice == NO_AGENT else self.agent_choice
        for field in ("access_token", "app_secret"):
            secret = str(form.get(field) or "").strip()
            if secret:  # empty keeps the stored value
                changes[field] = secret
        if self.kind == "whatsapp":
            waba = str(form.get("business_account_id") or "").strip()
            if waba != self.business_account_id:
                changes["business_account_id"] = waba
        if self.kind == "webchat":
            for field in ("widget_title", "widget_greeting", "widget_origins"):
                value = str(form.get(field) or "").strip()
                if value != getattr(self, field):
                    changes[field] = value
        if not changes:
            self.notice = self._t("channel.nothing_changed")
            return None
        return self._action(channels.update_channel, self.channel_key, **changes,
                            busy="save_busy", error="save_error", then=self._saved)

    def _saved(self, view: channels.ChannelView) -> None:
        self._show(view)
        self.form_key += 1  # empties the secret fields
        self.notice = self._t("common.saved")

    @rx.event
    def set_active(self, value: bool):
        self.notice = ""
        return self._action(channels.update_channel, self.channel_key, is_active=bool(value),
                            busy="active_busy", error="save_error", then=self._switched)

    def _switched(self, view: channels.ChannelView) -> None:
        self._show(view)
        self.notice = self._t("channel.enabled" if view.is_active else "channel.disabled")

    # ------------------------------------------------------------ talking to Meta

    @rx.event(background=True)
    async def test_connection(self):
        async for event in self._background(channels.test_connection, busy="test_busy",
                                            start=self._start_test, then=self._tested,
                                            fail=self._test_failed):
            yield event

    def _start_test(self) -> tuple[str]:
        self.test_result = self.test_detail = ""
        return (self.channel_key,)

    def _tested(self, check: channels.ConnectionCheck) -> None:
        self.test_result = "ok" if check.ok else "failed"
        self.test_detail = check.detail[:500]

    def _test_failed(self, exc: Exception) -> None:
        self.test_result = "failed"
        self.test_detail = self._message(exc)

    @rx.event(background=True)
    async def sync_templates(self):
        async for event in self._background(channels.sync_templates, busy="sync_busy",
                                            start=self._start_sync, then=self._synced,
                                            fail=self._sync_failed):
            yield event

    def _start_sync(self) -> tuple[str]:
        self.sync_error = ""
        return (self.channel_key,)

    def _synced(self, rows: list[dict]) -> None:
        self.synced = True
        self.templates = _templates(rows)

    def _sync_failed(self, exc: Exception) -> None:
        self.sync_error = self._message(exc)
