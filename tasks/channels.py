"""Channel work: turning stored webhook events into messages, and sending replies."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta

from huey import Huey, crontab
from huey.api import Task
from redis.commands.core import AsyncScript

from smarterchat.backend import events
from smarterchat.backend.services import ingest, outbound
from tasks.queue import async_redis, huey

log = logging.getLogger(__name__)


def _queued_flag(channel_id: str, conversation_key: str) -> str:
    return f"ingest-queued:{channel_id}:{conversation_key}"


@huey.task(retries=5, retry_delay=2)
def process_conversation(channel_id: str, conversation_key: str) -> int:
    """Settle one customer's pending events in arrival order (the service holds the
    customer's lock, so their messages are never processed out of order, while other
    customers of the same number are processed by other workers at the same time)."""
    # Cleared before draining: an event stored from now on enqueues the next drain.
    huey.delete(_queued_flag(channel_id, conversation_key))
    return ingest.process_pending(uuid.UUID(channel_id), conversation_key)


# Flag and push in one round trip: at most one drain per customer waits in the queue,
# however many webhooks arrive. Same keys and layout as Huey's own put_if_empty/enqueue.
_FLAG_AND_PUSH = """
if redis.call('hsetnx', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('lpush', KEYS[2], ARGV[3])
  return 1
end
return 0
"""


async def enqueue_processing(channel_id: uuid.UUID, conversation_keys: list[str]) -> bool:
    """Called by the webhook once the events are stored. If the queue is down the events
    stay pending and the sweeper picks them up; the webhook still answers 200."""
    client = async_redis()
    if client is None:  # the embedded SQLite queue, or immediate mode: Huey's own calls
        return await asyncio.to_thread(_enqueue_sync, channel_id, conversation_keys)
    storage = huey.storage
    script = _scripts.get(id(client))
    if script is None:  # EVALSHA: the script's text is not sent with every webhook
        script = _scripts[id(client)] = client.register_script(_FLAG_AND_PUSH)
    try:
        for key in conversation_keys:
            await script(keys=[storage.result_key, storage.queue_key],
                         args=[_queued_flag(str(channel_id), key), _FLAG_VALUE,
                               huey.serialize_task(process_conversation.s(str(channel_id), key))])
        return True
    except Exception:
        log.exception("could not enqueue inbound processing; the sweeper will pick it up",
                      extra={"channel_id": str(channel_id)})
        return False


_FLAG_VALUE = huey.serializer.serialize("1")
_scripts: dict[int, AsyncScript] = {}


def _enqueue_sync(channel_id: uuid.UUID, conversation_keys: list[str]) -> bool:
    done = True
    for key in conversation_keys:
        flag = _queued_flag(str(channel_id), key)
        try:
            if huey.put_if_empty(flag, "1"):
                process_conversation(str(channel_id), key)
        except Exception:
            log.exception("could not enqueue inbound processing", extra={
                "channel_id": str(channel_id)})
            done = False
            try:
                huey.delete(flag)  # never leave the flag set for a drain that was not queued
            except Exception:
                log.warning("queue unreachable; the sweeper will pick the event up",
                            exc_info=True)
    return done


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


def on_organization_reactivated(event: events.OrganizationReactivated) -> None:
    """The events held while the organisation was suspended, drained now."""
    for channel_id, key in ingest.held_conversations(event.organization_id):
        _enqueue_sync(channel_id, [key])


@huey.periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Re-enqueue work that a stopped Redis or a dead worker left behind."""
    sweep_now()


def sweep_now(events_older_than: timedelta = timedelta(seconds=30), queue: Huey = huey) -> None:
    for channel_id, key in ingest.stale_conversations(events_older_than):
        enqueue_on(queue, process_conversation.s(str(channel_id), key))
    # Longer than the longest backoff, so a scheduled retry is not doubled.
    for message_id in outbound.stale_pending(timedelta(minutes=10)):
        enqueue_on(queue, send_message.s(str(message_id)))


def enqueue_on(queue: Huey, task: Task) -> None:
    """Enqueue on a given queue's storage (tests and tools drive another process's queue)."""
    if queue is huey:
        huey.enqueue(task)
    else:
        queue.storage.enqueue(huey.serialize_task(task), task.priority)
