#!/usr/bin/env python3
"""SmarterChat's one entry point. Runs with a bare ``python3`` (3.11+):

    python3 manage.py start     # set up .venv and bun if needed, migrate, demo data, serve :3000
    python3 manage.py test      # same set-up plus dev tools, then pytest (extra args pass through)
    python3 manage.py migrate   # alembic upgrade head
    python3 manage.py worker    # huey_consumer tasks.huey (when SMARTERCHAT_REDIS_URL is set)
    python3 manage.py lint      # ruff check . and mypy
    python3 manage.py setup     # only the set-up that test needs (CI caches it)

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
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / "bin"
VENV_PYTHON = VENV_BIN / "python"
REQUIREMENTS_STAMP = VENV / ".smarterchat-requirements.json"
NODE_BIN = ROOT / "node_modules" / ".bin"
NODE_STAMP = ROOT / "node_modules" / ".smarterchat-package.sha256"
IN_VENV_FLAG = "--in-venv"  # internal: the second stage, already bootstrapped
COMMANDS = ("start", "test", "migrate", "worker", "lint", "setup")


def say(message: str) -> None:
    print(f"[manage] {message}", flush=True)


def fail(message: str) -> None:
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
    if command in ("start", "test", "setup"):
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


def worker(args: list[str]) -> int:
    from smarterchat.backend.config import get_settings

    if not get_settings().redis_url:
        say("warning: SMARTERCHAT_REDIS_URL is not set, so the web process already runs an "
            "embedded consumer; this worker shares its SQLite queue")
    # Threads for the model's latency: a thread waits on one model call at a time, so 80
    # messages/s with ~0.35 s turns keep ~30 busy (README, Performance). Processes for
    # CPU: start one worker per core.
    cmd = ["huey_consumer", "tasks.huey", *(args or ["-w", "32", "-k", "thread"])]
    os.execvp(cmd[0], cmd)
    return 1  # not reached


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
