"""Outgoing webhooks: from a domain event to signed POSTs that reach the receiver.

``record_event`` stores one delivery per subscribed endpoint (so nothing lives only in a
queue); ``attempt`` leases a due delivery, POSTs it with the Standard Webhooks headers
(the same ``webhook-id`` on every attempt) and stores the outcome with the next attempt
time. The schedule after a failure is Svix's: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
10 h, with jitter; 2xx is success, 410 disables the endpoint at once, 429 and 503 are
retried after their ``Retry-After``. An endpoint failing for ``webhook_disable_after_days``
is disabled and its admins are told. A restart loses nothing: ``due`` finds every
delivery whose time came, whatever happened to the queue.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend.config import get_settings
from smarterchat.backend.models import DeliveryState, Webhook, WebhookDelivery
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import ssrf, webhook_signing
from smarterchat.backend.services import audit, notices

RETRY_DELAYS = (5, 300, 1800, 7200, 18000, 36000, 36000)  # seconds, after each failure
JITTER = 0.1  # each delay moves by up to 10 %, so retries of many deliveries spread out
LEASE = timedelta(seconds=60)  # an attempt under way owns its delivery this long
MAX_REDIRECTS = 3
EXCERPT = 500


@dataclass(frozen=True)
class Outcome:
    state: str
    status_code: int | None
    next_attempt_at: datetime | None


def envelope(event_type: str, data: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
    return {"type": event_type, "timestamp": (at or utcnow()).isoformat(), "data": data}


def record_event(session: Session, organization_id: uuid.UUID, event_type: str,
                 data: dict[str, Any], *, only: uuid.UUID | None = None) -> list[uuid.UUID]:
    """A delivery for each active endpoint of the organisation that asked for this event
    (``only``: that endpoint, whatever it asked for: the test event)."""
    query = select(Webhook).where(Webhook.organization_id == organization_id, Webhook.is_active)
    if only is not None:
        query = query.where(Webhook.id == only)
    now = utcnow()
    rows = [WebhookDelivery(organization_id=organization_id, webhook_id=hook.id,
                            event=event_type, payload=envelope(event_type, data, now),
                            next_attempt_at=now)
            for hook in session.exec(query).all() if only is not None or event_type in hook.events]
    session.add_all(rows)
    session.commit()
    return [row.id for row in rows]


def message_id(delivery_id: uuid.UUID) -> str:
    return f"msg_{delivery_id.hex}"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _secrets(hook: Webhook, now: datetime) -> list[str]:
    found = [hook.secret] if hook.secret else []
    if hook.previous_secret and hook.previous_secret_until and hook.previous_secret_until > now:
        found.append(hook.previous_secret)
    return found


def _lease(session: Session, delivery_id: uuid.UUID, now: datetime) -> bool:
    """Take a due delivery for one attempt; False when it is not due or another worker has it."""
    result = session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id) == delivery_id,
               col(WebhookDelivery.state) == DeliveryState.PENDING,
               col(WebhookDelivery.next_attempt_at) <= now)
        .values(next_attempt_at=now + LEASE, attempts=col(WebhookDelivery.attempts) + 1))
    session.commit()
    return bool(getattr(result, "rowcount", 0))


_clients = threading.local()


def _client() -> httpx.Client:
    """One client per worker thread: building one loads the CA bundle (about 14 ms here),
    and keeping it keeps connections to busy receivers alive."""
    client: httpx.Client | None = getattr(_clients, "client", None)
    if client is None:
        client = _clients.client = httpx.Client(follow_redirects=False)
    return client


def _post(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """POST, following only redirects that keep the method (307/308), each target checked."""
    settings = get_settings()
    client = _client()
    for _ in range(MAX_REDIRECTS + 1):
        ssrf.check_url(url, allow_private=settings.webhook_allow_private_addresses)
        response = client.post(url, content=body, headers=headers,
                               timeout=settings.webhook_timeout_seconds)
        if response.status_code not in (307, 308) or "location" not in response.headers:
            return response
        url = str(httpx.URL(url).join(response.headers["location"]))
    return response


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("retry-after", "")
    return min(int(value), RETRY_DELAYS[-1]) if value.isdigit() else None


def _next_time(attempts: int, now: datetime, retry_after: int | None) -> datetime | None:
    if attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts - 1]
    if retry_after is not None:
        return now + timedelta(seconds=max(retry_after, 1))
    return now + timedelta(seconds=delay * random.uniform(1 - JITTER, 1 + JITTER))  # noqa: S311


def attempt(session: Session, delivery_id: uuid.UUID, *, now: datetime | None = None) -> Outcome | None:
    """One attempt of a due delivery (None: not due, or taken by another worker)."""
    now = now or utcnow()
    if not _lease(session, delivery_id, now):
        return None
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    hook = session.get(Webhook, delivery.webhook_id, populate_existing=True) if delivery else None
    if delivery is None or hook is None:
        return None
    if not hook.is_active:
        return _finish(session, delivery, hook, now, DeliveryState.FAILED, None, "endpoint_disabled")
    body = body_of(delivery)
    headers = {"content-type": "application/json", "user-agent": "SmarterChat-Webhooks/1.0",
               # The timestamp is when it leaves, whatever clock the schedule reads.
               **webhook_signing.headers(_secrets(hook, now), message_id(delivery.id),
                                         int(time.time()), body)}
    started = time.perf_counter()
    try:
        response = _post(hook.url, body, headers)
    except ssrf.AddressRefused as exc:
        delivery.last_latency_ms = None
        return _failed(session, delivery, hook, now, None, f"address_refused: {exc}")
    except httpx.HTTPError as exc:
        delivery.last_latency_ms = int((time.perf_counter() - started) * 1000)
        return _failed(session, delivery, hook, now, None, f"{type(exc).__name__}: {exc}"[:EXCERPT])
    delivery.last_latency_ms = int((time.perf_counter() - started) * 1000)
    delivery.last_response = response.text[:EXCERPT]
    if 200 <= response.status_code < 300:
        hook.failing_since = None
        delivery.delivered_at = now
        return _finish(session, delivery, hook, now, DeliveryState.SUCCEEDED, response.status_code,
                       None)
    if response.status_code == 410:
        _disable(session, hook, "gone", now)
        return _told(session, hook, _finish(session, delivery, hook, now, DeliveryState.FAILED,
                                            410, "gone"))
    retry_after = _retry_after(response) if response.status_code in (429, 503) else None
    return _failed(session, delivery, hook, now, response.status_code,
                   f"HTTP {response.status_code}", retry_after)


def _failed(session: Session, delivery: WebhookDelivery, hook: Webhook, now: datetime,
            status: int | None, error: str, retry_after: int | None = None) -> Outcome:
    hook.failing_since = hook.failing_since or now
    limit = timedelta(days=get_settings().webhook_disable_after_days)
    if now - hook.failing_since >= limit:
        _disable(session, hook, "failing", now)
        return _told(session, hook, _finish(session, delivery, hook, now, DeliveryState.FAILED,
                                            status, error))
    next_at = _next_time(delivery.attempts, now, retry_after)
    state = DeliveryState.PENDING if next_at else DeliveryState.FAILED
    return _finish(session, delivery, hook, now, state, status, error, next_at)


def _finish(session: Session, delivery: WebhookDelivery, hook: Webhook, now: datetime, state: str,
            status: int | None, error: str | None, next_at: datetime | None = None) -> Outcome:
    delivery.state, delivery.last_status_code, delivery.last_error = state, status, error
    delivery.next_attempt_at = next_at
    session.add_all([delivery, hook])
    session.commit()
    return Outcome(state, status, next_at)


def _disable(session: Session, hook: Webhook, reason: str, now: datetime) -> None:
    """Stop sending to the endpoint; what still waits for it fails. Admins see it on the
    API settings page (``webhooks.list_endpoints`` carries the reason), in the audit log, and
    by e-mail (``_told``, once committed)."""
    hook.is_active, hook.disabled_reason = False, reason
    session.execute(update(WebhookDelivery)
                    .where(col(WebhookDelivery.webhook_id) == hook.id,
                           col(WebhookDelivery.state) == DeliveryState.PENDING)
                    .values(state=DeliveryState.FAILED, next_attempt_at=None,
                            last_error="endpoint_disabled"))
    audit.record(session, None, "webhook.disabled", target_type="webhook", target_id=hook.id,
                 details={"reason": reason, "url": hook.url}, organization_id=hook.organization_id)


def _told(session: Session, hook: Webhook, outcome: Outcome) -> Outcome:
    """After the commit: every admin of the organisation gets an e-mail about it."""
    notices.notify_admins(session, hook.organization_id, "webhook_disabled", url=hook.url)
    return outcome


def due(session: Session, *, now: datetime | None = None, limit: int = 500) -> Iterator[uuid.UUID]:
    """Deliveries whose next attempt is due (the periodic sweep, after a restart too)."""
    rows = session.exec(select(WebhookDelivery.id).where(
        WebhookDelivery.state == DeliveryState.PENDING,
        col(WebhookDelivery.next_attempt_at) <= (now or utcnow()))
        .order_by(col(WebhookDelivery.next_attempt_at)).limit(limit)).all()
    yield from rows
