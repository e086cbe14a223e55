"""The one Huey instance, built from settings.

With ``SMARTERCHAT_REDIS_URL`` the queue lives in Redis and separate
``huey_consumer tasks.huey`` processes run the tasks (several app instances can
share it). Without it the queue is a SQLite file under ``data_dir`` and the web
process runs an embedded consumer (see ``tasks.embedded``).
"""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis
from huey import Huey, RedisHuey, SqliteHuey

from smarterchat.backend import observability, redis_clients
from smarterchat.backend.config import Settings, get_settings
from smarterchat.backend.private_files import ensure_private_file

QUEUE_NAME = "smarterchat"


def build_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey(QUEUE_NAME, url=settings.redis_url, immediate=settings.huey_immediate)
    ensure_private_file(settings.data_dir / "huey.db")  # its tasks carry e-mail links
    return SqliteHuey(
        QUEUE_NAME,
        filename=str(settings.data_dir / "huey.db"),
        immediate=settings.huey_immediate,
    )


huey = build_huey(get_settings())


_async_clients: dict[int, aioredis.Redis] = {}


def async_redis() -> aioredis.Redis | None:
    """An asyncio client of the queue's Redis for this event loop (None without Redis):
    the webhook awaits its enqueue instead of blocking the loop for a round trip."""
    url = get_settings().redis_url
    if not url or huey.immediate:
        return None
    loop_id = id(asyncio.get_running_loop())
    client = _async_clients.get(loop_id)
    if client is None:
        client = _async_clients[loop_id] = redis_clients.async_client(url, timeout=2)
    return client


# The age of the oldest waiting task, for the metrics (tasks huey.enqueue puts on the queue).
observability.track_queue(huey)


@huey.on_startup()
def _serve_metrics() -> None:
    # Only consumers run start-up hooks, so the web process never opens this port.
    port = get_settings().worker_metrics_port
    if port:
        observability.serve_worker_metrics(port)
