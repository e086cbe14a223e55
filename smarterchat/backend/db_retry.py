"""A short, bounded retry for the webhook's database calls when the connection drops.

Meta retries a webhook answered 5xx, but late and for days; an app instance that lives
through a PostgreSQL restart or fail-over (seen in ``bench/soak.py``) should instead
ride it out: a few attempts within about two seconds, on connection errors only. Anything
else (a constraint, bad SQL) is raised at once. Storing an event twice is harmless: the
message is kept once per provider id.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import psycopg
from psycopg_pool import PoolTimeout
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
T = TypeVar("T")

# Waits between attempts: up to five attempts, none started later than BUDGET seconds after
# the first (a database that stays down is answered 5xx soon, and Meta retries later).
DELAYS = (0.1, 0.3, 0.6, 1.0)
BUDGET = 2.0


def is_disconnect(exc: BaseException) -> bool:
    if isinstance(exc, psycopg.OperationalError | PoolTimeout | ConnectionError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(
            exc.orig, psycopg.OperationalError | ConnectionError)
    return False


async def retrying(call: Callable[[], Awaitable[T]], what: str) -> T:
    """``await call()``, tried again after a dropped connection while within BUDGET."""
    started = time.monotonic()
    for delay in DELAYS:
        try:
            return await call()
        except Exception as exc:
            if not is_disconnect(exc) or time.monotonic() - started + delay > BUDGET:
                raise
            log.warning("database connection lost, trying again", extra={
                "what": what, "retry_in": delay, "error": type(exc).__name__})
        await asyncio.sleep(delay)
    return await call()
