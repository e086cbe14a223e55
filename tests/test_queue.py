"""The task queue: the Huey instance follows the settings and tasks really run.

The health task goes through a real consumer both ways production runs one: the
in-process consumer on SQLite (embedded default) and a separate ``huey_consumer``
process on Redis.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

import tasks
from smarterchat.backend import db
from smarterchat.backend.config import Settings
from tasks.embedded import embedded_consumer
from tasks.health import health_check
from tasks.queue import build_huey

ROOT = Path(__file__).resolve().parent.parent


def _embedded_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "huey-embedded"]


@pytest.fixture
def redis_configured(redis_url):
    """The app's settings point at Redis for the duration of the test."""
    os.environ["SMARTERCHAT_REDIS_URL"] = redis_url
    db.reset()
    yield redis_url
    os.environ.pop("SMARTERCHAT_REDIS_URL", None)
    db.reset()


def test_queue_is_sqlite_under_data_dir_without_redis(tmp_path):
    queue = build_huey(Settings(data_dir=tmp_path))

    assert isinstance(queue, SqliteHuey)
    assert queue.storage.filename == str(tmp_path / "huey.db")
    assert not queue.immediate


def test_queue_is_redis_when_a_redis_url_is_set(tmp_path):
    queue = build_huey(Settings(data_dir=tmp_path, redis_url="redis://127.0.0.1:6379/3"))

    assert isinstance(queue, RedisHuey)
    assert queue.storage.conn.connection_pool.connection_kwargs["db"] == 3


def test_immediate_mode_comes_from_settings(tmp_path):
    assert build_huey(Settings(data_dir=tmp_path, huey_immediate=True)).immediate


def test_consumer_entry_point_exposes_the_instance_with_its_tasks():
    # `huey_consumer tasks.huey` loads exactly this attribute.
    assert "tasks.health.health_check" in tasks.huey._registry._registry


def test_health_task_round_trips_through_the_embedded_consumer():
    assert isinstance(tasks.huey, SqliteHuey)  # the embedded default in tests

    async def scenario() -> dict:
        async with embedded_consumer():
            assert len(_embedded_threads()) == 1
            result = health_check()
            return await asyncio.to_thread(result.get, blocking=True, timeout=15)

    outcome = asyncio.run(scenario())

    assert outcome["pid"] == os.getpid()  # ran in this process...
    assert outcome["thread"].startswith("Worker-")  # ...on one of the consumer's threads
    assert "T" in outcome["time"]
    assert not _embedded_threads(), "the consumer stops with the app"


def test_embedded_consumer_stays_off_when_redis_does_the_work(redis_configured):
    async def scenario() -> int:
        async with embedded_consumer():
            return len(_embedded_threads())

    assert asyncio.run(scenario()) == 0


def test_health_task_round_trips_through_a_huey_consumer_process_on_redis(redis_url):
    env = {**os.environ, "SMARTERCHAT_REDIS_URL": redis_url}
    consumer_bin = Path(sys.executable).with_name("huey_consumer")
    consumer = subprocess.Popen(
        [str(consumer_bin), "tasks.huey", "-w", "2", "-k", "thread"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(consumer.stdout), daemon=True)
    reader.start()
    try:
        # Started from `tasks.huey`, it lists the tasks it knows once it is consuming.
        deadline = time.monotonic() + 30
        while not any("tasks.health.health_check" in line for line in output):
            assert consumer.poll() is None, "huey_consumer exited:\n" + "".join(output)
            assert time.monotonic() < deadline, "huey_consumer did not start:\n" + "".join(output)
            time.sleep(0.1)

        # The client side: the same task registered on a Huey built for that Redis.
        client = build_huey(Settings(redis_url=redis_url))
        remote_health_check = client.task()(health_check.func)
        outcome = remote_health_check().get(blocking=True, timeout=30)

        # Ran in another process: this consumer (or, when several test runs share the
        # machine's Redis database, another run's huey_consumer).
        assert outcome["pid"] != os.getpid()
        assert outcome["thread"].startswith("Worker-")
    finally:
        consumer.send_signal(signal.SIGINT)  # graceful: finish running tasks, then exit
        try:
            consumer.wait(timeout=15)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()
        reader.join(5)
