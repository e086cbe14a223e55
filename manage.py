#!/usr/bin/env python3
"""SmarterChat's one entry point. Runs with a bare ``python3`` (3.11+):

    python3 manage.py start     # set up .venv and bun if needed, migrate, demo data, serve :3000
    python3 manage.py test      # same set-up plus dev tools, then pytest (extra args pass through)
    python3 manage.py migrate   # alembic upgrade head
    python3 manage.py worker    # huey_consumer tasks.huey (when SMARTERCHAT_REDIS_URL is set)
    python3 manage.py lint      # ruff check . and mypy
    python3 manage.py setup     # only the set-up that test needs (CI caches it)

Production, one process kind per command (see README "Production" and deploy/):

    python3 manage.py migrate          # before the new code serves
    python3 manage.py frontend [DIR]   # build the static pages once (default build/frontend)
    python3 manage.py app              # Reflex backend + API on SMARTERCHAT_PORT (no pages)
    python3 manage.py worker           # task consumer without periodic tasks; SIGTERM = SIGINT
    python3 manage.py scheduler        # the one process that enqueues periodic tasks
    python3 manage.py check-worker     # exit 0 when a worker answers a task within 10 s

The top half uses the standard library only: it creates ``.venv``, installs the
requirements when they changed, installs bun from npm, then re-runs this file with
the venv's Python for the commands themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / "bin"
VENV_PYTHON = VENV_BIN / "python"
REQUIREMENTS_STAMP = VENV / ".smarterchat-requirements.json"
NODE_BIN = ROOT / "node_modules" / ".bin"
NODE_STAMP = ROOT / "node_modules" / ".smarterchat-package.sha256"
IN_VENV_FLAG = "--in-venv"  # internal: the second stage, already bootstrapped
COMMANDS = ("start", "test", "migrate", "worker", "lint", "setup", "app", "frontend", "scheduler",
            "check-worker")
FRONTEND_BUILD = ROOT / "build" / "frontend"
# Only the scheduler enqueues periodic tasks; it holds this Redis key while it runs.
SCHEDULER_LOCK = "smarterchat:scheduler"
SCHEDULER_LOCK_SECONDS = 30


def say(message: str) -> None:
    print(f"[manage] {message}", flush=True)


def fail(message: str) -> NoReturn:
    print(f"[manage] error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def run(cmd: list[str], **kwargs) -> None:
    result = subprocess.run(cmd, cwd=ROOT, check=False, **kwargs)
    if result.returncode != 0:
        fail(f"{' '.join(map(str, cmd))} exited with {result.returncode}")


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()


# ---------------------------------------------------------------- stage 1: bootstrap (stdlib)

def ensure_venv(dev: bool) -> None:
    if not VENV_PYTHON.exists():
        say("creating .venv")
        result = subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False)
        if result.returncode != 0:
            fail("could not create .venv; on Debian/Ubuntu: apt-get install python3-venv")

    stamps = json.loads(REQUIREMENTS_STAMP.read_text()) if REQUIREMENTS_STAMP.exists() else {}
    wanted = ["requirements.txt"] + (["requirements-dev.txt"] if dev else [])
    current = {name: _digest(ROOT / name) for name in wanted}
    if all(stamps.get(name) == digest for name, digest in current.items()):
        return
    say(f"installing Python packages from {wanted[-1]} (the first time takes a few minutes)")
    run([str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", wanted[-1]])
    REQUIREMENTS_STAMP.write_text(json.dumps({**stamps, **current}, indent=2))


def ensure_bun() -> None:
    """Reflex's frontend needs bun; it comes from npm so nothing is fetched from a code host."""
    digest = _digest(ROOT / "package.json", ROOT / "package-lock.json")
    if (NODE_BIN / "bun").exists() and NODE_STAMP.exists() and NODE_STAMP.read_text() == digest:
        return
    if not shutil.which("npm"):
        fail("npm was not found: install Node.js 20 or newer (it brings npm), then run again")
    say("installing bun with npm")
    run(["npm", "install", "--no-audit", "--no-fund"])
    NODE_STAMP.write_text(digest)


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(NODE_BIN), str(VENV_BIN), env.get("PATH", "")])
    env["REFLEX_USE_SYSTEM_BUN"] = "1"  # never download bun
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"
    if "NPM_CONFIG_REGISTRY" not in env and shutil.which("npm"):
        # Naming the registry skips Reflex's probe of a mirror at start-up.
        registry = subprocess.run(["npm", "config", "get", "registry"], capture_output=True,
                                  text=True, check=False).stdout.strip()
        if registry.startswith("http"):
            env["NPM_CONFIG_REGISTRY"] = registry
    env.pop("VIRTUAL_ENV", None)
    return env


def bootstrap(command: str, args: list[str]) -> None:
    if sys.version_info < (3, 11):
        fail(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    ensure_venv(dev=command in ("test", "lint", "setup"))
    if command in ("start", "test", "setup", "frontend"):
        ensure_bun()
    env = child_environment()
    argv = [str(VENV_PYTHON), str(ROOT / "manage.py"), IN_VENV_FLAG, command, *args]
    os.execve(argv[0], argv, env)


# ---------------------------------------------------------------- stage 2: inside the venv

def migrate() -> None:
    say("migrating the database (alembic upgrade head)")
    run([sys.executable, "-m", "alembic", "upgrade", "head"])


def load_demo_once() -> str | None:
    """Load the demo organisation into a database that has no organisation yet."""
    from sqlmodel import Session, func, select

    from smarterchat.backend import db
    from smarterchat.backend.config import get_settings

    settings = get_settings()
    if not settings.demo_data or settings.is_production:
        return None
    from smarterchat.backend.models import Organization

    with Session(db.get_engine()) as session:
        organisations = session.exec(select(func.count()).select_from(Organization)).one()
    db.reset()
    if organisations:
        return "Demo login: see README.md (the demo organisation was loaded on first start)."
    try:
        from smarterchat.backend.services.demo import load_demo
    except ModuleNotFoundError as exc:
        say(f"warning: no demo data loaded ({exc})")
        return None
    say("loading the demo organisation")
    info = load_demo()
    db.reset()
    return str(info)


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float = 600) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def start() -> int:
    from smarterchat.backend.config import get_settings

    settings = get_settings()
    migrate()
    demo = load_demo_once()
    say(f"starting SmarterChat on port {settings.port} (the first build takes a minute)")
    # Its own session, so Ctrl-C reaches reflex exactly once: through us.
    proc = subprocess.Popen(["reflex", "run", "--env", "prod", "--single-port"], cwd=ROOT,
                            start_new_session=True)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: proc.send_signal(signum))
    try:
        if wait_until_serving(proc, f"http://127.0.0.1:{settings.port}/healthz"):
            lines = [
                "",
                "=" * 72,
                f"  SmarterChat is running: open http://localhost:{settings.port}",
            ]
            if urlsplit(settings.public_url).hostname not in ("localhost", "127.0.0.1"):
                lines.append(f"  Public address (SMARTERCHAT_PUBLIC_URL): {settings.public_url}")
            if demo:
                lines += ["", *("  " + line for line in demo.splitlines())]
            lines += ["", "  Stop with Ctrl-C.", "=" * 72, ""]
            print("\n".join(lines), flush=True)
        return proc.wait()
    finally:
        if proc.poll() is None:  # we are leaving on an error: do not orphan the server
            proc.terminate()
            proc.wait()


def _supervise(cmd: list[str], on_tick=None, tick_seconds: float = 0) -> int:
    """Run ``cmd`` as our child and turn SIGTERM (what Docker and Kubernetes send) into
    SIGINT, huey_consumer's graceful stop: it stops taking tasks, lets the running ones
    finish, then exits. A second signal is passed on as it is."""
    proc = subprocess.Popen(cmd, cwd=ROOT)
    stopping = False

    def forward(signum, _frame):
        nonlocal stopping
        proc.send_signal(signal.SIGINT if not stopping else signum)
        stopping = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    while True:
        try:
            return proc.wait(timeout=tick_seconds or None)
        except subprocess.TimeoutExpired:
            if on_tick is not None and not stopping and not on_tick():
                say("lost the scheduler lock: stopping so the other scheduler runs alone")
                forward(signal.SIGTERM, None)


def _consumer(args: list[str], defaults: list[str]) -> list[str]:
    return [str(VENV_BIN / "huey_consumer") if (VENV_BIN / "huey_consumer").exists()
            else "huey_consumer", "tasks.huey", *(args or defaults)]


def worker(args: list[str]) -> int:
    from smarterchat.backend.config import get_settings

    if not get_settings().redis_url:
        say("warning: SMARTERCHAT_REDIS_URL is not set, so the web process already runs an "
            "embedded consumer; this worker shares its SQLite queue")
    # Threads for the model's latency: a thread waits on one model call at a time, so 80
    # messages/s with ~0.35 s turns keep ~30 busy (README, Performance). Processes for
    # CPU: start one worker per core.
    args = args or ["-w", "32", "-k", "thread"]
    # -n always: periodic tasks come from the one scheduler, however many workers run.
    if "-n" not in args and "--no-periodic" not in args:
        args = ["-n", *args]
    return _supervise(_consumer(args, []))


def scheduler(args: list[str]) -> int:
    """The one consumer with periodic tasks on. A Redis key makes a second scheduler
    (a rolling update, an operator's mistake) wait until the first one is gone."""
    import uuid

    import redis

    from smarterchat.backend.config import get_settings

    url = get_settings().redis_url
    if not url:
        fail("the scheduler needs SMARTERCHAT_REDIS_URL (without Redis the web process "
             "runs the periodic tasks itself)")
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    me = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    waited = False
    while not client.set(SCHEDULER_LOCK, me, nx=True, ex=SCHEDULER_LOCK_SECONDS):
        if not waited:
            say(f"another scheduler holds {SCHEDULER_LOCK} ({client.get(SCHEDULER_LOCK)!r}): "
                "waiting for it to stop")
            waited = True
        time.sleep(SCHEDULER_LOCK_SECONDS / 3)
    say(f"scheduler lock taken ({me})")

    def keep_lock() -> bool:
        try:
            if client.get(SCHEDULER_LOCK) != me.encode():
                return False
            client.expire(SCHEDULER_LOCK, SCHEDULER_LOCK_SECONDS)
        except redis.RedisError as exc:
            say(f"warning: could not renew the scheduler lock ({exc}); retrying")
        return True

    try:
        # One thread: it runs tasks too, but its job is the periodic enqueueing.
        return _supervise(_consumer(args, ["-w", "1", "-k", "thread"]), keep_lock,
                          SCHEDULER_LOCK_SECONDS / 3)
    finally:
        try:
            if client.get(SCHEDULER_LOCK) == me.encode():
                client.delete(SCHEDULER_LOCK)
        except redis.RedisError:
            pass


def check_worker(args: list[str]) -> int:
    """A worker check: enqueue the no-op health task and wait for any worker's answer."""
    from huey.exceptions import HueyException

    from smarterchat.backend.config import get_settings

    timeout = float(args[0]) if args else 10.0
    if not get_settings().redis_url:
        fail("check-worker needs SMARTERCHAT_REDIS_URL (without Redis the web process "
             "runs the tasks: check it with /readyz)")
    import tasks
    from tasks.health import health_check

    try:
        result = health_check().get(blocking=True, timeout=timeout)
    except HueyException:
        print(json.dumps({"status": "no worker answered", "timeout_s": timeout,
                          "pending": tasks.huey.pending_count()}), flush=True)
        return 1
    print(json.dumps({"status": "ok", **result}), flush=True)
    return 0


def app_backend(args: list[str]) -> int:
    """The Reflex backend with the mounted API (websocket /_event, webhooks, /api/v1,
    /healthz, /readyz, /metrics) and no pages: those are built by ``frontend``."""
    from smarterchat.backend.config import get_settings

    settings = get_settings()
    if not settings.redis_url:
        say("warning: without SMARTERCHAT_REDIS_URL only one app instance may run")
    # Not `reflex run --backend-only`: Reflex refuses it while rxconfig names a frontend
    # port. This is the server `reflex run --env prod` starts for its backend.
    # The pages are built once by ``frontend``; an app instance only evaluates them. Reflex
    # reads this switch under its internal name (two underscores): without them every start
    # compiled the pages into .web and installed their packages (27 s in the image, and a
    # read-only install could not start at all).
    env = {**os.environ, "REFLEX_ENV_MODE": "prod", "__REFLEX_SKIP_COMPILE": "true"}
    host = os.environ.get("SMARTERCHAT_HOST", "0.0.0.0")  # noqa: S104 - a server binds all
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "smarterchat.smarterchat:app",
           "--host", host, "--port", str(settings.port),
           "--workers", os.environ.get("SMARTERCHAT_APP_PROCESSES", "1"),
           # Client addresses come from SMARTERCHAT_TRUSTED_PROXY_HOPS, not uvicorn's guess.
           "--no-proxy-headers", "--timeout-graceful-shutdown", "20", *args]
    os.execve(cmd[0], cmd, env)
    return 1  # not reached


def frontend(args: list[str]) -> int:
    """Build the static pages once, for nginx or a CDN. The websocket's address is
    written into the build: it is SMARTERCHAT_PUBLIC_URL, the address browsers use."""
    from smarterchat.backend.config import get_settings

    dest = Path(args[0]).resolve() if args else FRONTEND_BUILD
    public = get_settings().public_url.rstrip("/")
    say(f"building the frontend for {public} (about a minute)")
    run(["reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
        env={**os.environ, "REFLEX_API_URL": public, "REFLEX_DEPLOY_URL": public})
    # Reflex builds into REFLEX_WEB_WORKDIR when it is set, .web otherwise.
    built = Path(os.environ.get("REFLEX_WEB_WORKDIR") or ROOT / ".web") / "build" / "client"
    if not (built / "index.html").exists():
        fail(f"reflex export left no {built / 'index.html'}")
    staging = dest.with_name(dest.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(built, staging)
    # Swap in one rename so nginx never serves half of a build.
    if dest.exists():
        old = dest.with_name(dest.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(dest)
    say(f"frontend built into {dest}")
    return 0


def main(argv: list[str]) -> int:
    in_venv = bool(argv) and argv[0] == IN_VENV_FLAG
    if in_venv:
        argv = argv[1:]
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help", "help") else 2
    command, args = argv[0], argv[1:]
    os.chdir(ROOT)
    if not in_venv:
        bootstrap(command, args)  # re-executes this file inside .venv; never returns
    if command == "start":
        return start()
    if command == "test":
        return subprocess.call([sys.executable, "-m", "pytest", "-rs", *args])
    if command == "migrate":
        migrate()
        return 0
    if command == "worker":
        return worker(args)
    if command == "scheduler":
        return scheduler(args)
    if command == "check-worker":
        return check_worker(args)
    if command == "app":
        return app_backend(args)
    if command == "frontend":
        return frontend(args)
    if command == "setup":
        say("ready: .venv and bun are up to date")
        return 0
    if command == "lint":
        paths = [] if any(not arg.startswith("-") for arg in args) else ["."]
        found = subprocess.call([sys.executable, "-m", "ruff", "check", *paths, *args])
        # Type checks cover the whole tree (pyproject.toml lists it): only for a full lint.
        return found or (0 if args else subprocess.call([sys.executable, "-m", "mypy"]))
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
