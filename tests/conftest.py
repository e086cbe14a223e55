"""Shared fixtures: real SQLite and PostgreSQL databases, real Redis.

Tests that need PostgreSQL, Redis or Chromium run when those are reachable and are
skipped with the reason otherwise. CI passes ``--require-services`` so that such a
skip fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)  # Reflex looks for rxconfig.py in the working directory.

# Tests never touch a developer's data folder or .env.
_TEST_DATA = Path(tempfile.mkdtemp(prefix="smarterchat-tests-"))
os.environ["SMARTERCHAT_DATA_DIR"] = str(_TEST_DATA)
os.environ["SMARTERCHAT_ENV_FILE"] = ""
os.environ.setdefault("SMARTERCHAT_LOG_JSON", "true")
for _key in ("SMARTERCHAT_DATABASE_URL", "SMARTERCHAT_REDIS_URL", "SMARTERCHAT_ENV"):
    os.environ.pop(_key, None)

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")


def pytest_addoption(parser):
    parser.addoption(
        "--require-services",
        action="store_true",
        default=os.environ.get("SMARTERCHAT_REQUIRE_SERVICES") == "1",
        help="Fail, instead of skipping, tests whose PostgreSQL, Redis or Chromium is missing.",
    )


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port),
                                      timeout=1):
            return True
    except OSError:
        return False


def need(request, available: bool, what: str) -> None:
    """Skip (or, with --require-services, fail) when a real service is missing."""
    if available:
        return
    if request.config.getoption("--require-services"):
        pytest.fail(f"{what} is required (--require-services) but not available")
    pytest.skip(f"{what} not available")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_TEST_DATA, ignore_errors=True)


# ---------------------------------------------------------------- databases

def _migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    _use_database(url)
    command.upgrade(cfg, "head")


def _use_database(url: str | None) -> None:
    from smarterchat.backend import db

    if url:
        os.environ["SMARTERCHAT_DATABASE_URL"] = url
    else:
        os.environ.pop("SMARTERCHAT_DATABASE_URL", None)
    db.reset()


def _create_pg_database() -> str:
    import psycopg

    name = f"sc_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlparse(POSTGRES_URL)._replace(path=f"/{name}").geturl()


def _drop_pg_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url():
    path = _TEST_DATA / "sqlite" / "test.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    _migrate(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url(request):
    need(request, _reachable(POSTGRES_URL, 5432), f"PostgreSQL at {POSTGRES_URL} (TEST_POSTGRES_URL)")
    url = _create_pg_database()
    _migrate(url)
    yield url
    from smarterchat.backend import db

    db.get_engine().dispose()
    _drop_pg_database(url)


def _truncate_all() -> None:
    from sqlmodel import SQLModel

    import smarterchat.backend.models  # noqa: F401
    from smarterchat.backend.db import get_engine

    engine = get_engine()
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request):
    """A migrated, empty database: each test runs on the embedded default and on PostgreSQL."""
    url = request.getfixturevalue(f"{request.param}_url")
    _use_database(url)
    _truncate_all()
    yield request.param
    _truncate_all()


@pytest.fixture
def session(database):
    from sqlmodel import Session

    from smarterchat.backend.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as s:
        yield s


# ---------------------------------------------------------------- redis

@pytest.fixture
def redis_url(request):
    need(request, _reachable(REDIS_URL, 6379), f"Redis at {REDIS_URL} (TEST_REDIS_URL)")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture
def chromium(request):
    need(request, os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM} (TEST_CHROMIUM)")
    return CHROMIUM
