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
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator

import redis
import redis.asyncio as aioredis

from smarterchat.backend import events
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Message

log = logging.getLogger(__name__)
_local: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = defaultdict(set)
_local_lock = threading.Lock()
_publisher: redis.Redis | None = None


def channel_name(organization_id: object) -> str:
    return f"sc:rt:{organization_id}"


def publish(organization_id: object, notice: dict) -> None:
    data = json.dumps(notice, default=str)
    url = get_settings().redis_url
    if url:
        global _publisher
        try:
            if _publisher is None:
                _publisher = redis.Redis.from_url(url, socket_timeout=1)
            _publisher.publish(channel_name(organization_id), data)
        except redis.RedisError:
            log.warning("real-time notice lost: Redis unavailable (pages catch up on reload)")
        return
    with _local_lock:
        listeners = list(_local[str(organization_id)])
    for loop, queue in listeners:
        loop.call_soon_threadsafe(queue.put_nowait, json.loads(data))


@contextlib.asynccontextmanager
async def subscription(organization_id: object) -> AsyncIterator[asyncio.Queue]:
    """A queue receiving the organisation's notices while the block runs.

    With Redis, a lost connection ends the subscription with a ``{"type": "dropped"}``
    notice: leave the block and subscribe again (notices published meanwhile are lost).
    """
    queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
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
    client = aioredis.Redis.from_url(url)
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
            await pubsub.aclose()
            await client.aclose()


# ------------------------------------------------------------------ from domain events

def _message_notice(kind: str):
    def listener(message_id: uuid.UUID, **_: object) -> None:
        with session_scope() as session:
            message = session.get(Message, message_id)
            if message is None:
                return
            org, conversation = message.organization_id, message.conversation_id
            status, author = message.delivery_status, message.author_kind
        publish(org, {"type": kind, "conversation_id": str(conversation),
                      "message_id": str(message_id), "status": status, "author": author})
    listener.__name__ = f"realtime_{kind}"
    return listener


def _conversation_notice(conversation_id: uuid.UUID, organization_id: object = None,
                         action: str = "", **_: object) -> None:
    if organization_id is None:
        return
    publish(organization_id, {"type": "conversation", "conversation_id": str(conversation_id),
                              "action": action})


def _presence_notice(organization_id: object, **payload: object) -> None:
    publish(organization_id, {"type": "presence", **{k: str(v) for k, v in payload.items()}})


def install() -> None:
    events.subscribe(events.MESSAGE_CREATED, _message_notice("message"))
    events.subscribe(events.OUTBOUND_QUEUED, _message_notice("message"))
    events.subscribe(events.MESSAGE_STATUS, _message_notice("status"))
    events.subscribe(events.CONVERSATION_CHANGED, _conversation_notice)
    events.subscribe(events.PRESENCE_CHANGED, _presence_notice)


install()  # importing this module (the app, the task consumer) turns the fan-out on
