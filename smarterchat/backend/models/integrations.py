"""Outgoing webhooks and their deliveries."""

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


class DeliveryState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # no attempt left, or the endpoint was disabled


class Webhook(SQLModel, table=True):
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    url: str = Field(max_length=500)
    description: str = Field(default="", max_length=200)
    secret: str | None = secret_field()  # ``whsec_...``: signs each delivery (HMAC-SHA256)
    # During a rotation the previous secret signs too, until ``previous_secret_until``.
    previous_secret: str | None = secret_field()
    previous_secret_until: datetime | None = ts_field()
    events: list[str] = json_field(list)
    is_active: bool = True
    disabled_reason: str | None = Field(default=None, max_length=40)
    failing_since: datetime | None = ts_field()  # first failure since the last success
    created_at: datetime = created_field()


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.Index("ix_webhook_delivery_state_next", "state", "next_attempt_at"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    webhook_id: uuid.UUID = Field(foreign_key="webhook.id", index=True, ondelete="CASCADE")
    event: str = Field(max_length=64)
    payload: dict[str, Any] = json_field()
    state: str = enum_field(DeliveryState.PENDING)
    attempts: int = 0
    next_attempt_at: datetime | None = ts_field()
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    last_latency_ms: int | None = None
    last_response: str | None = Field(default=None, max_length=500)  # the body's start
    created_at: datetime = created_field()
    delivered_at: datetime | None = ts_field()
