"""The one place Redis clients are built (cache, rate limits, real-time fan-out, health).

Every client gets a socket and a connect timeout, so a Redis that stops answering
slows a request by at most ``timeout`` instead of hanging it; callers treat a
``redis.RedisError`` as "Redis unavailable". The task queue is the exception: Huey
builds its own connection pool from the URL (``tasks.queue``).
"""

from __future__ import annotations

import redis
import redis.asyncio as aioredis

from smarterchat.backend.config import get_settings


def _url(url: str | None) -> str:
    found = url or get_settings().redis_url
    if not found:
        raise LookupError("no Redis configured (SMARTERCHAT_REDIS_URL)")
    return found


def sync_client(url: str | None = None, *, timeout: float = 1.0) -> redis.Redis:
    """A client for ``url`` (default: the configured Redis)."""
    return redis.Redis.from_url(_url(url), socket_timeout=timeout,
                                socket_connect_timeout=timeout)


def async_client(url: str | None = None, *, timeout: float | None = None) -> aioredis.Redis:
    """An asyncio client; by default no socket timeout, since a subscriber waits for
    notices (the webhook's enqueue passes one)."""
    return aioredis.Redis.from_url(_url(url), socket_timeout=timeout,
                                   socket_connect_timeout=5 if timeout is None else timeout)
