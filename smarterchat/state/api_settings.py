"""Settings > API: the organisation's API keys and outgoing webhooks (admins).

A new key's or endpoint's secret is held only until the admin closes its notice: it is
never read back from the server.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import reflex as rx

import tasks.webhooks
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import api_keys, integrations_page, webhooks
from smarterchat.backend.services.pagination import Cursor
from smarterchat.state.session import PageState

SCOPES = ("read", "write", "admin")
EVENTS = webhooks.EVENT_TYPES


def _iso(value) -> str:
    return value.isoformat() if value else ""


@dataclasses.dataclass
class KeyRow:
    id: str = ""
    name: str = ""
    prefix: str = ""
    scopes: list[str] = dataclasses.field(default_factory=list)
    status: str = "active"  # active, revoked, expired
    created_at: str = ""
    expires_at: str = ""
    last_used_at: str = ""


@dataclasses.dataclass
class EndpointRow:
    id: str = ""
    url: str = ""
    events: list[str] = dataclasses.field(default_factory=list)
    is_active: bool = True
    disabled_reason: str = ""


@dataclasses.dataclass
class DeliveryRow:
    id: str = ""
    event: str = ""
    state: str = ""
    attempts: int = 0
    status_code: str = ""
    latency: str = ""
    response: str = ""
    created_at: str = ""


def _key_row(key: api_keys.ApiKeyView) -> KeyRow:
    status = "revoked" if key.revoked_at else ("active" if key.is_usable else "expired")
    return KeyRow(id=key.id, name=key.name, prefix=key.prefix, scopes=key.scopes, status=status,
                  created_at=_iso(key.created_at), expires_at=_iso(key.expires_at),
                  last_used_at=_iso(key.last_used_at))


def _endpoint_row(e: webhooks.EndpointView) -> EndpointRow:
    return EndpointRow(id=e.id, url=e.url, events=e.events, is_active=e.is_active,
                       disabled_reason=e.disabled_reason or "")


def _delivery_row(d: webhooks.DeliveryView) -> DeliveryRow:
    return DeliveryRow(id=d.id, event=d.event, state=d.state, attempts=d.attempts,
                       status_code=str(d.last_status_code or ""),
                       latency=f"{d.last_latency_ms} ms" if d.last_latency_ms is not None else "",
                       response=d.last_response or d.last_error or "",
                       created_at=_iso(d.created_at))


class ApiSettingsState(PageState):
    keys: list[KeyRow] = []
    endpoints: list[EndpointRow] = []
    notice: str = ""
    key_error: str = ""
    key_busy: bool = False
    key_scopes: list[str] = ["read"]
    new_secret: str = ""  # shown once
    hook_error: str = ""
    hook_busy: bool = False
    hook_events: list[str] = ["message.created"]
    new_hook_secret: str = ""  # shown once
    log_endpoint_id: str = ""  # whose delivery log is open
    deliveries: list[DeliveryRow] = []

    @rx.event
    async def load(self):
        self.notice = self.new_secret = self.new_hook_secret = ""
        return await self._load(integrations_page.integrations_page, then=self._apply)

    def _apply(self, page: integrations_page.IntegrationsPage) -> None:
        self.keys = [_key_row(k) for k in page.keys]
        self.endpoints = [_endpoint_row(e) for e in page.endpoints]

    async def _reload(self, _result: object = None) -> None:
        await self._reread(integrations_page.integrations_page, then=self._apply)

    # ------------------------------------------------------------ keys

    @rx.event
    def toggle_scope(self, scope: str):
        if scope in SCOPES:
            chosen = set(self.key_scopes) ^ {scope}
            self.key_scopes = [s for s in SCOPES if s in chosen]

    @rx.event
    def create_key(self, form: dict):
        days = str(form.get("days") or "").strip()
        if days and (not days.isdigit() or not 1 <= int(days) <= 3650):
            self.key_error = self._t("api_keys.bad_days")
            return None
        expires = utcnow() + timedelta(days=int(days)) if days else None
        return self._action(api_keys.create_key, name=str(form.get("name") or ""),
                            scopes=list(self.key_scopes), expires_at=expires,
                            busy="key_busy", error="key_error", then=self._key_created)

    async def _key_created(self, created: api_keys.CreatedKey) -> None:
        self.new_secret = created.secret
        await self._reload()

    @rx.event
    def forget_secret(self):
        self.new_secret = self.new_hook_secret = ""

    @rx.event
    def revoke_key(self, key_id: str):
        return self._action(api_keys.revoke_key, key_id, error="key_error", then=self._reload)

    # ------------------------------------------------------------ webhooks

    @rx.event
    def toggle_event(self, event: str):
        if event in EVENTS:
            chosen = set(self.hook_events) ^ {event}
            self.hook_events = [e for e in EVENTS if e in chosen]

    @rx.event
    def create_endpoint(self, form: dict):
        return self._action(webhooks.create_endpoint, url=str(form.get("url") or ""),
                            events=list(self.hook_events), busy="hook_busy",
                            error="hook_error", then=self._endpoint_created)

    async def _endpoint_created(self, created: webhooks.CreatedEndpoint) -> None:
        self.new_hook_secret = created.secret
        await self._reload()

    @rx.event
    def set_endpoint_active(self, endpoint_id: str, active: bool):
        return self._action(webhooks.update_endpoint, endpoint_id, is_active=active,
                            error="hook_error", then=self._reload)

    @rx.event
    def send_test(self, endpoint_id: str):
        return self._action(webhooks.send_test, endpoint_id, error="hook_error",
                            then=lambda delivery_id: self._queued([delivery_id], endpoint_id))

    async def _queued(self, ids: list, endpoint_id: str) -> None:
        tasks.webhooks.enqueue(ids)
        self.notice = self._t("webhooks.queued", count=len(ids))
        await self._show_log(endpoint_id)

    @rx.event
    async def open_log(self, endpoint_id: str):
        if self.log_endpoint_id == endpoint_id:
            self.log_endpoint_id, self.deliveries = "", []
            return
        await self._show_log(endpoint_id)

    async def _show_log(self, endpoint_id: str) -> None:
        self.log_endpoint_id = endpoint_id
        await self._reread(webhooks.deliveries, endpoint_id, Cursor(limit=20),
                           then=lambda found: setattr(
                               self, "deliveries", [_delivery_row(d) for d in found[0]]))

    @rx.event
    def redeliver(self, delivery_id: str):
        endpoint_id = self.log_endpoint_id
        return self._action(webhooks.redeliver, endpoint_id, delivery_id=delivery_id,
                            error="hook_error",
                            then=lambda ids: self._queued(ids, endpoint_id))
