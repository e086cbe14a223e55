"""Access tokens refused before they expire: a logged-out session's token id (``jti``) is
kept until the token's own expiry, in Redis when configured (every app instance sees it)
or in this process otherwise (the embedded default is one process)."""

from __future__ import annotations

import functools
import threading
import time

from smarterchat.backend import redis_clients
from smarterchat.backend.config import get_settings


class MemoryDenyList:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def add(self, token_id: str, seconds: int) -> None:
        now = time.monotonic()
        with self._lock:
            self._until[token_id] = now + seconds
            if len(self._until) > 100_000:  # bound memory: drop what has expired anyway
                self._until = {k: v for k, v in self._until.items() if v > now}

    def contains(self, token_id: str) -> bool:
        with self._lock:
            until = self._until.get(token_id)
        return until is not None and until > time.monotonic()


class RedisDenyList:
    def __init__(self, url: str) -> None:
        self._redis = redis_clients.sync_client(url, timeout=2)

    def add(self, token_id: str, seconds: int) -> None:
        self._redis.set(f"deny:{token_id}", "1", ex=max(1, seconds))

    def contains(self, token_id: str) -> bool:
        return bool(self._redis.exists(f"deny:{token_id}"))


@functools.cache
def _backend(redis_url: str | None) -> MemoryDenyList | RedisDenyList:
    return RedisDenyList(redis_url) if redis_url else MemoryDenyList()


def backend() -> MemoryDenyList | RedisDenyList:
    return _backend(get_settings().redis_url)


def deny(token_id: str, seconds: int) -> None:
    if seconds > 0:
        backend().add(token_id, seconds)


def is_denied(token_id: str) -> bool:
    return backend().contains(token_id)
