"""Engine and session factory shared by pages, API routes and tasks."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import Session, SQLModel, create_engine

from smarterchat.backend.config import get_settings
from smarterchat.backend.private_files import ensure_private_dir, ensure_private_file

RowT = TypeVar("RowT", bound=SQLModel)


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the web process read while the in-process Huey consumer writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@functools.cache
def get_engine() -> Engine:
    settings = get_settings()
    url = settings.sqlalchemy_url
    if settings.is_sqlite:
        ensure_private_dir(settings.data_dir)
        if settings.database_url.startswith("sqlite:///") or not settings.database_url:
            ensure_private_file(Path(settings.sqlalchemy_url.removeprefix("sqlite:///")))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size, pool_pre_ping=True
    )


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """A session committed on success and rolled back on error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def reset() -> None:
    """Forget the cached settings and engine (tests switch databases)."""
    with contextlib.suppress(Exception):
        get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def linked_row(session: Session, model: type[RowT], key: object) -> RowT:
    """The row a foreign key points at: its absence is a broken database, not a user error."""
    row = session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key} is referenced but does not exist")
    return row
