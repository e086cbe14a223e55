"""The webhook's database calls ride out a dropped connection (a PostgreSQL restart or an
instance's pool losing its sockets) with a short, bounded retry, instead of answering 5xx.

A loopback proxy in front of the real PostgreSQL stands in for the restart: it cuts every
open connection and refuses the next ones, then lets them through again."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from urllib.parse import urlparse

import pytest
from sqlmodel import select

from smarterchat.backend import db_retry, fastpath
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Channel, InboundEvent, Organization
from smarterchat.backend.services import channels, ingest
from tests.support import POSTGRES_URL, create_pg_database, drop_pg_database, migrate, use_database


class FlakyProxy:
    """TCP proxy to PostgreSQL that can cut open connections and refuse the next ``n``."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.refuse = 0
        self.refused = 0
        self.live: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.refuse > 0:
                    self.refuse -= 1
                    self.refused += 1
                    client.close()
                    continue
                upstream = socket.create_connection(self.target)
                self.live += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def restart(self, refuse: int) -> None:
        """As a database restart looks from the app: sockets cut, then refused a while."""
        with self.lock:
            self.refuse = refuse
            for s in self.live:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.live.clear()

    def close(self) -> None:
        self.listener.close()
        self.restart(0)


@pytest.fixture
def flaky(request):
    from tests.support import need_postgresql

    need_postgresql(request)
    url = create_pg_database()
    migrate(url)
    parsed = urlparse(url)
    proxy = FlakyProxy((parsed.hostname or "127.0.0.1", parsed.port or 5432))
    use_database(parsed._replace(netloc=f"{parsed.username}@127.0.0.1:{proxy.port}").geturl())
    with session_scope() as session:
        org = Organization(name="Loja", slug=f"l-{uuid.uuid4().hex[:6]}")
        session.add(org)
        session.flush()
        channel = Channel(organization_id=org.id, kind="whatsapp", name="WA",
                          external_id="1065", app_secret="s")
        session.add(channel)
    yield proxy, org.id, channel.id
    proxy.close()
    use_database(POSTGRES_URL)
    drop_pg_database(url)
    use_database(None)


def test_a_stored_event_survives_a_database_restart(flaky):
    proxy, org_id, channel_id = flaky

    async def scenario() -> tuple[list[uuid.UUID], float]:
        await ingest.store_event(org_id, channel_id, [("5511", '{"warm": 1}')])  # pool is up
        proxy.restart(refuse=2)
        started = time.monotonic()
        ids = await ingest.store_event(org_id, channel_id, [("5511", '{"after": 1}')])
        elapsed = time.monotonic() - started
        await fastpath.close()
        return ids, elapsed

    ids, elapsed = asyncio.run(scenario())
    assert proxy.refused == 2  # the retry went through the refusals
    assert elapsed < db_retry.BUDGET + fastpath.POOL_WAIT
    with session_scope() as session:
        bodies = session.exec(select(InboundEvent.body).where(InboundEvent.id.in_(ids))).all()
    assert bodies == ['{"after": 1}']


def test_the_secrets_lookup_survives_a_database_restart(flaky):
    from smarterchat.backend.api import webhooks

    proxy, _, channel_id = flaky
    with session_scope() as session:  # the engine's pool holds a connection
        session.exec(select(Channel.id)).all()
    proxy.restart(refuse=2)
    channels.forget_cached(channel_id)
    found = asyncio.run(webhooks._secrets("whatsapp", str(channel_id)))
    assert found is not None and found.channel_id == channel_id
    assert proxy.refused == 2


def test_a_database_that_stays_down_fails_within_the_bound(flaky):
    proxy, org_id, channel_id = flaky

    async def scenario() -> float:
        await ingest.store_event(org_id, channel_id, [("5511", '{"warm": 1}')])
        proxy.restart(refuse=10_000)
        started = time.monotonic()
        with pytest.raises(Exception) as caught:
            await asyncio.wait_for(
                ingest.store_event(org_id, channel_id, [("5511", '{"lost": 1}')]), 30)
        await fastpath.close()
        assert db_retry.is_disconnect(caught.value)
        return time.monotonic() - started

    # One wait for the pool plus the retries' budget, not psycopg's 30 s per attempt.
    assert asyncio.run(scenario()) < fastpath.POOL_WAIT + db_retry.BUDGET + fastpath.POOL_WAIT
