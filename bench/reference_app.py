"""The minimal webhook path the project is measured against: HMAC check on the raw body,
JSON parse, one INSERT through an autocommit psycopg async pool, one Huey message pushed
with an async Redis client. Served by bench/webhooks.py with uvicorn exactly as the app is.

Nothing reads what it stores: the table and the queue are its own (``bench_reference_*``).
Configured by REF_DATABASE_URL, REF_REDIS_URL, REF_SECRET.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import uuid
from datetime import UTC, datetime

import orjson
import redis.asyncio as aioredis
from fastapi import FastAPI, Request
from fastapi.responses import Response
from huey import RedisHuey
from psycopg_pool import AsyncConnectionPool

SECRET = os.environ["REF_SECRET"].encode()
huey = RedisHuey("bench_reference", url=os.environ["REF_REDIS_URL"])
state: dict = {}


@huey.task()
def process(event_id: str) -> None:  # never consumed: only its message is pushed
    pass


@contextlib.asynccontextmanager
async def lifespan(_app):
    pool = AsyncConnectionPool(os.environ["REF_DATABASE_URL"], min_size=4, max_size=10,
                               kwargs={"autocommit": True}, open=False)
    await pool.open()
    async with pool.connection() as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_reference_event (id uuid PRIMARY "
                           "KEY, channel_id text, body text, received_at timestamptz)")
    state["pool"], state["redis"] = pool, aioredis.from_url(os.environ["REF_REDIS_URL"])
    gc.collect()
    gc.freeze()
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)
OK = b'{"status":"received"}'


@app.post("/webhooks/whatsapp/{channel_id}")
async def receive(channel_id: str, request: Request):
    body = await request.body()
    expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("x-hub-signature-256", ""), expected):
        return Response(status_code=401)
    orjson.loads(body)
    event_id = uuid.uuid4()
    async with state["pool"].connection() as conn:
        await conn.execute("INSERT INTO bench_reference_event VALUES (%s, %s, %s, %s)",
                           (event_id, channel_id, body.decode(), datetime.now(UTC)))
    await state["redis"].lpush(huey.storage.queue_key,
                               huey.serialize_task(process.s(str(event_id))))
    return Response(OK, media_type="application/json")


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}
