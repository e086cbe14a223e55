"""What every change of a lead writes besides the lead: a timeline line, an audit line,
and the typed event to emit after the commit."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlmodel import Session

from smarterchat.backend import events
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import Lead, LeadActivity, PipelineStage
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor

E = TypeVar("E", bound=events.LeadEvent)


def lead_event(session: Session, kind: type[E], lead: Lead, actor_user_id: uuid.UUID | None,
               **more: Any) -> E:
    """The event ``kind`` for ``lead`` as it stands now (its stage read from the session)."""
    stage = linked_row(session, PipelineStage, lead.stage_id)
    return kind(organization_id=lead.organization_id, lead_id=lead.id,
                contact_id=lead.contact_id, pipeline_id=lead.pipeline_id, stage_id=stage.id,
                stage_name=stage.name, stage_kind=stage.kind, temperature=lead.temperature,
                value_cents=lead.value_cents, owner_id=lead.owner_id,
                actor_user_id=actor_user_id, occurred_at=utcnow(), **more)


def timeline(session: Session, lead: Lead, kind: str, actor: Actor | None, *, text: str = "",
             message_id: uuid.UUID | None = None, **data: Any) -> None:
    session.add(LeadActivity(organization_id=lead.organization_id, lead_id=lead.id, kind=kind,
                             actor_user_id=actor.user_id if actor else None, text=text,
                             message_id=message_id, data=data))


def touch(session: Session, lead: Lead) -> None:
    lead.updated_at = lead.last_activity_at = utcnow()
    session.add(lead)


def audited(session: Session, actor: Actor, action: str, lead: Lead, **details: Any) -> None:
    audit.record(session, actor, f"lead.{action}", target_type="lead", target_id=lead.id,
                 details={k: str(v) if isinstance(v, uuid.UUID) else v
                          for k, v in details.items()})


def emit_all(pending: list[events.LeadEvent]) -> None:
    for event in pending:
        events.emit(event)
