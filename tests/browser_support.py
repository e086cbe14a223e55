"""Start the whole app the way a newcomer does (``python3 manage.py start``) for browser tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "demo-smarterchat"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_environment(data_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    # The embedded default: SQLite and the in-process queue under a fresh data folder,
    # whatever database the other tests of this run pointed the environment at.
    for key in ("SMARTERCHAT_DATABASE_URL", "SMARTERCHAT_REDIS_URL", "SMARTERCHAT_ENV",
                "PYTEST_CURRENT_TEST", "VIRTUAL_ENV"):
        env.pop(key, None)
    env.update(SMARTERCHAT_DATA_DIR=str(data_dir), SMARTERCHAT_PORT=str(port),
               SMARTERCHAT_PUBLIC_URL=f"http://127.0.0.1:{port}", SMARTERCHAT_DEMO_DATA="true",
               PYTHONUNBUFFERED="1")
    return env


def source_copy() -> Path:
    """A copy of the source tree with a build folder of its own (sharing .venv and
    node_modules), so a second app instance, or a benchmark, never compiles into the
    .web folder another run is using."""
    import shutil

    dest = Path(tempfile.mkdtemp(prefix="smarterchat-copy-"))
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for shared in (".venv", "node_modules"):
        (dest / shared).symlink_to(ROOT / shared)
    return dest


def _command(root: Path = ROOT) -> list[str]:
    if (root / "manage.py").exists():
        return [sys.executable if Path(sys.executable).exists() else "python3",
                str(root / "manage.py"), "start"]
    # Before manage.py existed: the same steps by hand.
    script = (
        "import subprocess, sys;"
        "subprocess.run([sys.executable, '-m', 'alembic', 'upgrade', 'head'], check=True);"
        "from smarterchat.backend.services.demo import load_demo; load_demo();"
        "import os; os.execvp('reflex', ['reflex', 'run', '--env', 'prod', '--single-port'])"
    )
    return [sys.executable, "-c", script]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - local URL
            return response.status
    except OSError:
        return 0


def start_app(data_dir: Path, port: int, log_path: Path, timeout: float = 900,
              extra_env: dict[str, str] | None = None, root: Path = ROOT):
    """Start the app in its own process group; return (process, base URL).

    ``extra_env`` points it elsewhere than the embedded default (PostgreSQL, Redis, fakes).
    """
    env = {**app_environment(data_dir, port), **(extra_env or {})}
    env["PATH"] = os.pathsep.join([str(ROOT / "node_modules" / ".bin"),
                                   str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    log = open(log_path, "wb")  # noqa: SIM115 - closed when the process is stopped
    proc = subprocess.Popen(_command(root), cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    proc._log = log  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop_app(proc)
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{tail(log_path)}")
        if _get(f"{base}/ping") == 200 and _get(f"{base}/login") == 200:
            return proc, base
        time.sleep(1)
    stop_app(proc)
    raise RuntimeError(f"the app did not start within {timeout:.0f} s:\n{tail(log_path)}")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop the app and everything it started (reflex runs in a session of its own)."""
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)  # manage.py forwards it to reflex
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    _, alive = psutil.wait_procs(family, timeout=10)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    log = getattr(proc, "_log", None)
    if log is not None:
        log.close()


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
