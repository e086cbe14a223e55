"""Leads and the AI usage ledger."""

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
    ts_field,
)


class Temperature(StrEnum):
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"


class StageKind(StrEnum):
    """What reaching a stage means: still open, won (asks the value), lost (asks a reason)."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class LeadSource(StrEnum):
    AI = "ai"
    MANUAL = "manual"
    IMPORT = "import"


class DistributionRule(StrEnum):
    OFF = "off"
    ROUND_ROBIN = "round_robin"  # online consultants, the one given a lead longest ago first
    LEAST_OPEN = "least_open"  # online consultants with the fewest open leads first
    TEAM = "team"  # round robin within one team


class Pipeline(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    name: str = Field(max_length=80)
    position: int = 0
    is_default: bool = False  # where the AI's and imported leads go
    created_at: datetime = created_field()


class PipelineStage(SQLModel, table=True):
    __tablename__ = "pipeline_stage"
    __table_args__ = (sa.Index("ix_pipeline_stage_pipeline_position", "pipeline_id", "position"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    pipeline_id: uuid.UUID = Field(foreign_key="pipeline.id", ondelete="CASCADE")
    name: str = Field(max_length=60)
    kind: str = enum_field(StageKind.OPEN)
    color: str = Field(default="gray", max_length=20)  # a Radix colour name
    position: int = 0
    stale_days: int | None = None  # a lead this many days in the stage is stale
    created_at: datetime = created_field()


class LostReason(SQLModel, table=True):
    __tablename__ = "lost_reason"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    name: str = Field(max_length=120)
    position: int = 0
    is_active: bool = True
    created_at: datetime = created_field()


class CrmSettings(SQLModel, table=True):
    """An organisation's CRM choices (one row per organisation, created on first change)."""

    __tablename__ = "crm_settings"
    organization_id: uuid.UUID = Field(foreign_key="organization.id", primary_key=True,
                                       ondelete="CASCADE")
    consultants_see_unassigned: bool = True
    distribution_rule: str = enum_field(DistributionRule.OFF)
    distribution_team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id",
                                                   ondelete="SET NULL")
    lead_cap: int | None = None  # open leads per consultant; None: no cap
    owner_follows_assignee: bool = False  # a lead's owner and its conversation's assignee agree


class Lead(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "contact_id"),
        # The kanban reads one organisation's leads per stage in board order.
        sa.Index("ix_lead_org_stage_position", "organization_id", "stage_id", "position"),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    contact_id: uuid.UUID = Field(foreign_key="contact.id", ondelete="CASCADE")
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL",
                                       index=True)
    pipeline_id: uuid.UUID = Field(foreign_key="pipeline.id", ondelete="RESTRICT")
    stage_id: uuid.UUID = Field(foreign_key="pipeline_stage.id", ondelete="RESTRICT")
    temperature: str = enum_field(Temperature.COLD)
    temperature_reason: str = ""
    position: float = 0.0  # fractional: a move writes one row
    value_cents: int | None = None
    source: str = enum_field(LeadSource.AI)
    lost_reason: str | None = Field(default=None, max_length=500)
    # name, email, phone, company, interest, budget, urgency as extracted from conversations
    fields: dict[str, Any] = json_field()
    # field name -> id of the message it was read from
    field_sources: dict[str, Any] = json_field()
    merged_into_id: uuid.UUID | None = Field(default=None, foreign_key="lead.id",
                                             ondelete="SET NULL")
    stage_changed_at: datetime = created_field()
    last_activity_at: datetime = created_field()
    closed_at: datetime | None = ts_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class LeadActivity(SQLModel, table=True):
    """One line of a lead's timeline: stage moves, temperature changes, owner, value, notes."""

    __tablename__ = "lead_activity"
    __table_args__ = (sa.Index("ix_lead_activity_lead_created", "lead_id", "created_at"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    lead_id: uuid.UUID = Field(foreign_key="lead.id", ondelete="CASCADE")
    kind: str = Field(max_length=24)  # created, stage, temperature, owner, value, field, note, merge
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id",
                                            ondelete="SET NULL")
    message_id: uuid.UUID | None = Field(default=None, foreign_key="message.id",
                                         ondelete="SET NULL")
    text: str = ""  # a note, a lost reason, the quoted message
    data: dict[str, Any] = json_field()
    created_at: datetime = created_field()


class LeadTask(SQLModel, table=True):
    """A follow-up: call back, send the proposal... due at a time, for a person."""

    __tablename__ = "lead_task"
    __table_args__ = (sa.Index("ix_lead_task_org_assignee_due", "organization_id", "assignee_id",
                               "done_at", "due_at"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    lead_id: uuid.UUID = Field(foreign_key="lead.id", ondelete="CASCADE", index=True)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id",
                                            ondelete="SET NULL")
    title: str = Field(max_length=200)
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    done_at: datetime | None = ts_field()
    notified_at: datetime | None = ts_field()  # the live "due now" notice went out
    created_at: datetime = created_field()


class LeadMerge(SQLModel, table=True):
    """A merge of two leads, with what the kept lead was before, so it can be undone."""

    __tablename__ = "lead_merge"
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    kept_id: uuid.UUID = Field(foreign_key="lead.id", ondelete="CASCADE")
    merged_id: uuid.UUID = Field(foreign_key="lead.id", ondelete="CASCADE")
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id",
                                            ondelete="SET NULL")
    before: dict[str, Any] = json_field()
    created_at: datetime = created_field()
    undone_at: datetime | None = ts_field()


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
