"""The production process layout started for a test or the soak: ``manage.py`` commands
(migrate, frontend, app, worker, scheduler) on PostgreSQL and a private Redis, nginx with
the repository's configuration in front, the fake Graph API and the fake model on loopback.
Every process is the one an operator starts; only ports and folders are the test's own."""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.browser_support import free_port, source_copy
from tests.fakes.meta import FakeGraph
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.pipeline import PrivateRedis

ROOT = Path(__file__).resolve().parent.parent
NGINX_RENDER = ROOT / "deploy" / "nginx" / "render.py"


def render_nginx(prefix: Path, port: int, app_ports: list[int], frontend_dir: Path) -> Path:
    """deploy/nginx rendered by its own script, as README "Production" has operators do."""
    out = subprocess.run([sys.executable, str(NGINX_RENDER), "--out", str(prefix), "--port",
                          str(port), "--frontend", str(frontend_dir),
                          *(arg for p in app_ports for arg in ("--app", f"127.0.0.1:{p}"))],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"render.py failed:\n{out.stderr}")
    return Path(out.stdout.strip())


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None,
              log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}\n"
                               + (log.read_text(errors="replace")[-3000:] if log else ""))
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s\n"
                       + (log.read_text(errors="replace")[-3000:] if log else ""))


class Stack:
    """nginx + N app instances + M workers + one scheduler, as deploy/ describes them."""

    def __init__(self, database_url: str, *, apps: int = 2, workers: int = 2,
                 worker_threads: int = 4, extra_env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.redis = PrivateRedis()
        self.graph = FakeGraph()
        self.openai = FakeOpenAI()
        self.dir = Path(tempfile.mkdtemp(prefix="sc-stack-"))
        self.dir.chmod(0o755)  # nginx's workers run as nobody and read the build here
        self.logs = self.dir / "logs"
        self.logs.mkdir()
        self.nginx_port = free_port()
        self.app_ports = [free_port() for _ in range(apps)]
        self.worker_count = workers
        self.worker_threads = worker_threads
        self.extra_env = extra_env or {}
        self.source: Path | None = None
        self.build_source: Path | None = None
        self.procs: dict[str, subprocess.Popen] = {}
        self.secret_key = secrets.token_urlsafe(48)
        self.metrics_token = secrets.token_urlsafe(24)  # what Prometheus would present
        self.encryption_key = base64.b64encode(os.urandom(32)).decode()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def env(self, name: str) -> dict[str, str]:
        # Each process builds and keeps state in its own source copy, as on its own machine,
        # not in the test session's folders; and production refuses the tests' cheap bcrypt.
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTEST_CURRENT_TEST", "VIRTUAL_ENV", "SMARTERCHAT_ENV_FILE",
                            "REFLEX_WEB_WORKDIR", "REFLEX_STATES_WORKDIR")}
        env.update({
            "SMARTERCHAT_BCRYPT_ROUNDS": "12",
            "SMARTERCHAT_ENV": "production",
            "SMARTERCHAT_DATABASE_URL": self.database_url,
            "SMARTERCHAT_REDIS_URL": self.redis.url,
            "SMARTERCHAT_SECRET_KEY": self.secret_key,
            "SMARTERCHAT_METRICS_TOKEN": self.metrics_token,
            "SMARTERCHAT_ENCRYPTION_KEY": self.encryption_key,
            "SMARTERCHAT_PUBLIC_URL": self.url,
            "SMARTERCHAT_TRUSTED_PROXY_HOPS": "1",
            "SMARTERCHAT_DATA_DIR": str(self.dir / "data" / name),
            "SMARTERCHAT_GRAPH_API_BASE_URL": self.graph.base_url,
            "SMARTERCHAT_AI_PROVIDER": "openai",
            "SMARTERCHAT_OPENAI_API_KEY": "sk-stack",
            "SMARTERCHAT_OPENAI_BASE_URL": self.openai.base_url,
            "SMARTERCHAT_AI_COALESCE_SECONDS": "1",
            "SMARTERCHAT_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        })
        return env

    def manage(self, name: str, *args: str, port: int | None = None,
               source: Path | None = None) -> subprocess.Popen:
        """``python3 manage.py ARGS`` from the stack's source copy, in its own session."""
        source = source or self.source
        env = self.env(name)
        if port is not None:
            env["SMARTERCHAT_PORT"] = str(port)
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed by the OS at exit)
        proc = subprocess.Popen([sys.executable, str(source / "manage.py"), *args],
                                cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs[name] = proc
        return proc

    def run_manage(self, name: str, *args: str, timeout: float = 600) -> str:
        proc = self.manage(name, *args)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        output = (self.logs / f"{name}.log").read_text(errors="replace")
        if code != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} exited with {code}:\n{output[-3000:]}")
        return output

    # -------------------------------------------------------------- the process kinds

    def start_app(self, index: int) -> None:
        self.manage(f"app{index}", "app", port=self.app_ports[index])
        self.wait_app(index)

    def wait_app(self, index: int) -> None:
        name = f"app{index}"
        wait_http(f"http://127.0.0.1:{self.app_ports[index]}/healthz", 300, self.procs[name],
                  self.logs / f"{name}.log")

    def start_worker(self, index: int) -> None:
        self.manage(f"worker{index}", "worker", "-w", str(self.worker_threads), "-k", "thread")

    def start_nginx(self) -> None:
        prefix = self.dir / "nginx"
        prefix.mkdir(exist_ok=True)
        conf = render_nginx(prefix, self.nginx_port, self.app_ports, self.dir / "frontend")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        check = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(prefix),
                                "-e", str(self.logs / "nginx-error.log")],
                               capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
        log = open(self.logs / "nginx.log", "ab")  # noqa: SIM115
        self.procs["nginx"] = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(prefix), "-e", str(self.logs / "nginx-error.log"),
             "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_http(f"{self.url}/healthz", 30, self.procs["nginx"], prefix / "error.log")

    def start(self) -> Stack:
        self.redis.start()
        self.graph.start()
        self.openai.start()
        self.source = source_copy()
        self.run_manage("migrate", "migrate")
        # The build writes into its checkout's .web: a copy of its own, built meanwhile.
        self.build_source = source_copy()
        build = self.manage("frontend", "frontend", str(self.dir / "frontend"),
                            source=self.build_source)
        for index in range(len(self.app_ports)):
            self.manage(f"app{index}", "app", port=self.app_ports[index])
        for index in range(self.worker_count):
            self.start_worker(index)
        self.manage("scheduler", "scheduler")
        for index in range(len(self.app_ports)):
            self.wait_app(index)
        if build.wait(600) != 0:
            raise RuntimeError(f"manage.py frontend failed:\n{self.log('frontend')[-3000:]}")
        self.dir.joinpath("frontend").chmod(0o755)
        self.start_nginx()
        return self

    def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        proc = self.procs[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)
        proc.wait(30)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        self.procs.clear()
        self.graph.stop()
        self.openai.stop()
        self.redis.stop()
        for source in (self.source, self.build_source):
            if source is not None:
                shutil.rmtree(source, ignore_errors=True)
        shutil.rmtree(self.dir, ignore_errors=True)
