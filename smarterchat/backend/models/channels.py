"""AI agents, channels and the raw events channels deliver."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from smarterchat.backend.models.base import (
    created_field,
    enum_field,
    id_field,
    json_field,
    org_field,
    secret_field,
    ts_field,
)


class ChannelKind(StrEnum):
    WHATSAPP = "whatsapp"
    INSTAGRAM = "instagram"
    WEBCHAT = "webchat"


class Agent(SQLModel, table=True):
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    name: str = Field(max_length=80)
    is_active: bool = True
    persona: str = ""
    tone: str = Field(default="", max_length=200)
    system_message: str = ""
    business_facts: str = ""
    rules: list[str] = json_field(list)  # ordered rules and scripts
    greeting: str = ""
    fallback_message: str = ""
    handoff_rules: dict[str, Any] = json_field()
    model: str | None = Field(default=None, max_length=100)
    temperature: float = 0.3
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Channel(SQLModel, table=True):
    __table_args__ = (
        # Webhooks for Meta resolve a channel by its phone number id / account id.
        sa.Index("ix_channel_kind_external", "kind", "external_id"),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    kind: str = enum_field(ChannelKind.WEBCHAT)
    name: str = Field(max_length=80)
    is_active: bool = True
    agent_id: uuid.UUID | None = Field(default=None, foreign_key="agent.id", ondelete="SET NULL")
    # WhatsApp phone_number_id, Instagram account id; None for web chat.
    external_id: str | None = Field(default=None, max_length=64)
    business_account_id: str | None = Field(default=None, max_length=64)  # WABA id
    access_token: str | None = secret_field()
    app_secret: str | None = secret_field()
    verify_token: str | None = secret_field()
    config: dict[str, Any] = json_field()  # non-secret settings (widget colours, greeting, ...)
    created_at: datetime = created_field()


class InboundEventStatus(StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"  # poison: set aside with its error, not retried


class InboundEvent(SQLModel, table=True):
    """A webhook body exactly as received, stored before it is answered."""

    __tablename__ = "inbound_event"
    __table_args__ = (
        sa.Index("ix_inbound_event_status_received", "status", "received_at"),
        # A customer's pending events, oldest first: what one drain reads under its lock.
        sa.Index("ix_inbound_event_pending_key", "channel_id", "conversation_key",
                 "received_at", postgresql_where=sa.text("status = 'pending'"),
                 sqlite_where=sa.text("status = 'pending'")),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    channel_id: uuid.UUID = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    # The customer the body is about (their id on the channel; "" for account notices):
    # events with the same key are processed in order, different keys in parallel.
    conversation_key: str = Field(default="", max_length=200)
    body: str = Field(sa_type=sa.Text)
    status: str = enum_field(InboundEventStatus.PENDING)
    attempts: int = 0
    error: str | None = Field(default=None, sa_type=sa.Text)
    received_at: datetime = created_field()
    processed_at: datetime | None = ts_field()
