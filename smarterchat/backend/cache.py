"""A small JSON cache: Redis when configured (shared by every instance), else in-process."""

from __future__ import annotations

import functools
import json
import threading
import time
from typing import Any

import redis

from smarterchat.backend import redis_clients
from smarterchat.backend.config import get_settings

_local: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


@functools.cache
def _redis(url: str) -> redis.Redis:
    return redis_clients.sync_client(url, timeout=1)


def get(key: str) -> Any | None:
    url = get_settings().redis_url
    try:
        if url:
            raw = _redis(url).get(f"cache:{key}")
            # A sync client without decode_responses answers bytes (or None on a miss).
            return json.loads(raw) if isinstance(raw, bytes) and raw else None
    except redis.RedisError:
        return None  # a cache that is down is a cache miss
    with _lock:
        hit = _local.get(key)
    return json.loads(hit[1]) if hit and hit[0] > time.monotonic() else None


def put(key: str, value: Any, ttl: int = 300) -> None:
    data = json.dumps(value, default=str)
    url = get_settings().redis_url
    try:
        if url:
            _redis(url).set(f"cache:{key}", data, ex=ttl)
            return
    except redis.RedisError:
        return
    with _lock:
        _local[key] = (time.monotonic() + ttl, data)


def delete(key: str) -> None:
    url = get_settings().redis_url
    if url:
        try:
            _redis(url).delete(f"cache:{key}")
        except redis.RedisError:
            pass
    with _lock:
        _local.pop(key, None)
