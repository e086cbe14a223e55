"""Channels: admins add and configure them; webhooks look up their secrets."""

from __future__ import annotations

import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from smarterchat.backend.channels.base import SendError
from smarterchat.backend.channels.registry import capabilities_for, provider_for
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Agent, Channel, ChannelKind
from smarterchat.backend.security.crypto import mask
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id

# ------------------------------------------------------------------ webhook look-ups


@dataclass(frozen=True)
class WebhookSecrets:
    channel_id: uuid.UUID
    organization_id: uuid.UUID
    kind: str
    is_active: bool
    app_secret: str | None
    verify_token: str | None


WIDGET_TITLE_MAX = 60
WIDGET_GREETING_MAX = 500
_CACHE_SECONDS = 30.0
_cache: dict[uuid.UUID, tuple[float, WebhookSecrets | None]] = {}
_cache_lock = threading.Lock()


NOT_CACHED = object()


def cached_webhook_secrets(channel_id: uuid.UUID):
    """The cached secrets (or None for an unknown channel), NOT_CACHED on a miss."""
    with _cache_lock:
        hit = _cache.get(channel_id)
    return hit[1] if hit and hit[0] > time.monotonic() else NOT_CACHED


def webhook_secrets(channel_id: uuid.UUID) -> WebhookSecrets | None:
    """Secrets for verifying a webhook, cached briefly: Meta may post many per second."""
    found = cached_webhook_secrets(channel_id)
    if found is not NOT_CACHED:
        return found
    now = time.monotonic()
    with session_scope() as session:
        channel = session.get(Channel, channel_id)
        found = None if channel is None else WebhookSecrets(
            channel.id, channel.organization_id, channel.kind, channel.is_active,
            channel.app_secret, channel.verify_token)
    with _cache_lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[channel_id] = (now + _CACHE_SECONDS, found)
    return found


def forget_cached(channel_id: uuid.UUID) -> None:
    with _cache_lock:
        _cache.pop(channel_id, None)


# ------------------------------------------------------------------ management

@dataclass(frozen=True)
class ChannelView:
    """What the settings page shows: secrets only masked."""

    id: str
    kind: str
    name: str
    is_active: bool
    agent_id: str | None
    external_id: str | None
    business_account_id: str | None
    access_token_hint: str
    app_secret_hint: str
    verify_token: str  # shown: the admin pastes it into Meta's dashboard
    webhook_url: str
    widget_url: str
    widget_title: str = ""  # web chat: the header (empty: the organisation's name)
    widget_greeting: str = ""  # web chat: the first bubble (empty: the agent's greeting)
    widget_origins: str = ""  # web chat: the sites that may embed it, one per line


def _view(channel: Channel) -> ChannelView:
    base = get_settings().public_url.rstrip("/")
    can = capabilities_for(channel.kind)
    webhook = f"{base}/webhooks/{channel.kind}/{channel.id}" if can.meta_account else ""
    widget = f"{base}/chat/{channel.id}" if can.widget else ""
    return ChannelView(str(channel.id), channel.kind, channel.name, channel.is_active,
                       str(channel.agent_id) if channel.agent_id else None, channel.external_id,
                       channel.business_account_id, mask(channel.access_token),
                       mask(channel.app_secret), channel.verify_token or "", webhook, widget,
                       str(channel.config.get("title") or ""),
                       str(channel.config.get("greeting") or ""),
                       widget_origins="\n".join(channel.config.get("embed_origins") or []))


def _get(session: Session, actor: Actor, channel_id: RecordId) -> Channel:
    channel = session.exec(select(Channel).where(
        Channel.id == parse_id(channel_id),
        Channel.organization_id == actor.require_org())).first()
    if channel is None:
        raise NotFound()
    return channel


def list_channels(session: Session, actor: Actor) -> list[ChannelView]:
    actor.require(Permission.CHANNELS_VIEW)
    rows = session.exec(select(Channel).where(Channel.organization_id == actor.require_org())
                        .order_by(col(Channel.created_at))).all()
    return [_view(c) for c in rows]


def get_channel(session: Session, actor: Actor, channel_id: RecordId) -> ChannelView:
    actor.require(Permission.CHANNELS_VIEW)
    return _view(_get(session, actor, channel_id))


def _check_agent(session: Session, actor: Actor, agent_id: RecordId | None) -> uuid.UUID | None:
    if not agent_id:
        return None
    agent = session.exec(select(Agent).where(Agent.id == parse_id(agent_id),
                                             Agent.organization_id == actor.require_org())).first()
    if agent is None:
        raise InvalidInput("invalid_agent", field="agent_id")
    return agent.id


def create_channel(session: Session, actor: Actor, *, kind: str, name: str,
                   external_id: str | None = None, business_account_id: str | None = None,
                   access_token: str | None = None, app_secret: str | None = None,
                   agent_id: str | None = None) -> ChannelView:
    actor.require(Permission.CHANNELS_MANAGE)
    if kind not in set(ChannelKind):
        raise InvalidInput("invalid_channel_kind", field="kind")
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 80:
        raise InvalidInput("invalid_channel_name", field="name")
    channel = Channel(organization_id=actor.require_org(), kind=kind, name=name,
                      agent_id=_check_agent(session, actor, agent_id))
    can = capabilities_for(kind)
    if can.meta_account:
        external_id = (external_id or "").strip()
        if not external_id.isdigit():
            raise InvalidInput("invalid_external_id", field="external_id")
        if not access_token or not app_secret:
            raise InvalidInput("credentials_required", field="access_token")
        # The business account is where the templates live.
        if can.templates and business_account_id and \
                not business_account_id.strip().isdigit():
            raise InvalidInput("invalid_business_account_id", field="business_account_id")
        channel.external_id = external_id
        channel.business_account_id = (business_account_id or "").strip() or None
        channel.access_token = access_token.strip()
        channel.app_secret = app_secret.strip()
        channel.verify_token = secrets.token_urlsafe(24)
    session.add(channel)
    session.flush()
    audit.record(session, actor, "channel.created", target_type="channel", target_id=channel.id,
                 details={"kind": kind, "name": name})
    session.commit()
    return _view(channel)


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
MAX_EMBED_ORIGINS = 20


def embed_origins(text: str) -> list[str]:
    """The sites allowed to frame a web chat, from what an admin typed (one per line or
    comma): each an origin such as https://www.loja.com.br, nothing else."""
    origins = [o.strip().rstrip("/").lower() for o in re.split(r"[\s,]+", text or "") if o.strip()]
    bad = next((o for o in origins if not _ORIGIN.match(o)), None)
    if bad is not None:
        raise InvalidInput("invalid_embed_origin", field="widget_origins", origin=bad[:80])
    if len(origins) > MAX_EMBED_ORIGINS:
        raise InvalidInput("too_many_embed_origins", field="widget_origins",
                           max=MAX_EMBED_ORIGINS)
    return list(dict.fromkeys(origins))


def update_channel(session: Session, actor: Actor, channel_id: RecordId, *, name: str | None = None,
                   is_active: bool | None = None, agent_id: str | None = "",
                   access_token: str | None = None, app_secret: str | None = None,
                   business_account_id: str | None = None, widget_title: str | None = None,
                   widget_greeting: str | None = None,
                   widget_origins: str | None = None) -> ChannelView:
    """Change a channel. Empty secret fields keep the stored value (it is never shown back).
    A web chat's title and greeting, when empty, fall back to the organisation's name and
    the agent's greeting."""
    actor.require(Permission.CHANNELS_MANAGE)
    channel = _get(session, actor, channel_id)
    changed = []
    if name is not None:
        name = " ".join(name.split())
        if not 2 <= len(name) <= 80:
            raise InvalidInput("invalid_channel_name", field="name")
        channel.name = name
        changed.append("name")
    if is_active is not None:
        channel.is_active = is_active
        changed.append("is_active")
    if agent_id != "":
        channel.agent_id = _check_agent(session, actor, agent_id)
        changed.append("agent")
    if access_token:
        channel.access_token = access_token.strip()
        changed.append("access_token")
    if app_secret:
        channel.app_secret = app_secret.strip()
        changed.append("app_secret")
    if business_account_id is not None:
        business_account_id = business_account_id.strip()
        if capabilities_for(channel.kind).templates and business_account_id and \
                not business_account_id.isdigit():
            raise InvalidInput("invalid_business_account_id", field="business_account_id")
        channel.business_account_id = business_account_id or None
        changed.append("business_account_id")
    widget = {"title": (widget_title, WIDGET_TITLE_MAX), "greeting": (widget_greeting,
                                                                      WIDGET_GREETING_MAX)}
    for key, (value, limit) in widget.items():
        if value is None:
            continue
        if not capabilities_for(channel.kind).widget:
            raise InvalidInput("webchat_only", field=f"widget_{key}")
        value = value.strip()
        if len(value) > limit:
            raise InvalidInput(f"invalid_widget_{key}", field=f"widget_{key}", max=limit)
        if value != (channel.config.get(key) or ""):
            channel.config = {**channel.config, key: value}
            changed.append(f"widget_{key}")
    if widget_origins is not None:
        if not capabilities_for(channel.kind).widget:
            raise InvalidInput("webchat_only", field="widget_origins")
        origins = embed_origins(widget_origins)
        if origins != (channel.config.get("embed_origins") or []):
            channel.config = {**channel.config, "embed_origins": origins}
            changed.append("widget_origins")
    session.add(channel)
    audit.record(session, actor, "channel.updated", target_type="channel", target_id=channel.id,
                 details={"changed": changed})
    session.commit()
    forget_cached(channel.id)
    return _view(channel)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    detail: str


def test_connection(session: Session, actor: Actor, channel_id: RecordId) -> ConnectionCheck:
    actor.require(Permission.CHANNELS_MANAGE)
    channel = _get(session, actor, channel_id)
    try:
        answer = provider_for(channel.kind).check_connection(channel)
    except SendError as exc:
        return ConnectionCheck(False, str(exc))
    label = answer.get("verified_name") or answer.get("display_phone_number") or \
        answer.get("username") or answer.get("name") or "ok"
    return ConnectionCheck(True, str(label))


def sync_templates(session: Session, actor: Actor, channel_id: RecordId) -> list[dict[str, Any]]:
    """Fetch the account's message templates (channels that have them) and keep them on
    the channel."""
    actor.require(Permission.CHANNELS_MANAGE)
    channel = _get(session, actor, channel_id)
    if not capabilities_for(channel.kind).templates or not channel.business_account_id:
        raise InvalidInput("templates_need_waba")
    try:
        templates = provider_for(channel.kind).sync_templates(channel)
    except SendError as exc:
        raise InvalidInput("meta_error", detail=str(exc)) from exc
    channel.config = {**channel.config, "templates": [
        {"name": t.get("name"), "language": t.get("language"), "status": t.get("status"),
         "category": t.get("category"), "components": t.get("components", [])}
        for t in templates]}
    session.add(channel)
    session.commit()
    return channel.config["templates"]


def approved_templates(channel: Channel) -> list[dict[str, Any]]:
    return [t for t in channel.config.get("templates", []) if t.get("status") == "APPROVED"]
