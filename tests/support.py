"""Helpers that test modules import: where the real services are, skipping (or failing)
when one is missing, and creating, migrating and emptying databases.

Import this (``from tests.support import ...``), never ``conftest``: pytest loads
conftest.py itself, and importing it again under another name runs its set-up twice (a
second data folder, the environment re-pointed mid-run). This module has no side effects,
so importing it under any name is harmless.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")


def reachable(url: str, default_port: int) -> bool:
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


def need_postgresql(request) -> None:
    need(request, reachable(POSTGRES_URL, 5432), f"PostgreSQL at {POSTGRES_URL} (TEST_POSTGRES_URL)")


def need_chromium(request) -> None:
    need(request, os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM} (TEST_CHROMIUM)")


# ---------------------------------------------------------------- databases

def use_database(url: str | None) -> None:
    """Point this process's engine at ``url`` (None: the embedded SQLite default)."""
    from smarterchat.backend import db

    if url:
        os.environ["SMARTERCHAT_DATABASE_URL"] = url
    else:
        os.environ.pop("SMARTERCHAT_DATABASE_URL", None)
    db.reset()


def migrate(url: str) -> None:
    """``alembic upgrade head`` on ``url``, which this process then uses."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    use_database(url)
    command.upgrade(cfg, "head")


def create_pg_database() -> str:
    """A new, empty PostgreSQL database of its own; its URL."""
    import psycopg

    name = f"sc_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlparse(POSTGRES_URL)._replace(path=f"/{name}").geturl()


def drop_pg_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_all() -> None:
    """Empty every table of the database this process uses."""
    from sqlmodel import SQLModel

    import smarterchat.backend.models  # noqa: F401 - registers every table in the metadata
    from smarterchat.backend.db import get_engine

    with get_engine().begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
