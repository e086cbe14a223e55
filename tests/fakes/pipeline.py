"""The message pipeline as it runs in production, started for a test or a benchmark:
the app's HTTP routes under uvicorn, ``huey_consumer`` processes on a private Redis,
PostgreSQL, and the fake Graph API, each a real process or server on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.fakes.meta import FakeGraph

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


class PrivateRedis:
    """A redis-server of the test's own, so a test may stop and restart it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="sc-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


class Pipeline:
    def __init__(self, database_url: str, *, consumers: int = 1, workers: int = 4,
                 app_workers: int = 1, extra_env: dict[str, str] | None = None,
                 consumer_module: str = "tasks.huey", fake_loop: str = "asyncio") -> None:
        self.database_url = database_url
        self.redis = PrivateRedis()
        self.graph = FakeGraph()
        self.port = free_port()
        self.consumers = consumers
        self.workers = workers
        self.app_workers = app_workers
        self.extra_env = extra_env or {}
        self.consumer_module = consumer_module
        self.fake_loop = fake_loop
        self.procs: list[subprocess.Popen] = []
        self.consumer_procs: list[subprocess.Popen] = []
        self.log_dir = Path(tempfile.mkdtemp(prefix="sc-pipeline-"))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "SMARTERCHAT_DATABASE_URL": self.database_url,
                "SMARTERCHAT_REDIS_URL": self.redis.url,
                "SMARTERCHAT_GRAPH_API_BASE_URL": self.graph.base_url,
                "SMARTERCHAT_GRAPH_API_TIMEOUT_SECONDS": "1",
                "SMARTERCHAT_LOG_LEVEL": "WARNING", **self.extra_env}

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env(), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start_consumers(self) -> None:
        consumer = str(Path(sys.executable).parent / "huey_consumer")
        for i in range(self.consumers):
            self.consumer_procs.append(self._spawn(
                f"consumer{i}", [consumer, self.consumer_module, "-w", str(self.workers),
                                 "-k", "thread", "-q"]))

    def stop_consumers(self) -> None:
        """Stop the consumers only (SIGINT: Huey's graceful stop), e.g. to let a backlog grow."""
        for proc in self.consumer_procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        for proc in self.consumer_procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            self.procs.remove(proc)
        self.consumer_procs.clear()

    def start(self) -> Pipeline:
        self.redis.start()
        self.graph.start(loop=self.fake_loop)
        self._spawn("app", [sys.executable, "-m", "uvicorn", "--factory",
                            "smarterchat.backend.api.app:create_api", "--host", "127.0.0.1",
                            "--port", str(self.port), "--workers", str(self.app_workers),
                            "--log-level", "warning", "--no-access-log"])
        self.start_consumers()
        _wait_http(f"{self.base_url}/healthz")
        return self

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.log_dir.glob("*.log")))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()
        self.graph.stop()
        self.redis.stop()
