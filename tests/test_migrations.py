"""Alembic builds the schema from empty on both databases, and it matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import smarterchat.backend.models  # noqa: F401
from smarterchat.backend.models.base import include_in_comparison
from tests.support import create_pg_database, drop_pg_database, migrate


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    request.getfixturevalue("postgresql_url")  # skips or fails when PostgreSQL is missing
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def test_upgrade_head_from_empty_matches_the_models(empty_database):
    migrate(empty_database)
    url = empty_database.replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert set(SQLModel.metadata.tables) <= set(inspect(conn).get_table_names())
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_object": include_in_comparison})
            diff = compare_metadata(context, SQLModel.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()
