"""What an agent knows: FAQ entries and documents, split into retrievable chunks."""

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


class KnowledgeKind(StrEnum):
    FAQ = "faq"
    DOCUMENT = "document"


class KnowledgeStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class KnowledgeItem(SQLModel, table=True):
    __tablename__ = "knowledge_item"
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    agent_id: uuid.UUID = Field(foreign_key="agent.id", index=True, ondelete="CASCADE")
    kind: str = enum_field(KnowledgeKind.FAQ)
    title: str = Field(max_length=300)  # the question of a FAQ entry, the file name of a document
    content: str = Field(default="", sa_type=sa.Text)  # the answer, or the document's text
    status: str = enum_field(KnowledgeStatus.PROCESSING)
    progress: int = 0  # percent, while a document is being split and embedded
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_field()


class KnowledgeChunk(SQLModel, table=True):
    __tablename__ = "knowledge_chunk"
    __table_args__ = (sa.Index("ix_knowledge_chunk_agent", "agent_id", "item_id"),)
    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = org_field()
    agent_id: uuid.UUID = Field(foreign_key="agent.id", ondelete="CASCADE")
    item_id: uuid.UUID = Field(foreign_key="knowledge_item.id", ondelete="CASCADE")
    position: int = 0
    text: str = Field(sa_type=sa.Text)
    embedding: list[float] | None = Field(default=None, sa_type=sa.JSON)
    extra: dict[str, Any] = json_field()
