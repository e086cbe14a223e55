"""Single-use links sent by e-mail: a sign-up to confirm, a password to reset, an invitation.

Only a hash of the link's token is kept. A sign-up waits here (name, organisation, password
hash) until its address is proven, so no account exists, and none can be linked to an
organisation, before that.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from smarterchat.backend.models.base import (
    UTCDateTime,
    created_field,
    enum_field,
    id_field,
    json_field,
    ts_field,
)


class AccountLinkKind(StrEnum):
    SIGNUP = "signup"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind of link, not a secret)
    INVITATION = "invitation"


class AccountLink(SQLModel, table=True):
    __tablename__ = "account_link"
    __table_args__ = (sa.Index("ix_account_link_org_kind", "organization_id", "kind"),)
    id: uuid.UUID = id_field()
    kind: str = enum_field(AccountLinkKind.SIGNUP)
    token_hash: str = Field(max_length=64, unique=True)
    email: str = Field(max_length=254, index=True)
    name: str = Field(default="", max_length=120)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id", ondelete="CASCADE")
    role: str | None = Field(default=None, max_length=24)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id",
                                            ondelete="SET NULL")
    # A sign-up's organisation name and password hash, until the address is proven.
    details: dict[str, Any] = json_field()
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = ts_field()
