"""The webhook's hot path on PostgreSQL: one INSERT through psycopg's async pool.

Measured on our 2-core machines, a sync SQLModel session in the threadpool costs about
five times the CPU of this (see shared PERFORMANCE-NOTES); Meta wants webhooks answered
in milliseconds. SQLite (the embedded default) keeps the ordinary session path.
"""

from __future__ import annotations

import asyncio
import uuid

from psycopg_pool import AsyncConnectionPool

from smarterchat.backend.config import get_settings
from smarterchat.backend.models.base import utcnow

_pools: dict[int, AsyncConnectionPool] = {}
_INSERT = (
    "INSERT INTO inbound_event (id, organization_id, channel_id, body, status, attempts, "
    "received_at) VALUES (%s, %s, %s, %s, 'pending', 0, %s)"
)


def available() -> bool:
    return get_settings().sqlalchemy_url.startswith("postgresql")


async def _pool() -> AsyncConnectionPool:
    # One pool per event loop (each server worker process has its own loop).
    loop_id = id(asyncio.get_running_loop())
    pool = _pools.get(loop_id)
    if pool is None:
        url = get_settings().sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://")
        pool = AsyncConnectionPool(url, min_size=2, max_size=get_settings().db_pool_size,
                                   open=False)
        await pool.open()
        _pools[loop_id] = pool
    return pool


async def store_event(organization_id: uuid.UUID, channel_id: uuid.UUID, body: bytes) -> uuid.UUID:
    event_id = uuid.uuid4()
    pool = await _pool()
    async with pool.connection() as conn:
        await conn.execute(_INSERT, (event_id, organization_id, channel_id, body.decode("utf-8"),
                                     utcnow()))
    return event_id


async def close() -> None:
    for pool in list(_pools.values()):
        await pool.close()
    _pools.clear()
