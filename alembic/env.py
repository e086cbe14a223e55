"""Migrations run against the database named by SmarterChat's settings."""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import smarterchat.backend.models  # noqa: F401  (registers every table)
from smarterchat.backend.db import get_engine
from smarterchat.backend.models.base import include_in_comparison

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection") or get_engine()
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_in_comparison,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
