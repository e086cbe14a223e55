"""Inbound events are ordered per customer, not per channel: one customer's messages keep
their order while a number's customers are processed in parallel, no event is processed
twice, and a worker that dies mid-event leaves the event to the next one. On both
databases (threads of one process), and on PostgreSQL with a real process killed."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import col, select

from smarterchat.backend import events, fastpath
from smarterchat.backend.db import get_engine, session_scope
from smarterchat.backend.models import InboundEvent, Message
from smarterchat.backend.services import ingest
from tests.factories import make_org
from tests.fakes import meta

ROOT = Path(__file__).resolve().parents[1]


def _channel(session):
    from smarterchat.backend.models import Channel

    org = make_org(session, "Ordem")
    # No agent: people answer, so no AI turn runs inside these tests.
    channel = Channel(organization_id=org.id, kind="whatsapp", name="WA",
                      external_id=uuid.uuid4().hex[:12], access_token="t", app_secret="s")
    session.add(channel)
    session.commit()
    return channel


def _body(channel, customer: str, n: int) -> bytes:
    return json.dumps(meta.whatsapp_message(channel.external_id, f"wamid.{customer}.{n}",
                                            sender=customer, body={"body": f"{customer}:{n}"})
                      ).encode()


async def _store(channel, bodies: list[bytes]) -> list[str]:
    keys = []
    try:
        for body in bodies:
            parts = ingest.split_by_customer("whatsapp", json.loads(body), body)
            await ingest.store_event(channel.organization_id, channel.id, parts)
            keys.extend(key for key, _ in parts)
    finally:
        await fastpath.close()  # pools belong to this loop
    return keys


def _texts_in_order(channel_id, customer: str) -> list[str]:
    with session_scope() as session:
        rows = session.exec(select(Message).where(
            Message.channel_id == channel_id,
            col(Message.provider_message_id).startswith(f"wamid.{customer}."))
            .order_by(col(Message.created_at))).all()
        return [m.text for m in rows]


@pytest.fixture
def created():
    """Every MessageCreated emitted, by message id."""
    seen: Counter = Counter()
    lock = threading.Lock()

    def listener(event: events.MessageCreated) -> None:
        with lock:
            seen[event.message_id] += 1

    events.subscribe(events.MessageCreated, listener)
    yield seen
    events.unsubscribe(events.MessageCreated, listener)


def test_a_customers_events_keep_their_order_under_parallel_workers(session, created):
    channel = _channel(session)
    customers = [f"55119{i:08d}" for i in range(4)]
    per_customer = 12
    stored = threading.Event()

    def produce():
        # Messages arrive interleaved across customers while the workers already drain.
        bodies = [_body(channel, c, n) for n in range(per_customer) for c in customers]
        asyncio.run(_store_slowly(channel, bodies))
        stored.set()

    async def _store_slowly(channel, bodies):
        try:
            for body in bodies:
                parts = ingest.split_by_customer("whatsapp", json.loads(body), body)
                await ingest.store_event(channel.organization_id, channel.id, parts)
                await asyncio.sleep(0.002)
        finally:
            await fastpath.close()

    settled = Counter()
    errors = []

    def work(seed: int):
        rng = random.Random(seed)
        try:
            while True:
                done_storing = stored.is_set()
                keys = customers[:]
                rng.shuffle(keys)
                moved = 0
                for key in keys:
                    n = ingest.process_pending(channel.id, key)
                    settled[key] += n
                    moved += n
                if done_storing and not moved:
                    return
        except Exception as exc:  # noqa: BLE001  (asserted below: a worker must not fail)
            errors.append(exc)

    producer = threading.Thread(target=produce)
    workers = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    producer.start()
    for t in workers:
        t.start()
    producer.join(60)
    for t in workers:
        t.join(60)
    assert not errors
    for customer in customers:
        assert _texts_in_order(channel.id, customer) == [
            f"{customer}:{n}" for n in range(per_customer)]
        assert settled[customer] == per_customer
    assert len(created) == len(customers) * per_customer
    assert set(created.values()) == {1}


def test_two_workers_never_process_one_event(session, created):
    channel = _channel(session)
    customer = "5511988880000"
    count = 20
    keys = asyncio.run(_store(channel, [_body(channel, customer, n) for n in range(count)]))
    assert set(keys) == {customer}
    start = threading.Barrier(8)
    settled = []

    def work():
        start.wait()
        settled.append(ingest.process_pending(channel.id, customer))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(settled) == count  # each event settled by exactly one of the workers
    assert len(created) == count and set(created.values()) == {1}
    with session_scope() as s:
        assert len(s.exec(select(Message).where(Message.channel_id == channel.id)).all()) == count
        statuses = s.exec(select(InboundEvent.status).where(
            InboundEvent.channel_id == channel.id)).all()
    assert statuses == ["processed"] * count


def test_a_delivery_of_ten_messages_is_settled_in_one_transaction(session, created):
    channel = _channel(session)
    customer = "5511977770000"
    asyncio.run(_store(channel, [_body(channel, customer, n) for n in range(10)]))
    commits = []

    def count(conn):
        commits.append(1)

    at_first_emit: list[int] = []

    def first_emit(event: events.MessageCreated) -> None:
        at_first_emit.append(len(commits))

    # Listeners (AI, inbox) commit their own work after the drain: count up to them.
    events._listeners[events.MessageCreated].insert(0, first_emit)
    sa_event.listen(get_engine(), "commit", count)
    try:
        assert ingest.process_pending(channel.id, customer) == 10
    finally:
        sa_event.remove(get_engine(), "commit", count)
        events.unsubscribe(events.MessageCreated, first_emit)
    assert at_first_emit[0] == 1  # the ten messages: one commit
    assert _texts_in_order(channel.id, customer) == [f"{customer}:{n}" for n in range(10)]


def test_a_delivery_about_several_customers_is_stored_per_customer(session, created):
    channel = _channel(session)
    first = meta.whatsapp_message(channel.external_id, "wamid.5511900000001.0", sender="5511900000001",
                                  body={"body": "A:0"})
    second = meta.whatsapp_message(channel.external_id, "wamid.5511900000002.0", sender="5511900000002",
                                   body={"body": "B:0"})
    value = first["entry"][0]["changes"][0]["value"]
    other = second["entry"][0]["changes"][0]["value"]
    value["contacts"] += other["contacts"]
    value["messages"] += other["messages"]
    body = json.dumps(first).encode()
    parts = ingest.split_by_customer("whatsapp", first, body)
    assert [key for key, _ in parts] == ["5511900000001", "5511900000002"]
    for key, part in parts:
        only = json.loads(part)["entry"][0]["changes"][0]["value"]
        assert [m["from"] for m in only["messages"]] == [key]
        assert [c["wa_id"] for c in only["contacts"]] == [key]
    asyncio.run(_store_parts(channel, parts))
    for key in ("5511900000001", "5511900000002"):
        assert ingest.process_pending(channel.id, key) == 1
    assert _texts_in_order(channel.id, "5511900000001") == ["A:0"]
    assert _texts_in_order(channel.id, "5511900000002") == ["B:0"]


async def _store_parts(channel, parts):
    try:
        await ingest.store_event(channel.organization_id, channel.id, parts)
    finally:
        await fastpath.close()


# A worker process that stops (and signals) right after its first message is written,
# still inside the drain's transaction, so the test can kill it there.
_DYING_WORKER = """
import sys, time, uuid
from pathlib import Path
from smarterchat.backend.services import ingest

original = ingest.add_inbound_message
def add_then_hang(*args, **kwargs):
    message = original(*args, **kwargs)
    Path(sys.argv[1]).write_text("in the middle")
    time.sleep(120)
    return message
ingest.add_inbound_message = add_then_hang
ingest.process_pending(uuid.UUID(sys.argv[2]), sys.argv[3])
"""


# PostgreSQL only: the embedded SQLite default is one process, with no other to take over.
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_worker_killed_mid_event_leaves_it_to_another_processed_once(session, database,
                                                                      created, tmp_path):
    channel = _channel(session)
    customer = "5511966660000"
    asyncio.run(_store(channel, [_body(channel, customer, n) for n in range(3)]))
    marker = tmp_path / "marker"
    env = {**os.environ, "SMARTERCHAT_LOG_LEVEL": "ERROR"}  # the database fixture's URL
    worker = subprocess.Popen([sys.executable, "-c", _DYING_WORKER, str(marker), str(channel.id),
                               customer], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before reaching the event"
            assert time.monotonic() < deadline, "the worker never reached the event"
            time.sleep(0.05)
        # While it holds the customer's lock, another worker cannot take its events.
        other = threading.Thread(target=lambda: result.append(
            ingest.process_pending(channel.id, customer)))
        result: list[int] = []
        other.start()
        other.join(1.0)
        assert other.is_alive() and not result
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        other.join(30)
        assert result == [3]
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _texts_in_order(channel.id, customer) == [f"{customer}:{n}" for n in range(3)]
    assert len(created) == 3 and set(created.values()) == {1}


def test_a_busy_queue_does_not_make_prompt_messages_late(session, monkeypatch):
    """Lateness is judged when the webhook was stored, not when a worker gets to it: a
    message that waited in a backlog keeps its arrival time and sorts after the one the
    customer wrote before it (with the worker's clock it took Meta's whole-second time, sorted
    before a message already answered, and the AI's cursor passed it by)."""
    from datetime import timedelta

    from smarterchat.backend.models.base import utcnow

    channel = _channel(session)
    customer = "5511900000099"
    start = int(time.time())

    def store(n: int, written: int) -> str:
        body = json.dumps(meta.whatsapp_message(
            channel.external_id, f"wamid.{customer}.{n}", sender=customer,
            body={"body": f"{customer}:{n}"}, timestamp=written)).encode()
        (key,) = asyncio.run(_store(channel, [body]))
        return key

    ingest.process_pending(channel.id, store(0, start - 30))  # processed at once
    # The next one is stored now, but a worker only gets to it 90 s later.
    key = store(1, start - 25)
    real = utcnow
    monkeypatch.setattr(ingest, "utcnow", lambda: real() + timedelta(seconds=90))
    ingest.process_pending(channel.id, key)
    assert _texts_in_order(channel.id, customer) == [f"{customer}:0", f"{customer}:1"]
    with session_scope() as s:
        second = s.exec(select(Message).where(
            Message.provider_message_id == f"wamid.{customer}.1")).one()
        assert abs((second.created_at - real()).total_seconds()) < 10  # its arrival, not Meta's
