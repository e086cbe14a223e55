"""Organisations, people, their roles, sessions and credentials."""

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
    org_field,
    secret_field,
    ts_field,
)


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CONSULTANT = "consultant"


class Availability(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class DistributionMode(StrEnum):
    MANUAL = "manual"
    ROUND_ROBIN = "round_robin"


class Organization(SQLModel, table=True):
    id: uuid.UUID = id_field()
    name: str = Field(max_length=120)
    slug: str = Field(max_length=80, unique=True)
    is_active: bool = True
    locale: str = Field(default="pt-BR", max_length=8)
    timezone: str = Field(default="America/Sao_Paulo", max_length=64)
    distribution_mode: str = enum_field(DistributionMode.ROUND_ROBIN)
    monthly_ai_budget_cents: int | None = None
    # Per-organisation AI provider override (issue: AI agents); the key is encrypted.
    openai_api_key: str | None = secret_field()
    openai_base_url: str | None = Field(default=None, max_length=500)
    openai_model: str | None = Field(default=None, max_length=100)
    # Weekly spans, breaks and holidays, read by ``services.business_hours``.
    business_hours: dict[str, Any] = json_field()
    logo_url: str | None = Field(default=None, max_length=500)
    # What the customer is told and asked (closing message, survey, reopen window...), read
    # by ``services.org_settings.service_settings``.
    service_settings: dict[str, Any] = json_field()
    # A customer handed to people should have a person's answer within this many minutes
    # (the first-response alert and the reply counter measure against it).
    first_response_target_minutes: int = Field(default=15, ge=1, le=10080)
    created_at: datetime = created_field()


class User(SQLModel, table=True):
    id: uuid.UUID = id_field()
    email: str = Field(max_length=254, unique=True)  # stored lower-cased
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=100)
    is_superadmin: bool = False
    is_active: bool = True
    locale: str | None = Field(default=None, max_length=8)
    totp_secret: str | None = secret_field()
    totp_enabled: bool = False
    # Last accepted TOTP time step: a code is accepted once, never replayed.
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    # Raised by a password change or reset and a 2FA reset or disable: access tokens carry
    # the version they were issued under and older ones are refused.
    token_version: int = 0
    created_at: datetime = created_field()
    last_login_at: datetime | None = ts_field()


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_code"
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = ts_field()
    created_at: datetime = created_field()


class Team(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    name: str = Field(max_length=80)
    created_at: datetime = created_field()


class Membership(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "user_id"),
        # Distribution looks for active, online consultants of an organisation.
        sa.Index("ix_membership_org_availability", "organization_id", "is_active", "availability"),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    role: str = enum_field(Role.CONSULTANT)
    is_active: bool = True
    availability: str = enum_field(Availability.OFFLINE)
    capacity: int = 5
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    last_seen_at: datetime | None = ts_field()
    last_assigned_at: datetime | None = ts_field()
    # Raised when an admin ends this member's sessions (the same check as the user's).
    token_version: int = 0
    created_at: datetime = created_field()


class RefreshToken(SQLModel, table=True):
    """One refresh token; tokens rotated from one login share a family."""

    __tablename__ = "refresh_token"
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id", ondelete="CASCADE"
    )
    family_id: uuid.UUID = Field(index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = ts_field()
    revoked_at: datetime | None = ts_field()
    # The token this one was rotated into (encrypted), handed out again to a second tab
    # that presents this one within the grace interval.
    successor: str | None = secret_field()
    user_agent: str | None = Field(default=None, max_length=300)
    ip: str | None = Field(default=None, max_length=64)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    name: str = Field(max_length=80)
    # The first characters identify the key in lists and look-ups; only a hash is kept.
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64)
    role: str = enum_field(Role.MANAGER)
    # read, write, admin (``security.rbac.SCOPE_PERMISSIONS`` says what each allows).
    scopes: list[str] = json_field(list)
    # The key's own identity: messages it sends and moves it makes are written as this
    # user, which belongs to no organisation and cannot log in (keys are nobody's).
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_field()
    expires_at: datetime | None = ts_field()
    last_used_at: datetime | None = ts_field()
    revoked_at: datetime | None = ts_field()


class IdempotencyKey(SQLModel, table=True):
    """A POST's ``Idempotency-Key``: the answer is kept 24 h and replayed for the same body."""

    __tablename__ = "idempotency_key"
    __table_args__ = (sa.UniqueConstraint("principal", "key"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    principal: str = Field(max_length=64)  # "key:<id>" or "user:<id>": whose key it is
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status_code: int | None = None  # None while the first request runs
    response_body: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_field(index=True)


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_org_created", "organization_id", "created_at"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id", ondelete="CASCADE"
    )
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    action: str = Field(max_length=64)
    target_type: str | None = Field(default=None, max_length=40)
    target_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = json_field()
    ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_field()
