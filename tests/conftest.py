"""Fixtures and hooks only: real SQLite and PostgreSQL databases, real Redis, the browser
tests' apps. Helpers that test modules import live in ``tests/support.py`` (databases,
services) and ``tests/browser_support.py`` (apps and pages); never import this module.

Tests that need PostgreSQL, Redis or Chromium run when those are reachable and are
skipped with the reason otherwise. CI passes ``--require-services`` so that such a
skip fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support import (
    CHROMIUM,
    REDIS_URL,
    ROOT,
    create_pg_database,
    drop_pg_database,
    migrate,
    need,
    need_chromium,
    need_postgresql,
    reachable,
    truncate_all,
    use_database,
)

os.chdir(ROOT)  # Reflex looks for rxconfig.py in the working directory.

# Tests never touch a developer's data folder or .env.
_TEST_DATA = Path(tempfile.mkdtemp(prefix="smarterchat-tests-"))
os.environ["SMARTERCHAT_DATA_DIR"] = str(_TEST_DATA)
os.environ["SMARTERCHAT_ENV_FILE"] = ""
os.environ.setdefault("SMARTERCHAT_LOG_JSON", "true")
# Nor the checkout's build: whatever Reflex compiles or stores in this process goes here
# (the apps of browser tests build in copies of the source; see browser_support).
os.environ["REFLEX_WEB_WORKDIR"] = str(_TEST_DATA / "web")
os.environ["REFLEX_STATES_WORKDIR"] = str(_TEST_DATA / "states")
# bcrypt's cost only sets how slow a hash is; 12 rounds cost about 0.3 s per hash and
# login, which tests (and the apps they start) pay hundreds of times. Production still
# refuses fewer than 12 (test_config.py checks that).
os.environ.setdefault("SMARTERCHAT_BCRYPT_ROUNDS", "4")
for _key in ("SMARTERCHAT_DATABASE_URL", "SMARTERCHAT_REDIS_URL", "SMARTERCHAT_ENV"):
    os.environ.pop(_key, None)


def pytest_addoption(parser):
    parser.addoption(
        "--require-services",
        action="store_true",
        default=os.environ.get("SMARTERCHAT_REQUIRE_SERVICES") == "1",
        help="Fail, instead of skipping, tests whose PostgreSQL, Redis or Chromium is missing.",
    )


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_TEST_DATA, ignore_errors=True)


# ---------------------------------------------------------------- databases

@pytest.fixture(scope="session")
def sqlite_url():
    path = _TEST_DATA / "sqlite" / "test.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url(request):
    need_postgresql(request)
    url = create_pg_database()
    migrate(url)
    yield url
    from smarterchat.backend import db

    db.get_engine().dispose()
    drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request):
    """A migrated, empty database: each test runs on the embedded default and on PostgreSQL."""
    url = request.getfixturevalue(f"{request.param}_url")
    use_database(url)
    truncate_all()
    yield request.param
    truncate_all()


@pytest.fixture
def session(database):
    from sqlmodel import Session

    from smarterchat.backend.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as s:
        yield s


# ---------------------------------------------------------------- redis

@pytest.fixture
def redis_url(request):
    need(request, reachable(REDIS_URL, 6379), f"Redis at {REDIS_URL} (TEST_REDIS_URL)")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


# ---------------------------------------------------------------- browsers and the apps they open

@pytest.fixture
def chromium(request):
    need_chromium(request)
    return CHROMIUM


@pytest.fixture(scope="session")
def checkout_build_untouched():
    """Every fixture that starts an app asks for this. The apps build in copies of the
    source: a ``manage.py start`` serving this checkout keeps its own .web and .states (a
    rebuild there would point its pages' websocket at a test app's port); this checks it
    when the session ends."""
    from browser_support import BUILD_FOLDERS, checkout_build_state, checkout_served

    # An app serving this checkout writes its own .states as people use it.
    folders = tuple(f for f in BUILD_FOLDERS if f != ".states" or not checkout_served())
    before = checkout_build_state(folders)
    yield
    after = checkout_build_state(folders)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the tests wrote into the checkout's build folders: {changed[:10]}"


@pytest.fixture(scope="session")
def app_data_dir():
    """The data folder of the shared demo app (its outbox holds the e-mails it sends)."""
    data_dir = Path(tempfile.mkdtemp(prefix="smarterchat-browser-"))
    yield data_dir
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url(request, checkout_build_untouched, app_data_dir):
    """The demo app on the embedded default, as ``manage.py start`` serves it: built once
    for every browser test module that uses it (test_browser*.py)."""
    need_chromium(request)  # before the build: a missing browser should not cost one
    from browser_support import ARTIFACTS, free_port, start_app, stop_app

    ARTIFACTS.mkdir(exist_ok=True)
    proc, base = start_app(app_data_dir, free_port(), ARTIFACTS / "browser-app.log")
    yield base
    stop_app(proc)


@pytest.fixture(scope="module")
def playwright_driver():
    # Module, not session: Playwright's sync API keeps an event loop running on this thread
    # while it is started, and every asyncio.run in later test modules would fail.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def browser(chromium, playwright_driver, app_url):
    from browser_support import CHROMIUM_ARGS

    instance = playwright_driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


# ---------------------------------------------------------------- e-mail

@pytest.fixture
def smtp(monkeypatch):
    """A local SMTP server the app sends to (with a login), and e-mail tasks run inline."""
    import tasks
    from smarterchat.backend import db
    from tests.fakes.smtp import SmtpServer

    server = SmtpServer(user="mailer", password="mail-secret-1").start()
    for key, value in {"HOST": "127.0.0.1", "PORT": str(server.port), "SECURITY": "none",
                       "USER": "mailer", "PASSWORD": "mail-secret-1",
                       "FROM": "SmarterChat <no-reply@smarterchat.test>"}.items():
        monkeypatch.setenv(f"SMARTERCHAT_SMTP_{key}", value)
    db.get_settings.cache_clear()
    tasks.wiring.connect_listeners()
    tasks.huey.immediate = True
    yield server
    tasks.huey.immediate = False
    server.stop()
    monkeypatch.undo()
    db.get_settings.cache_clear()
