"""Run Huey's consumer inside the web process for the embedded default (no Redis).

A laptop runs one process: the queue is a SQLite file and a few consumer threads
live next to the web server. With Redis configured this does nothing, because
separate ``huey_consumer tasks.huey`` processes do the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator

from huey import Huey
from huey.consumer import Consumer

from smarterchat.backend.config import get_settings

logger = logging.getLogger(__name__)

# How long shutdown waits for running tasks before giving up on them. The queue keeps
# any task not yet started, so nothing is lost; a task cut short runs again only if it
# was enqueued with retries.
SHUTDOWN_TIMEOUT = 10.0


class EmbeddedConsumer(Consumer):
    """Huey's consumer without signal handlers: the web server owns the signals."""

    def _set_signal_handlers(self) -> None:
        pass


def start_consumer(huey: Huey, workers: int) -> tuple[EmbeddedConsumer, threading.Thread]:
    consumer = EmbeddedConsumer(
        huey, workers=workers, worker_type="thread", shutdown_timeout=SHUTDOWN_TIMEOUT,
        # SQLite has no blocking pop: an idle worker polls. Huey's default backs off to
        # 10 s, which a customer would wait for; polling SQLite twice a second is cheap.
        max_delay=0.5,
    )
    # run() also restarts worker threads that die; it returns once stop() is called.
    supervisor = threading.Thread(target=consumer.run, name="huey-embedded", daemon=True)
    supervisor.start()
    return consumer, supervisor


def stop_consumer(consumer: EmbeddedConsumer, supervisor: threading.Thread) -> None:
    consumer.stop(graceful=True)
    supervisor.join(SHUTDOWN_TIMEOUT)


@contextlib.asynccontextmanager
async def embedded_consumer(app: object = None) -> AsyncIterator[None]:
    """Lifespan task for ``app.register_lifespan_task``: consumer up with the server."""
    from tasks import huey  # imports every task module, so the consumer knows them all

    settings = get_settings()
    if settings.redis_url or huey.immediate:
        # Redis: separate huey_consumer processes. Immediate: tasks run inline.
        yield
        return
    consumer, supervisor = start_consumer(huey, settings.huey_workers)
    logger.info("embedded task consumer started", extra={"workers": settings.huey_workers})
    try:
        yield
    finally:
        await asyncio.to_thread(stop_consumer, consumer, supervisor)
        logger.info("embedded task consumer stopped")
