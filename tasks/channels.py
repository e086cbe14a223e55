"""Channel work: turning stored webhook events into messages, and sending replies."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from huey import Huey, crontab
from huey.api import Task

from smarterchat.backend import events
from smarterchat.backend.services import ingest, outbound
from tasks.queue import huey

log = logging.getLogger(__name__)


def _queued_flag(channel_id: str) -> str:
    return f"ingest-queued:{channel_id}"


@huey.task(retries=5, retry_delay=2)
def process_channel(channel_id: str) -> int:
    """Drain the channel's pending events in arrival order (the service holds the
    channel's lock, so one conversation's messages are never processed out of order)."""
    # Cleared before draining: an event stored from now on enqueues the next drain.
    huey.delete(_queued_flag(channel_id))
    return ingest.process_pending(uuid.UUID(channel_id))


def enqueue_processing(channel_id: uuid.UUID) -> bool:
    """Called by the webhook after the event is stored: at most one drain waits in the
    queue per channel, however many webhooks arrive. If the queue is down the event
    stays pending and the sweeper picks it up; the webhook still answers 200."""
    flag = _queued_flag(str(channel_id))
    try:
        if huey.put_if_empty(flag, "1"):
            process_channel(str(channel_id))
        return True
    except Exception:
        log.exception("could not enqueue inbound processing", extra={
            "channel_id": str(channel_id)})
        try:
            huey.delete(flag)  # never leave the flag set for a drain that was not queued
        except Exception:
            log.warning("queue unreachable; the sweeper will pick the event up", exc_info=True)
        return False


@huey.task()
def send_message(message_id: str, attempt: int = 0) -> bool:
    delivery = outbound.deliver(uuid.UUID(message_id), attempt)
    if delivery.retry_in is not None:
        send_message.schedule((message_id, attempt + 1), delay=delivery.retry_in)
    return delivery.done


def enqueue_send(message_id: uuid.UUID) -> bool:
    try:
        send_message(str(message_id))
        return True
    except Exception:
        log.exception("could not enqueue send", extra={"message_id": str(message_id)})
        return False


@huey.task(retries=5, retry_delay=30)
def fetch_media(message_id: str) -> None:
    if not ingest.fetch_media_if_any(uuid.UUID(message_id)):
        raise RuntimeError("media download failed; retrying")


def on_message_created(event: events.MessageCreated) -> None:
    if event.has_media_to_fetch:
        fetch_media(str(event.message_id))


def on_outbound_queued(event: events.OutboundQueued) -> None:
    enqueue_send(event.message_id)


@huey.periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Re-enqueue work that a stopped Redis or a dead worker left behind."""
    sweep_now()


def sweep_now(events_older_than: timedelta = timedelta(seconds=30), queue: Huey = huey) -> None:
    for channel_id in ingest.stale_channels(events_older_than):
        enqueue_on(queue, process_channel.s(str(channel_id)))
    # Longer than the longest backoff, so a scheduled retry is not doubled.
    for message_id in outbound.stale_pending(timedelta(minutes=10)):
        enqueue_on(queue, send_message.s(str(message_id)))


def enqueue_on(queue: Huey, task: Task) -> None:
    """Enqueue on a given queue's storage (tests and tools drive another process's queue)."""
    if queue is huey:
        huey.enqueue(task)
    else:
        queue.storage.enqueue(huey.serialize_task(task), task.priority)
