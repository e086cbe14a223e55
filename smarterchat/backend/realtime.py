"""Real-time fan-out of what changes in an organisation's inbox.

Domain events become small notices ({"type", "conversation_id", ...}) published per
organisation: on Redis pub/sub when Redis is configured, so every app instance hears
what any process did; in-process otherwise (the embedded default is one process).
Browsers' states subscribe and reload only what the notice names.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import redis

from smarterchat.backend import events, redis_clients
from smarterchat.backend.config import get_settings

log = logging.getLogger(__name__)
_local: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]]] = defaultdict(set)
_local_lock = threading.Lock()
_publisher: redis.Redis | None = None


def channel_name(organization_id: object) -> str:
    return f"sc:rt:{organization_id}"


def publish(organization_id: object, notice: dict[str, Any]) -> None:
    data = json.dumps(notice, default=str)
    url = get_settings().redis_url
    if url:
        global _publisher
        try:
            if _publisher is None:
                _publisher = redis_clients.sync_client(url, timeout=1)
            _publisher.publish(channel_name(organization_id), data)
        except redis.RedisError:
            log.warning("real-time notice lost: Redis unavailable (pages catch up on reload)")
        return
    with _local_lock:
        listeners = list(_local[str(organization_id)])
    for loop, queue in listeners:
        loop.call_soon_threadsafe(queue.put_nowait, json.loads(data))


@contextlib.asynccontextmanager
async def subscription(organization_id: object) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """A queue receiving the organisation's notices while the block runs.

    With Redis, a lost connection ends the subscription with a ``{"type": "dropped"}``
    notice: leave the block and subscribe again (notices published meanwhile are lost).
    """
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1000)
    url = get_settings().redis_url
    if not url:
        entry = (asyncio.get_running_loop(), queue)
        with _local_lock:
            _local[str(organization_id)].add(entry)
        try:
            yield queue
        finally:
            with _local_lock:
                _local[str(organization_id)].discard(entry)
        return
    client = redis_clients.async_client(url)
    pubsub = client.pubsub()
    await pubsub.subscribe(channel_name(organization_id))

    async def pump() -> None:
        try:
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    with contextlib.suppress(asyncio.QueueFull, ValueError):
                        queue.put_nowait(json.loads(item["data"]))
        except redis.RedisError:
            # Redis went away: the subscriber is told, so it can subscribe again.
            log.warning("real-time subscription dropped: Redis unavailable")
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait({"type": "dropped"})

    task = asyncio.create_task(pump())
    try:
        yield queue
    finally:
        task.cancel()
        with contextlib.suppress(Exception):
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis leaves it unannotated
            await client.aclose()


# ------------------------------------------------------------------ from domain events

def on_message(event: events.MessageEvent) -> None:
    """A message was stored, queued or changed status: open threads and lists refresh it."""
    # A reaction, like a tick, changes a message in place: the thread refreshes, the list stays.
    changed = isinstance(event, events.MessageStatusChanged | events.MessageReacted)
    kind = "status" if changed else "message"
    publish(event.organization_id, {
        "type": kind, "conversation_id": str(event.conversation_id),
        "message_id": str(event.message_id), "status": event.delivery_status,
        "author": event.author_kind})


def on_conversation_changed(event: events.ConversationChanged) -> None:
    publish(event.organization_id, {"type": "conversation",
                                    "conversation_id": str(event.conversation_id),
                                    "action": event.action})


def on_typing(event: events.ConsultantTyping) -> None:
    publish(event.organization_id, {"type": "typing",
                                    "conversation_id": str(event.conversation_id),
                                    "name": event.name})


def on_presence_changed(event: events.PresenceChanged) -> None:
    payload = {"user_id": event.user_id, "availability": event.availability,
               "teams_changed": event.teams_changed}
    # Only what was said, as strings, like the browsers have always read it.
    publish(event.organization_id, {"type": "presence", **{
        k: str(v) for k, v in payload.items() if v not in (None, "", False)}})


def on_lead(event: events.LeadEvent) -> None:
    """A lead was created, moved or changed: open boards and lead pages refresh it."""
    publish(event.organization_id, {"type": "lead", "lead_id": str(event.lead_id),
                                    "stage_id": str(event.stage_id),
                                    "owner_id": str(event.owner_id or ""),
                                    "actor_id": str(event.actor_user_id or ""),
                                    "event": type(event).__name__})


def on_task_due(event: events.TaskDue) -> None:
    """A follow-up fell due: its assignee's pages show a notice."""
    publish(event.organization_id, {"type": "task_due", "task_id": str(event.task_id),
                                    "lead_id": str(event.lead_id),
                                    "user_id": str(event.assignee_id or ""),
                                    "title": event.title})
