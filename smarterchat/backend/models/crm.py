"""Leads and the AI usage ledger."""

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
)


class Temperature(StrEnum):
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"


class Stage(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    WON = "won"
    LOST = "lost"


class Lead(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "contact_id"),
        # The kanban reads one organisation's leads per stage in board order.
        sa.Index("ix_lead_org_stage_position", "organization_id", "stage", "position"),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    contact_id: uuid.UUID = Field(foreign_key="contact.id", ondelete="CASCADE")
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL",
                                       index=True)
    temperature: str = enum_field(Temperature.COLD)
    temperature_reason: str = ""
    stage: str = enum_field(Stage.NEW)
    position: float = 0.0
    value_cents: int | None = None
    # name, email, phone, company, interest, budget, urgency as extracted from conversations
    fields: dict[str, Any] = json_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class AIUsage(SQLModel, table=True):
    __tablename__ = "ai_usage"
    __table_args__ = (sa.Index("ix_ai_usage_org_created", "organization_id", "created_at"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    agent_id: uuid.UUID | None = Field(default=None, foreign_key="agent.id", ondelete="SET NULL")
    conversation_id: uuid.UUID | None = Field(default=None, foreign_key="conversation.id",
                                              ondelete="SET NULL")
    provider: str = Field(max_length=40)
    model: str = Field(max_length=100)
    purpose: str = Field(max_length=40)  # reply, classify, lead, summary, suggest, embed
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_micro_usd: int = 0
    created_at: datetime = created_field()
