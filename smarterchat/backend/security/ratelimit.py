"""Fixed-window counters for throttling (login attempts, API calls).

Backed by Redis when configured, so every app instance shares the counts; by an
in-process table otherwise (the embedded default runs one process).
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass

from smarterchat.backend import redis_clients
from smarterchat.backend.config import get_settings


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window resets


class MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, window: int) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            count, reset = self._counts.get(key, (0, now + window))
            if now >= reset:
                count, reset = 0, now + window
            count += 1
            self._counts[key] = (count, reset)
            if len(self._counts) > 100_000:  # bound memory: drop expired windows
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            return count, max(1, int(reset - now))

    def peek(self, key: str) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            count, reset = self._counts.get(key, (0, now))
            return (0, 0) if now >= reset else (count, max(1, int(reset - now)))

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisCounter:
    def __init__(self, url: str) -> None:
        self._redis = redis_clients.sync_client(url, timeout=2)

    def hit(self, key: str, window: int) -> tuple[int, int]:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        pipe.ttl(key)
        count, _, ttl = pipe.execute()
        return int(count), max(1, int(ttl))

    def peek(self, key: str) -> tuple[int, int]:
        pipe = self._redis.pipeline()
        pipe.get(key)
        pipe.ttl(key)
        count, ttl = pipe.execute()
        return int(count or 0), max(0, int(ttl))

    def clear(self, key: str) -> None:
        self._redis.delete(key)


@functools.cache
def _backend(redis_url: str | None) -> MemoryCounter | RedisCounter:
    return RedisCounter(redis_url) if redis_url else MemoryCounter()


def backend() -> MemoryCounter | RedisCounter:
    return _backend(get_settings().redis_url)


def is_blocked(key: str, limit: int) -> Verdict:
    count, retry = backend().peek(f"rl:{key}")
    return Verdict(count < limit, count, retry)


def hit(key: str, limit: int, window: int) -> Verdict:
    count, retry = backend().hit(f"rl:{key}", window)
    return Verdict(count <= limit, count, retry)


def clear(key: str) -> None:
    backend().clear(f"rl:{key}")
