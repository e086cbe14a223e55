"""Column types and helpers shared by every table."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from smarterchat.backend.security.crypto import EncryptedString

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (indexable, compact), plain JSON text elsewhere.
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


# Expression indexes made by migrations on PostgreSQL only (pg_trgm search); the models do
# not declare them, so schema comparisons must not read them as missing from the models.
DATABASE_ONLY_INDEXES = frozenset({"ix_message_text_trgm", "ix_contact_name_trgm",
                                   "ix_contact_phone_trgm"})


def include_in_comparison(obj: object, name: str | None, type_: str, reflected: bool,
                          compare_to: object) -> bool:
    return not (type_ == "index" and name in DATABASE_ONLY_INDEXES)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on every database.

    PostgreSQL keeps the zone (timestamptz); SQLite does not, so values are stored
    as UTC and given their zone back when read.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


def id_field() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_field(*, index: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)


def ts_field(*, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)


def org_field() -> Any:
    return Field(foreign_key="organization.id", index=True, ondelete="CASCADE")


def enum_field(default: StrEnum, *, index: bool = False) -> Any:
    # Stored as plain strings: no native PostgreSQL enum types to migrate later.
    return Field(default=default, sa_type=sa.String(24), index=index, nullable=False)


def json_field(factory: Callable[[], object] = dict) -> Any:
    return Field(default_factory=factory, sa_type=JSONType, nullable=False)


def secret_field() -> Any:
    return Field(default=None, sa_type=EncryptedString, nullable=True)


__all__ = [
    "EncryptedString",
    "JSONType",
    "UTCDateTime",
    "created_field",
    "enum_field",
    "id_field",
    "json_field",
    "org_field",
    "secret_field",
    "ts_field",
    "utcnow",
]
