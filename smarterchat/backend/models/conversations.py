"""Contacts, conversations and messages: the hybrid-service core."""

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
    ts_field,
)


class ConversationStatus(StrEnum):
    BOT = "bot"  # the AI answers
    WAITING_HUMAN = "waiting_human"  # handed off, in the queue
    HUMAN = "human"  # a consultant has it
    RESOLVED = "resolved"


# The hybrid-service state machine: which status may follow which.
CONVERSATION_TRANSITIONS: dict[str, set[str]] = {
    ConversationStatus.BOT: {ConversationStatus.WAITING_HUMAN, ConversationStatus.HUMAN,
                             ConversationStatus.RESOLVED},
    ConversationStatus.WAITING_HUMAN: {ConversationStatus.HUMAN, ConversationStatus.BOT,
                                       ConversationStatus.RESOLVED},
    ConversationStatus.HUMAN: {ConversationStatus.BOT, ConversationStatus.WAITING_HUMAN,
                               ConversationStatus.RESOLVED},
    ConversationStatus.RESOLVED: {ConversationStatus.BOT, ConversationStatus.WAITING_HUMAN,
                                  ConversationStatus.HUMAN},
}


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class AuthorKind(StrEnum):
    CONTACT = "contact"
    AI = "ai"
    CONSULTANT = "consultant"
    SYSTEM = "system"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    RECEIVED = "received"  # inbound messages


# Statuses only move forward; a late "delivered" never undoes "read".
DELIVERY_RANK = {"pending": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4, "received": 0}


class Contact(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("channel_id", "external_id"),
                      sa.UniqueConstraint("channel_id", "business_user_id"))
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    channel_id: uuid.UUID = Field(foreign_key="channel.id", ondelete="CASCADE")
    # wa_id (or, without a phone, the business-scoped user id), Instagram-scoped id, visitor id
    external_id: str = Field(max_length=160)
    # WhatsApp's business-scoped user id (about 131 characters): the same customer found
    # again when a later message carries only it.
    business_user_id: str | None = Field(default=None, max_length=160)
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32, index=True)
    email: str | None = Field(default=None, max_length=254)
    attributes: dict[str, Any] = json_field()
    summary: str = ""  # long-term memory written by the AI
    facts: dict[str, Any] = json_field()
    created_at: datetime = created_field()
    last_seen_at: datetime | None = ts_field()


class Conversation(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_conversation_org_status_activity", "organization_id", "status",
                 "last_message_at"),
        # The "all open" tab and the bare newest-first list.
        sa.Index("ix_conversation_org_activity", "organization_id", "last_message_at"),
        sa.Index("ix_conversation_org_assignee_status", "organization_id", "assignee_id",
                 "status"),
        sa.Index("ix_conversation_contact_channel", "contact_id", "channel_id", "status"),
        # Analytics: conversations started or resolved in a period.
        sa.Index("ix_conversation_org_created", "organization_id", "created_at"),
        sa.Index("ix_conversation_org_resolved", "organization_id", "resolved_at"),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    channel_id: uuid.UUID = Field(foreign_key="channel.id", ondelete="CASCADE")
    contact_id: uuid.UUID = Field(foreign_key="contact.id", ondelete="CASCADE")
    agent_id: uuid.UUID | None = Field(default=None, foreign_key="agent.id", ondelete="SET NULL")
    status: str = enum_field(ConversationStatus.BOT)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    handoff_reason: str | None = Field(default=None, max_length=200)
    labels: list[str] = json_field(list)
    unread_count: int = 0
    waiting_since: datetime | None = ts_field()
    # The newest customer message the AI has answered: later ones wait for its next turn.
    ai_cursor_at: datetime | None = ts_field()
    last_message_at: datetime = created_field()
    last_inbound_at: datetime | None = ts_field()  # WhatsApp's 24-hour window starts here
    created_at: datetime = created_field()
    resolved_at: datetime | None = ts_field()


class Message(SQLModel, table=True):
    __table_args__ = (
        # Meta re-delivers: one row per provider message id and channel, enforced by the database.
        sa.UniqueConstraint("channel_id", "provider_message_id"),
        sa.Index("ix_message_conversation_created", "conversation_id", "created_at"),
        # Analytics: an organisation's messages of a period (heatmap, AI answers, billing).
        sa.Index("ix_message_org_created", "organization_id", "created_at"),
    )
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id", ondelete="CASCADE")
    channel_id: uuid.UUID = Field(foreign_key="channel.id", ondelete="CASCADE")
    direction: str = enum_field(Direction.INBOUND)
    author_kind: str = enum_field(AuthorKind.CONTACT)
    author_user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id",
                                             ondelete="SET NULL")
    content_type: str = Field(default="text", max_length=24)
    text: str = Field(default="", sa_type=sa.Text)
    is_private: bool = False  # consultants' notes, never sent
    media_storage_key: str | None = Field(default=None, max_length=500)
    media_mime: str | None = Field(default=None, max_length=100)
    media_size: int | None = None
    provider_message_id: str | None = Field(default=None, max_length=255)
    delivery_status: str = enum_field(DeliveryStatus.PENDING)
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = Field(default=None, max_length=500)
    extra: dict[str, Any] = json_field()  # reactions, locations, AI sources, template parameters
    created_at: datetime = created_field()
    sent_at: datetime | None = ts_field()
    delivered_at: datetime | None = ts_field()
    read_at: datetime | None = ts_field()
