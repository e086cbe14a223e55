"""Changing leads by hand: move on the board (won asks the value, lost a reason), value,
fields, owner, notes. Each commits, writes the timeline and the audit log, then emits."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from smarterchat.backend import events
from smarterchat.backend.models import Lead, Membership, StageKind
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import positions
from smarterchat.backend.services.crm.access import lead_of, stage_of
from smarterchat.backend.services.crm.changes import (
    audited,
    emit_all,
    lead_event,
    timeline,
    touch,
)
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id

FIELDS = ("name", "email", "phone", "company", "interest", "budget", "urgency")
FIELD_MAX = 300
REASON_MAX = 500
NOTE_MAX = 5000
VALUE_MAX_CENTS = 10**13  # R$ 100 billion: anything above is a typing slip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Placed:
    """Where a lead stands after a change."""

    lead_id: str
    stage_id: str
    position: float


def clean_value(value_cents: int | None) -> int | None:
    if value_cents is None:
        return None
    if isinstance(value_cents, bool) or not isinstance(value_cents, int) \
            or not 0 <= value_cents <= VALUE_MAX_CENTS:
        raise InvalidInput("invalid_lead_value", field="value")
    return value_cents


def clean_fields(fields: dict[str, Any]) -> dict[str, str]:
    """Edited lead fields: only the known names, trimmed, bounded; an e-mail must look like one."""
    cleaned: dict[str, str] = {}
    for name, raw in fields.items():
        if name not in FIELDS:
            raise InvalidInput("invalid_lead_field", field=name)
        value = " ".join(str(raw or "").split())
        if len(value) > FIELD_MAX:
            raise InvalidInput("lead_field_too_long", field=name, max=FIELD_MAX)
        if name == "email" and value and not _EMAIL.match(value):
            raise InvalidInput("invalid_email", field="email")
        cleaned[name] = value
    return cleaned


def move(session: Session, actor: Actor, lead_id: RecordId, stage_id: RecordId, *,
         before_id: RecordId | None = None, to_top: bool = False,
         value_cents: int | None = None, lost_reason: str = "") -> Placed:
    """Put the lead in ``stage_id``: just above ``before_id`` (a lead of that stage), at the
    top, or at the end. Reaching a won stage needs a value (given now or already known);
    a lost stage needs a reason."""
    actor.require(Permission.CRM_WORK)
    lead = lead_of(session, actor, lead_id, lock=True)
    org_id = lead.organization_id
    stage = stage_of(session, org_id, stage_id)
    old_stage_id, old_kind = lead.stage_id, _kind(session, lead)
    value = clean_value(value_cents)
    reason = " ".join(str(lost_reason or "").split())
    if stage.kind == StageKind.WON and value is None and lead.value_cents is None:
        raise InvalidInput("won_needs_value", field="value")
    if stage.kind == StageKind.LOST and stage.id != old_stage_id and not reason:
        raise InvalidInput("lost_needs_reason", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput("lost_reason_too_long", field="reason", max=REASON_MAX)
    lead.position = _position(session, lead, stage.id, before_id, to_top)
    pending: list[events.LeadEvent] = []
    changed = ["position"]
    if value is not None and value != lead.value_cents:
        timeline(session, lead, "value", actor, before=lead.value_cents, after=value)
        lead.value_cents = value
        changed.append("value_cents")
    if stage.id == old_stage_id:
        touch(session, lead)
        session.commit()
        emit_all([lead_event(session, events.LeadUpdated, lead, actor.user_id,
                             changed=tuple(changed))])
        return Placed(str(lead.id), str(stage.id), lead.position)
    from_name = _stage_name(session, org_id, old_stage_id)
    lead.stage_id, lead.pipeline_id = stage.id, stage.pipeline_id
    lead.stage_changed_at = utcnow()
    lead.closed_at = utcnow() if stage.kind != StageKind.OPEN else None
    lead.lost_reason = reason if stage.kind == StageKind.LOST else None
    timeline(session, lead, "stage", actor, text=reason, before=str(old_stage_id),
             before_name=from_name, after=str(stage.id), after_name=stage.name,
             stage_kind=stage.kind, value_cents=lead.value_cents)
    audited(session, actor, "stage_changed", lead, before=old_stage_id, after=stage.id,
            reason=reason, value_cents=lead.value_cents)
    touch(session, lead)
    session.commit()
    pending.append(lead_event(session, events.LeadStageChanged, lead, actor.user_id,
                              from_stage_id=old_stage_id, from_stage_name=from_name,
                              position=lead.position))
    if stage.kind == StageKind.WON and old_kind != StageKind.WON:
        pending.append(lead_event(session, events.LeadWon, lead, actor.user_id))
    if stage.kind == StageKind.LOST and old_kind != StageKind.LOST:
        pending.append(lead_event(session, events.LeadLost, lead, actor.user_id, reason=reason))
    emit_all(pending)
    return Placed(str(lead.id), str(stage.id), lead.position)


def _kind(session: Session, lead: Lead) -> str:
    return stage_of(session, lead.organization_id, lead.stage_id).kind


def _stage_name(session: Session, org_id: uuid.UUID, stage_id: uuid.UUID) -> str:
    return stage_of(session, org_id, stage_id).name


def _position(session: Session, lead: Lead, stage_id: uuid.UUID, before_id: RecordId | None,
              to_top: bool) -> float:
    org_id = lead.organization_id
    if before_id:
        anchor = session.exec(select(Lead).where(
            Lead.id == parse_id(before_id), Lead.organization_id == org_id,
            Lead.stage_id == stage_id)).first()
        if anchor is None:
            raise NotFound()
        if anchor.id == lead.id:
            return lead.position
        return positions.before(session, org_id, stage_id, anchor, lead.id)
    if to_top:
        return positions.at_top(session, org_id, stage_id)
    if lead.stage_id == stage_id and lead.position >= positions.at_end(
            session, org_id, stage_id) - 1.0:
        return lead.position  # already the last one
    return positions.at_end(session, org_id, stage_id)


def update(session: Session, actor: Actor, lead_id: RecordId, *,
           value_cents: int | None = None, clear_value: bool = False,
           fields: dict[str, Any] | None = None) -> None:
    """Change the value and the extracted fields; an edited field is marked as typed by a
    person (its source message is dropped)."""
    actor.require(Permission.CRM_WORK)
    lead = lead_of(session, actor, lead_id, lock=True)
    changed: list[str] = []
    value = None if clear_value else clean_value(value_cents)
    if (clear_value or value is not None) and value != lead.value_cents:
        timeline(session, lead, "value", actor, before=lead.value_cents, after=value)
        lead.value_cents = value
        changed.append("value_cents")
    merged, sources = dict(lead.fields or {}), dict(lead.field_sources or {})
    for name, new in clean_fields(fields or {}).items():
        if str(merged.get(name) or "") == new:
            continue
        timeline(session, lead, "field", actor, field=name, before=merged.get(name), after=new)
        merged[name] = new
        sources[name] = None
        changed.append(f"fields.{name}")
    if not changed:
        return
    lead.fields, lead.field_sources = merged, sources
    audited(session, actor, "updated", lead, changed=changed)
    touch(session, lead)
    session.commit()
    emit_all([lead_event(session, events.LeadUpdated, lead, actor.user_id,
                         changed=tuple(changed))])


def set_owner(session: Session, actor: Actor, lead_id: RecordId,
              owner_id: RecordId | None) -> None:
    """Give the lead to someone of the organisation (or nobody). Consultants may only take
    a lead for themselves or let go of their own."""
    actor.require(Permission.CRM_WORK)
    lead = lead_of(session, actor, lead_id, lock=True)
    owner = parse_id(owner_id) if owner_id else None
    if not actor.can(Permission.CRM_MANAGE) and owner not in (None, actor.user_id):
        raise InvalidInput("owner_not_allowed", field="owner")
    if owner is not None and session.exec(select(Membership.id).where(
            Membership.organization_id == lead.organization_id, Membership.user_id == owner,
            Membership.is_active)).first() is None:
        raise InvalidInput("owner_not_member", field="owner")
    if owner == lead.owner_id:
        return
    before = lead.owner_id
    lead.owner_id = owner
    timeline(session, lead, "owner", actor, before=str(before or ""), after=str(owner or ""))
    audited(session, actor, "owner_changed", lead, before=before, after=owner)
    touch(session, lead)
    session.commit()
    emit_all([lead_event(session, events.LeadOwnerChanged, lead, actor.user_id,
                         from_owner_id=before)])


def add_note(session: Session, actor: Actor, lead_id: RecordId, text: str) -> None:
    actor.require(Permission.CRM_WORK)
    lead = lead_of(session, actor, lead_id)
    text = str(text or "").strip()
    if not text or len(text) > NOTE_MAX:
        raise InvalidInput("invalid_note", field="note", max=NOTE_MAX)
    timeline(session, lead, "note", actor, text=text)
    audited(session, actor, "note_added", lead)
    touch(session, lead)
    session.commit()
