"""The webhook's connection to PostgreSQL: psycopg's async pool, in autocommit.

Measured on our 2-core machines, a sync SQLModel session in the threadpool costs about
five times the CPU of this (see shared PERFORMANCE-NOTES), and a pool that is not
autocommit turns each stored event into BEGIN + INSERT + COMMIT: three round trips where
one statement is already atomic. ``services.ingest.store_event`` owns what is written;
this module only owns the pool. SQLite (the embedded default) keeps the session path.
"""

from __future__ import annotations

import asyncio

from psycopg_pool import AsyncConnectionPool

from smarterchat.backend.config import get_settings

_pools: dict[int, AsyncConnectionPool] = {}
POOL_WAIT = 5.0


def available() -> bool:
    return get_settings().sqlalchemy_url.startswith("postgresql")


async def pool() -> AsyncConnectionPool:
    # One pool per event loop (each server worker process has its own loop).
    loop_id = id(asyncio.get_running_loop())
    found = _pools.get(loop_id)
    if found is None:
        url = get_settings().sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://")
        # A connection is waited for at most POOL_WAIT seconds: during a database outage a
        # webhook is answered soon (db_retry bounds the retries), not after psycopg's 30 s.
        found = AsyncConnectionPool(url, min_size=2, max_size=get_settings().db_pool_size,
                                    kwargs={"autocommit": True}, open=False, timeout=POOL_WAIT)
        await found.open()
        _pools[loop_id] = found
    return found


async def close() -> None:
    for found in list(_pools.values()):
        await found.close()
    _pools.clear()
