"""The audit trail: who did what to which record."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from smarterchat.backend.models import AuditLog
from smarterchat.backend.services.actors import Actor


def record(session: Session, actor: Actor | None, action: str, *, target_type: str | None = None,
           target_id: object = None, details: dict[str, Any] | None = None, ip: str | None = None,
           organization_id: uuid.UUID | None = None) -> None:
    session.add(AuditLog(
        organization_id=organization_id or (actor.organization_id if actor else None),
        actor_user_id=actor.user_id if actor else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        details=details or {},
        ip=ip,
    ))
