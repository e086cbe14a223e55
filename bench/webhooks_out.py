"""Benchmark of outgoing webhooks: deliveries per second and the lag from event to delivery.

On PostgreSQL, with a loopback receiver that verifies every signature with the official
``standardwebhooks`` package, in one run, rounds alternated:

1. throughput: a backlog of --backlog deliveries (rows stored by ``record_event``) drained
   by --workers threads calling ``webhook_delivery.attempt`` (lease, sign, POST, record),
   next to a bare baseline: the same threads POSTing the same bodies with httpx and
   nothing else; deliveries/s, and the ratio of the two;
2. lag at a steady rate: --rate events/s for --seconds, each event stored and handed to
   the workers as the fan-out task would; the time from the event's store to the
   receiver's answer, p50 and p99, next to the baseline's request time at the same rate.

The Huey hop (enqueue and pick-up, about 0.2-0.4 ms on Redis per PERFORMANCE-NOTES) is not
in these figures. Needs PostgreSQL (TEST_POSTGRES_URL).
Usage: .venv/bin/python -m bench.webhooks_out [--backlog 2000] [--workers 8] [--rate 100]
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SMARTERCHAT_DATA_DIR", tempfile.mkdtemp(prefix="bench-webhooks-out-"))
os.environ["SMARTERCHAT_ENV_FILE"] = ""
os.environ["SMARTERCHAT_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = "true"  # the receiver is loopback
os.environ.setdefault("SMARTERCHAT_LOG_LEVEL", "WARNING")

from tests.fakes.webhook_receiver import Receiver  # noqa: E402
from tests.support import create_pg_database, drop_pg_database, migrate  # noqa: E402

DATA = {"message": {"id": "m", "text": "Olá, meu pedido chegou?" * 8}}


def _quiet() -> None:
    import logging

    for name in ("httpx", "huey", "smarterchat"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _drain(jobs: queue.Queue, workers: int, work: Callable[[object], None]) -> None:
    def run() -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            work(job)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()


def _project_attempt(org_id, endpoint_id) -> tuple[Callable[[int], list], Callable[[object], None]]:
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.services import webhook_delivery

    def store(n: int) -> list:
        with session_scope() as session:
            return [(i, time.perf_counter()) for _ in range(n) for i in
                    webhook_delivery.record_event(session, org_id, "message.created", DATA)]

    def work(job) -> None:
        delivery_id, _ = job
        with session_scope() as session:
            outcome = webhook_delivery.attempt(session, delivery_id)
        assert outcome is not None and outcome.state == "succeeded", outcome

    return store, work


def _bare_post(url: str) -> Callable[[object], None]:
    import json

    body = json.dumps({"type": "message.created", "data": DATA}).encode()
    local = threading.local()

    def work(_job) -> None:
        client = getattr(local, "client", None) or httpx.Client(timeout=15)
        local.client = client
        client.post(url, content=body, headers={"content-type": "application/json"})

    return work


def throughput(store, work, bare, backlog: int, workers: int) -> tuple[float, float]:
    jobs: queue.Queue = queue.Queue()
    for job in store(backlog):
        jobs.put(job)
    start = time.perf_counter()
    _drain(jobs, workers, work)
    project = backlog / (time.perf_counter() - start)
    jobs = queue.Queue()
    for i in range(backlog):
        jobs.put(i)
    start = time.perf_counter()
    _drain(jobs, workers, bare)
    return project, backlog / (time.perf_counter() - start)


def steady_lag(store, work, workers: int, rate: float, seconds: float) -> tuple[list[float], int]:
    """Event stored -> receiver answered, in ms, at ``rate`` events/s."""
    jobs: queue.Queue = queue.Queue()
    lags: list[float] = []

    def run() -> None:
        while (job := jobs.get()) is not None:
            work(job)
            lags.append((time.perf_counter() - job[1]) * 1000)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    deadline, interval, sent = time.perf_counter() + seconds, 1 / rate, 0
    next_at = time.perf_counter()
    while time.perf_counter() < deadline:
        for job in store(1):
            jobs.put(job)
        sent += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.perf_counter()))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    return lags, sent


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlog", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    _quiet()
    url = create_pg_database()
    receiver = Receiver()
    try:
        migrate(url)
        from smarterchat.backend.db import session_scope
        from smarterchat.backend.models import Membership, Organization, Role, User
        from smarterchat.backend.services import webhooks
        from smarterchat.backend.services.actors import load_actor

        with session_scope() as session:
            org = Organization(name="Bench", slug="bench")
            user = User(email="bench@example.com", name="Bench", password_hash="")
            session.add_all([org, user])
            session.flush()
            session.add(Membership(organization_id=org.id, user_id=user.id, role=Role.ADMIN))
            session.commit()
            admin = load_actor(session, user.id, org.id)
            created = webhooks.create_endpoint(session, admin, url=receiver.url + "/hook",
                                               events=["message.created"])
        receiver.secret = created.secret
        store, work = _project_attempt(org.id, created.endpoint.id)
        bare = _bare_post(receiver.url + "/bare")
        ratios, project_rates, bare_rates = [], [], []
        for _ in range(args.rounds):
            project, baseline = throughput(store, work, bare, args.backlog, args.workers)
            project_rates.append(project)
            bare_rates.append(baseline)
            ratios.append(project / baseline)
        verified = [r.verified for r in receiver.received if r.path == "/hook"]
        print(f"throughput ({args.backlog} deliveries, {args.workers} threads, "
              f"{args.rounds} rounds, medians):")
        print(f"  project  {statistics.median(project_rates):8.0f} deliveries/s "
              f"(lease + sign + POST + record on PostgreSQL)")
        print(f"  baseline {statistics.median(bare_rates):8.0f} POST/s (httpx only)")
        print(f"  ratio    {statistics.median(ratios):8.2f}; signatures verified by the receiver: "
              f"{sum(verified)}/{len(verified)}")
        lags, sent = steady_lag(store, work, args.workers, args.rate, args.seconds)
        bare_lags: list[float] = []

        def bare_timed(job) -> None:
            start = time.perf_counter()
            bare(job)
            bare_lags.append((time.perf_counter() - start) * 1000)

        jobs: queue.Queue = queue.Queue()
        for i in range(len(lags)):
            jobs.put(i)
        _drain(jobs, args.workers, bare_timed)
        print(f"steady rate {args.rate:.0f} events/s for {args.seconds:.0f} s "
              f"({sent} events):")
        print(f"  event stored -> receiver answered: p50 {_pct(lags, 50):.1f} ms, "
              f"p99 {_pct(lags, 99):.1f} ms")
        print(f"  baseline bare POST:                p50 {_pct(bare_lags, 50):.1f} ms, "
              f"p99 {_pct(bare_lags, 99):.1f} ms")
    finally:
        receiver.close()
        from smarterchat.backend import db

        db.get_engine().dispose()
        drop_pg_database(url)


if __name__ == "__main__":
    main()
