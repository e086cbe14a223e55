"""The organisation's outgoing webhook endpoints: register, change, rotate the secret,
send a test event, read the delivery log, redeliver. Admins only (``webhooks.manage``).

Sending is ``webhook_delivery``'s; the functions that queue work return the deliveries'
ids and the caller (a route, a page) enqueues them, since services never import tasks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend.config import get_settings
from smarterchat.backend.models import DeliveryState, Webhook, WebhookDelivery
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import ssrf, webhook_signing
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit, webhook_delivery
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id
from smarterchat.backend.services.pagination import Cursor, page

# What an endpoint can ask for (``webhook_events`` makes them from the domain events).
EVENT_TYPES = ("message.created", "conversation.status_changed", "conversation.assigned",
               "lead.created", "lead.updated", "lead.stage_changed", "lead.temperature_changed",
               "lead.won", "lead.lost")
TEST_EVENT = "webhook.test"
ROTATION_OVERLAP = timedelta(hours=24)  # the previous secret keeps signing this long
REDELIVER_MAX = 1000


@dataclass(frozen=True)
class EndpointView:
    id: str
    url: str
    description: str
    events: list[str]
    is_active: bool
    disabled_reason: str | None
    failing_since: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: EndpointView
    secret: str  # ``whsec_...``, shown on creation and rotation


@dataclass(frozen=True)
class DeliveryView:
    id: str  # also the ``webhook-id`` header, with ``msg_`` in front
    event: str
    state: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    last_response: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


def _view(hook: Webhook) -> EndpointView:
    return EndpointView(id=str(hook.id), url=hook.url, description=hook.description,
                        events=list(hook.events), is_active=hook.is_active,
                        disabled_reason=hook.disabled_reason, failing_since=hook.failing_since,
                        created_at=hook.created_at)


def delivery_view(row: WebhookDelivery) -> DeliveryView:
    return DeliveryView(id=str(row.id), event=row.event, state=row.state, attempts=row.attempts,
                        last_status_code=row.last_status_code, last_error=row.last_error,
                        last_latency_ms=row.last_latency_ms, last_response=row.last_response,
                        created_at=row.created_at, next_attempt_at=row.next_attempt_at,
                        delivered_at=row.delivered_at)


def _get(session: Session, actor: Actor, endpoint_id: RecordId) -> Webhook:
    actor.require(Permission.WEBHOOKS_MANAGE)
    hook = session.exec(select(Webhook).where(Webhook.id == parse_id(endpoint_id),
                                              Webhook.organization_id == actor.require_org())).first()
    if hook is None:
        raise NotFound()
    return hook


def clean_url(url: str) -> str:
    url = (url or "").strip()
    if len(url) > 500:
        raise InvalidInput("invalid_webhook_url", field="url")
    try:
        ssrf.check_url(url, allow_private=True)  # the form: an http(s) URL with a host
    except ssrf.AddressRefused as exc:
        raise InvalidInput("invalid_webhook_url", field="url") from exc
    try:
        ssrf.check_url(url, allow_private=get_settings().webhook_allow_private_addresses)
    except ssrf.AddressRefused as exc:
        raise InvalidInput("webhook_address_refused", field="url") from exc
    return url


def clean_events(events: list[str]) -> list[str]:
    if not events or any(e not in EVENT_TYPES for e in events):
        raise InvalidInput("invalid_webhook_events", field="events")
    return [e for e in EVENT_TYPES if e in events]


def list_endpoints(session: Session, actor: Actor) -> list[EndpointView]:
    actor.require(Permission.WEBHOOKS_MANAGE)
    rows = session.exec(select(Webhook).where(Webhook.organization_id == actor.require_org())
                        .order_by(col(Webhook.created_at))).all()
    return [_view(hook) for hook in rows]


def get_endpoint(session: Session, actor: Actor, endpoint_id: RecordId) -> EndpointView:
    return _view(_get(session, actor, endpoint_id))


def create_endpoint(session: Session, actor: Actor, *, url: str, events: list[str],
                    description: str = "") -> CreatedEndpoint:
    actor.require(Permission.WEBHOOKS_MANAGE)
    secret = webhook_signing.new_secret()
    hook = Webhook(organization_id=actor.require_org(), url=clean_url(url),
                   events=clean_events(events), description=" ".join(description.split())[:200],
                   secret=secret)
    session.add(hook)
    audit.record(session, actor, "webhook.create", target_type="webhook", target_id=hook.id,
                 details={"url": hook.url, "events": hook.events})
    session.commit()
    return CreatedEndpoint(endpoint=_view(hook), secret=secret)


def update_endpoint(session: Session, actor: Actor, endpoint_id: RecordId, *,
                    url: str | None = None, events: list[str] | None = None,
                    description: str | None = None, is_active: bool | None = None) -> EndpointView:
    """Enabling again clears the failure record: the endpoint starts afresh."""
    hook = _get(session, actor, endpoint_id)
    if url is not None:
        hook.url = clean_url(url)
    if events is not None:
        hook.events = clean_events(events)
    if description is not None:
        hook.description = " ".join(description.split())[:200]
    if is_active is not None:
        hook.is_active = is_active
        hook.disabled_reason = None if is_active else "by_admin"
        hook.failing_since = None
    session.add(hook)
    audit.record(session, actor, "webhook.update", target_type="webhook", target_id=hook.id)
    session.commit()
    return _view(hook)


def delete_endpoint(session: Session, actor: Actor, endpoint_id: RecordId) -> None:
    hook = _get(session, actor, endpoint_id)
    audit.record(session, actor, "webhook.delete", target_type="webhook", target_id=hook.id,
                 details={"url": hook.url})
    session.delete(hook)
    session.commit()


def rotate_secret(session: Session, actor: Actor, endpoint_id: RecordId) -> CreatedEndpoint:
    """A new secret; the old one also signs for 24 hours, while the receiver switches."""
    hook = _get(session, actor, endpoint_id)
    hook.previous_secret, hook.previous_secret_until = hook.secret, utcnow() + ROTATION_OVERLAP
    hook.secret = webhook_signing.new_secret()
    session.add(hook)
    audit.record(session, actor, "webhook.rotate_secret", target_type="webhook", target_id=hook.id)
    session.commit()
    return CreatedEndpoint(endpoint=_view(hook), secret=str(hook.secret))


def send_test(session: Session, actor: Actor, endpoint_id: RecordId) -> uuid.UUID:
    hook = _get(session, actor, endpoint_id)
    data = {"endpoint_id": str(hook.id), "message": "SmarterChat test event"}
    return webhook_delivery.record_event(session, hook.organization_id, TEST_EVENT, data,
                                         only=hook.id)[0]


def deliveries(session: Session, actor: Actor, endpoint_id: RecordId, cursor: Cursor,
               *, state: str | None = None) -> tuple[list[DeliveryView], bool]:
    """The endpoint's delivery log, newest first."""
    hook = _get(session, actor, endpoint_id)
    query = select(WebhookDelivery).where(WebhookDelivery.organization_id == hook.organization_id,
                                          WebhookDelivery.webhook_id == hook.id)
    if state:
        query = query.where(WebhookDelivery.state == state)
    found = page(session, query, WebhookDelivery, cursor)
    return [delivery_view(row) for row in found.rows], found.has_more


def redeliver(session: Session, actor: Actor, endpoint_id: RecordId, *,
              delivery_id: RecordId | None = None, since: datetime | None = None,
              until: datetime | None = None) -> list[uuid.UUID]:
    """Send again one delivery, or every one created in [since, until): the same
    ``webhook-id`` and body, a fresh schedule. A disabled endpoint stays disabled."""
    hook = _get(session, actor, endpoint_id)
    where = [col(WebhookDelivery.webhook_id) == hook.id,
             col(WebhookDelivery.organization_id) == hook.organization_id]
    if delivery_id is not None:
        where.append(col(WebhookDelivery.id) == parse_id(delivery_id))
    elif since is not None and until is not None:
        if since >= until:
            return []  # an empty range holds nothing to send
        where += [col(WebhookDelivery.created_at) >= since, col(WebhookDelivery.created_at) < until]
    else:
        raise InvalidInput("invalid_time_range", field="since")
    ids = list(session.exec(select(WebhookDelivery.id).where(*where)
                            .order_by(col(WebhookDelivery.created_at)).limit(REDELIVER_MAX)).all())
    if delivery_id is not None and not ids:
        raise NotFound()
    if ids:
        session.execute(update(WebhookDelivery).where(col(WebhookDelivery.id).in_(ids))
                        .values(state=DeliveryState.PENDING, attempts=0,
                                next_attempt_at=utcnow(), last_error=None))
        audit.record(session, actor, "webhook.redeliver", target_type="webhook",
                     target_id=hook.id, details={"count": len(ids)})
        session.commit()
    return ids
