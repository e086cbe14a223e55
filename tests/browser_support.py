"""Start the whole app the way a newcomer does (``python3 manage.py start``) for browser
tests, and the page helpers those tests share.

Every app starts in a copy of the source with build folders of its own (sharing .venv
and node_modules): the checkout's own .web and .states belong to a ``manage.py start``
that may be serving it, and a test build there would point that app's pages at the test
app's port. ``checkout_build_state`` lets conftest check that they stay untouched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
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
ADMIN = "admin@demo.smarterchat.app"
CONSULTANT = "consultora@demo.smarterchat.app"
SUPER = "super@demo.smarterchat.app"
TIMEOUT = 20_000  # ms: a first page compiles nothing (prod build) but bcrypt and the socket take a moment
# What a running app writes next to its source: its frontend build, its states, the lock
# files Reflex copies back from the build.
BUILD_FOLDERS = (".web", ".states", "reflex.lock")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_environment(data_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    # The embedded default: SQLite and the in-process queue under a fresh data folder,
    # whatever database the other tests of this run pointed the environment at.
    # Its build folders are the copy's own, not the test process's.
    for key in ("SMARTERCHAT_DATABASE_URL", "SMARTERCHAT_REDIS_URL", "SMARTERCHAT_ENV",
                "PYTEST_CURRENT_TEST", "VIRTUAL_ENV", "REFLEX_WEB_WORKDIR",
                "REFLEX_STATES_WORKDIR"):
        env.pop(key, None)
    env.update(SMARTERCHAT_DATA_DIR=str(data_dir), SMARTERCHAT_PORT=str(port),
               SMARTERCHAT_PUBLIC_URL=f"http://127.0.0.1:{port}", SMARTERCHAT_DEMO_DATA="true",
               PYTHONUNBUFFERED="1")
    return env


def source_copy() -> Path:
    """A copy of the source tree (git's files, tracked or not ignored) sharing .venv and
    node_modules, for one app to build and run in."""
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


def checkout_served() -> bool:
    """Whether an app (``manage.py start``) is running in this checkout."""
    import psutil

    for proc in psutil.process_iter(["cwd", "cmdline"]):
        if proc.info["cwd"] == str(ROOT) and any("reflex" in part
                                                 for part in proc.info["cmdline"] or ()):
            return True
    return False


def checkout_build_state(folders: tuple[str, ...] = BUILD_FOLDERS) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file in the checkout's build folders. The contents of
    .web/node_modules are left out (tens of thousands of files that only ``bun install``
    changes); the folder's own entry still shows a re-install."""
    state: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(ROOT / folder):
            if Path(dirpath) == ROOT / ".web":
                dirnames[:] = [name for name in dirnames if name != "node_modules"]
            for name in [*filenames, *dirnames]:
                path = Path(dirpath, name)
                with contextlib.suppress(FileNotFoundError):  # a file removed meanwhile
                    info = path.lstat()
                    key = str(path.relative_to(ROOT))
                    state[key] = (info.st_mtime_ns, info.st_size if name in filenames else 0)
    return state


def _command(root: Path) -> list[str]:
    return [sys.executable if Path(sys.executable).exists() else "python3",
            str(root / "manage.py"), "start"]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - local URL
            return response.status
    except OSError:
        return 0


def start_app(data_dir: Path, port: int, log_path: Path, timeout: float = 900,
              extra_env: dict[str, str] | None = None, root: Path | None = None):
    """Start the app in its own process group; return (process, base URL).

    It runs in ``root``, by default a fresh ``source_copy()`` that ``stop_app`` removes.
    ``extra_env`` points it elsewhere than the embedded default (PostgreSQL, Redis, fakes).
    """
    own_copy = root is None
    root = root or source_copy()
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
    proc._copy = root if own_copy else None  # type: ignore[attr-defined]
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
    copy = getattr(proc, "_copy", None)
    if copy is not None:
        shutil.rmtree(copy, ignore_errors=True)


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------- pages

def new_page(browser, app_url, *, width: int = 1280, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=app_url,
                                  locale="pt-BR")
    context.set_default_timeout(TIMEOUT)
    return context.new_page()


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    # The demo hint arrives through the websocket: the page is live from here on.
    page.get_by_test_id("demo-hint").wait_for()
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def shell(page):
    """The visible user block (sidebar on wide screens)."""
    return page.get_by_test_id("sidebar")


def wait_path(page, path: str) -> None:
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}/?(\?.*)?$"))


# ---------------------------------------------------------------- e-mail

def emailed_link(data_dir: Path, to: str, path: str, timeout: float = 30) -> str:
    """The newest link to ``path`` (e.g. "/verify") in an e-mail the app wrote to its
    outbox for ``to``, as a local path with its query."""
    import email
    import email.policy
    from urllib.parse import urlsplit

    deadline = time.monotonic() + timeout
    pattern = re.compile(rf"https?://\S+{re.escape(path)}\?\S+")
    while time.monotonic() < deadline:
        found = []
        for eml in sorted((data_dir / "outbox").glob("*.eml")):
            message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
            if message["To"] == to:
                found += pattern.findall(message.get_body(("plain",)).get_content())
        if found:
            url = urlsplit(found[-1])
            return f"{url.path}?{url.query}"
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {to} with a {path} link within {timeout:.0f} s")


def sign_up(page, data_dir: Path, organization: str, name: str, email: str,
            password: str) -> None:
    """Sign up through the form, then open the confirmation link the app e-mailed."""
    page.goto("/signup")
    page.get_by_test_id("signup-org").wait_for()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("signup-org").fill(organization)
    page.get_by_test_id("signup-name").fill(name)
    page.get_by_test_id("signup-email").fill(email)
    page.get_by_test_id("signup-password").fill(password)
    page.get_by_test_id("signup-submit").click()
    page.get_by_test_id("signup-sent").filter(has_text=email).wait_for()
    page.goto(emailed_link(data_dir, email, "/verify"))
    wait_path(page, "/")
