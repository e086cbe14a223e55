"""Outgoing webhooks: listeners enqueue the fan-out; deliveries retry on their schedule.

Every delivery is a row with its next attempt time before any task runs, so a lost or
restarted queue loses nothing: ``deliver_due`` sends whatever is due every minute.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from huey import crontab

from smarterchat.backend import events
from smarterchat.backend.db import session_scope
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import idempotency, webhook_delivery, webhook_events
from tasks.queue import huey

# The sweep leaves a scheduled retry this long to run on its own before taking it.
_SWEEP_GRACE = timedelta(seconds=30)


@huey.task(retries=3, retry_delay=5)
def fan_out(organization_id: str, event_type: str, message_id: str | None = None,
            conversation_id: str | None = None, extra: dict[str, Any] | None = None) -> int:
    with session_scope() as session:
        ids = webhook_events.publish(
            session, uuid.UUID(organization_id), event_type,
            message_id=uuid.UUID(message_id) if message_id else None,
            conversation_id=uuid.UUID(conversation_id) if conversation_id else None,
            extra=extra)
    for delivery_id in ids:
        deliver(str(delivery_id))
    return len(ids)


@huey.task()
def deliver(delivery_id: str) -> str | None:
    with session_scope() as session:
        outcome = webhook_delivery.attempt(session, uuid.UUID(delivery_id))
    if outcome is not None and outcome.next_attempt_at is not None:
        wait = (outcome.next_attempt_at - utcnow()).total_seconds()
        deliver.schedule(args=(delivery_id,), delay=max(0.0, wait))
    return outcome.state if outcome else None


def enqueue(delivery_ids: list[uuid.UUID]) -> None:
    for delivery_id in delivery_ids:
        deliver(str(delivery_id))


@huey.periodic_task(crontab(minute="*"))
def deliver_due() -> int:
    with session_scope() as session:
        ids = list(webhook_delivery.due(session, now=utcnow() - _SWEEP_GRACE))
    enqueue(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="17"))
def purge_idempotency_keys() -> int:
    with session_scope() as session:
        return idempotency.purge_expired(session)


def on_message(event: events.MessageCreated | events.OutboundQueued) -> None:
    fan_out(str(event.organization_id), "message.created", message_id=str(event.message_id),
            conversation_id=str(event.conversation_id))


def on_conversation_changed(event: events.ConversationChanged) -> None:
    for event_type in webhook_events.events_for_move(event.action):
        fan_out(str(event.organization_id), event_type,
                conversation_id=str(event.conversation_id), extra={"action": event.action})


def on_lead_event(event: events.LeadEvent) -> None:
    fan_out(str(event.organization_id), webhook_events.LEAD_EVENT_TYPES[type(event)],
            extra=webhook_events.lead_data(event))
