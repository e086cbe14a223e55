"""Tenant-scoped reads of every kind of record, for the public API and the UI.

Each kind names its table, the permission needed and the fields a caller may see
(secrets and hashes are never among them). Another organisation's record is
reported as not found: its existence is not the caller's business. Lists can be
filtered by equality on any visible text, id, number or yes/no field
(``status=failed``, ``channel_id=...``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlmodel import Session, SQLModel, func, select

from smarterchat.backend.models import (
    Agent,
    AIUsage,
    ApiKey,
    AuditLog,
    Channel,
    Contact,
    Conversation,
    InboundEvent,
    KnowledgeItem,
    Lead,
    Membership,
    Message,
    Team,
    Webhook,
    WebhookDelivery,
)
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class Kind:
    model: type[SQLModel]
    permission: Permission
    fields: tuple[str, ...]
    order_by: str = "created_at"


_BASE = ("id", "organization_id", "created_at")
KINDS: dict[str, Kind] = {
    "contacts": Kind(Contact, Permission.CONVERSATIONS_VIEW,
                     _BASE + ("channel_id", "external_id", "name", "phone", "email")),
    "conversations": Kind(Conversation, Permission.CONVERSATIONS_VIEW,
                          _BASE + ("channel_id", "contact_id", "agent_id", "status", "assignee_id",
                                   "team_id", "labels", "unread_count", "last_message_at",
                                   "resolved_at")),
    "messages": Kind(Message, Permission.CONVERSATIONS_VIEW,
                     _BASE + ("conversation_id", "direction", "author_kind", "content_type", "text",
                              "delivery_status", "provider_message_id")),
    "channels": Kind(Channel, Permission.CHANNELS_VIEW,
                     _BASE + ("kind", "name", "is_active", "agent_id", "external_id")),
    "agents": Kind(Agent, Permission.AGENTS_VIEW, _BASE + ("name", "is_active", "greeting")),
    "leads": Kind(Lead, Permission.CRM_VIEW,
                  _BASE + ("contact_id", "owner_id", "temperature", "pipeline_id", "stage_id",
                           "value_cents", "fields")),
    "teams": Kind(Team, Permission.USERS_VIEW, _BASE + ("name",)),
    "members": Kind(Membership, Permission.USERS_VIEW,
                    _BASE + ("user_id", "role", "is_active", "availability", "team_id")),
    "webhooks": Kind(Webhook, Permission.WEBHOOKS_MANAGE, _BASE + ("url", "events", "is_active")),
    "webhook_deliveries": Kind(WebhookDelivery, Permission.WEBHOOKS_MANAGE,
                               _BASE + ("webhook_id", "event", "state", "attempts")),
    "api_keys": Kind(ApiKey, Permission.API_KEYS_MANAGE,
                     _BASE + ("name", "prefix", "role", "last_used_at", "revoked_at")),
    "audit_log": Kind(AuditLog, Permission.AUDIT_VIEW,
                      _BASE + ("actor_user_id", "action", "target_type", "target_id")),
    "ai_usage": Kind(AIUsage, Permission.ANALYTICS_VIEW,
                     _BASE + ("agent_id", "provider", "model", "purpose", "prompt_tokens",
                              "completion_tokens", "cost_micro_usd")),
    "knowledge_items": Kind(KnowledgeItem, Permission.AGENTS_VIEW,
                            _BASE + ("agent_id", "kind", "title", "status", "progress")),
    "inbound_events": Kind(InboundEvent, Permission.CHANNELS_MANAGE,
                           ("id", "organization_id", "channel_id", "status", "attempts", "error",
                            "received_at"), order_by="received_at"),
}


def _kind(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound("unknown_kind")
    return kind


def _columns(model: type[SQLModel]) -> ReadOnlyColumnCollection[str, sa.Column[Any]]:
    # Every kind's model has id and organization_id; SQLModel's base class does not say so.
    mapper: Mapper[Any] = sa.inspect(model)
    return mapper.columns


def _owned(model: type[SQLModel], org_id: uuid.UUID) -> sa.ColumnElement[bool]:
    return _columns(model)["organization_id"] == org_id


def public(kind: Kind, row: SQLModel) -> dict[str, Any]:
    return {field: getattr(row, field) for field in kind.fields}


def get(session: Session, actor: Actor, kind_name: str, record_id: str | uuid.UUID) -> dict[str, Any]:
    kind = _kind(kind_name)
    actor.require(kind.permission)
    try:
        rid = record_id if isinstance(record_id, uuid.UUID) else uuid.UUID(str(record_id))
    except ValueError as exc:
        raise NotFound() from exc
    model = kind.model
    row = session.exec(
        select(model).where(_columns(model)["id"] == rid, _owned(model, actor.require_org()))
    ).first()
    if row is None:
        raise NotFound()
    return public(kind, row)


MAX_BIGINT = 2**63 - 1


def fits(column_type: sa.types.TypeEngine[Any], value: int) -> bool:
    """Whether the database can compare the column with ``value`` (past its range it
    answers an error, not "no match")."""
    bound = MAX_BIGINT if isinstance(column_type, sa.BigInteger) else 2**31 - 1
    return -bound - 1 <= value <= bound


def _condition(kind: Kind, field: str, value: str) -> sa.ColumnElement[bool]:
    """``field == value`` with the value read as the column's type; InvalidInput otherwise."""
    column = _columns(kind.model).get(field) if field in kind.fields else None
    try:
        python_type = column.type.python_type if column is not None else None
    except NotImplementedError:
        python_type = None
    if column is None or python_type not in (str, uuid.UUID, int, bool) or field == "organization_id":
        raise InvalidInput("invalid_filter", field=field)
    text = str(value).strip()
    try:
        if python_type is bool:
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            typed: Any = text.lower() == "true"
        else:
            typed = python_type(text)
    except ValueError as exc:
        raise InvalidInput("invalid_filter_value", field=field) from exc
    if python_type is int and not fits(column.type, typed):
        raise InvalidInput("invalid_filter_value", field=field)
    condition: sa.ColumnElement[bool] = column == typed
    return condition


def list_page(session: Session, actor: Actor, kind_name: str, *, offset: int = 0,
              limit: int = 50, filters: dict[str, str] | None = None) -> tuple[list[dict[str, Any]], int]:
    kind = _kind(kind_name)
    actor.require(kind.permission)
    model = kind.model
    where = [_owned(model, actor.require_org()),
             *(_condition(kind, f, v) for f, v in (filters or {}).items())]
    limit = max(1, min(limit, 200))
    rows = session.exec(
        select(model).where(*where)
        .order_by(getattr(model, kind.order_by).desc(), _columns(model)["id"])
        .offset(max(0, offset)).limit(limit)
    ).all()
    total = session.exec(select(func.count()).select_from(model).where(*where)).one()
    return [public(kind, r) for r in rows], total
