"""Duplicates and merges: leads of one organisation whose contacts share a phone, an
e-mail or a WhatsApp business-scoped id are suggested for merging. A merge keeps both
histories (the merged lead stays, pointing at the kept one, and the kept lead's page
shows both timelines), fills the kept lead's blanks from the other, is audited, and can
be undone: the kept lead gets back exactly what it had."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from smarterchat.backend import events
from smarterchat.backend.models import Contact, Lead, LeadMerge
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm.access import lead_of, scope
from smarterchat.backend.services.crm.changes import (
    audited,
    emit_all,
    lead_event,
    timeline,
    touch,
)
from smarterchat.backend.services.errors import Conflict, InvalidInput, NotFound, RecordId, parse_id

SUGGESTIONS_MAX = 50


@dataclass(frozen=True)
class Suggestion:
    kept_id: str  # the older lead
    other_id: str
    kept_name: str
    other_name: str
    reason: str  # phone, email, external_id


def _name(lead: Lead, contact: Contact) -> str:
    return str((lead.fields or {}).get("name") or contact.name or contact.phone or "")


def suggestions(session: Session, actor: Actor) -> list[Suggestion]:
    """Pairs of the actor's visible leads that look like one person."""
    org_id, visible = scope(session, actor)
    rows = session.exec(select(Lead, Contact).join(Contact, col(Contact.id) == Lead.contact_id)
                        .where(visible).order_by(col(Lead.created_at), col(Lead.id))
                        .limit(20_000)).all()
    seen: dict[tuple[str, str], tuple[Lead, Contact]] = {}
    found: list[Suggestion] = []
    pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for lead, contact in rows:
        digits = re.sub(r"\D", "", contact.phone or "")
        keys = [("phone", digits[-11:]) if len(digits) >= 10 else None,
                ("email", (contact.email or "").lower()) if contact.email else None,
                ("external_id", contact.external_id)]
        for key in filter(None, keys):
            first = seen.setdefault(key, (lead, contact))
            if first[0].id != lead.id and (first[0].id, lead.id) not in pairs:
                pairs.add((first[0].id, lead.id))
                found.append(Suggestion(kept_id=str(first[0].id), other_id=str(lead.id),
                                        kept_name=_name(*first), other_name=_name(lead, contact),
                                        reason=key[0]))
        if len(found) >= SUGGESTIONS_MAX:
            break
    return found


def merge(session: Session, actor: Actor, kept_id: RecordId, other_id: RecordId) -> str:
    """Merge ``other`` into ``kept``; returns the merge's id (for the undo)."""
    actor.require(Permission.CRM_MANAGE)
    # Unknown (or foreign) leads first: the same unknown id twice is not found, not invalid.
    kept = lead_of(session, actor, kept_id, lock=True)
    other = lead_of(session, actor, other_id, lock=True)
    if kept.id == other.id:
        raise InvalidInput("merge_same_lead")
    before = {"fields": dict(kept.fields or {}), "field_sources": dict(kept.field_sources or {}),
              "value_cents": kept.value_cents, "owner_id": str(kept.owner_id or ""),
              "temperature": kept.temperature, "temperature_reason": kept.temperature_reason}
    kept.fields = {**(other.fields or {}), **{k: v for k, v in (kept.fields or {}).items() if v}}
    kept.field_sources = {**(other.field_sources or {}), **(kept.field_sources or {})}
    kept.value_cents = kept.value_cents if kept.value_cents is not None else other.value_cents
    kept.owner_id = kept.owner_id or other.owner_id
    other.merged_into_id = kept.id
    record = LeadMerge(organization_id=kept.organization_id, kept_id=kept.id, merged_id=other.id,
                       actor_user_id=actor.user_id, before=before)
    session.add_all([other, record])
    session.flush()
    timeline(session, kept, "merge", actor, merged=str(other.id), merge=str(record.id))
    timeline(session, other, "merge", actor, into=str(kept.id), merge=str(record.id))
    audited(session, actor, "merged", kept, merged=other.id, merge=record.id)
    touch(session, kept)
    session.commit()
    emit_all([lead_event(session, events.LeadUpdated, kept, actor.user_id, changed=("merged",))])
    return str(record.id)


def undo(session: Session, actor: Actor, merge_id: RecordId) -> None:
    actor.require(Permission.CRM_MANAGE)
    org_id = actor.require_org()
    record = session.exec(select(LeadMerge).where(LeadMerge.id == parse_id(merge_id),
                                                  LeadMerge.organization_id == org_id)
                          .with_for_update()).first()
    if record is None:
        raise NotFound()
    if record.undone_at is not None:
        raise Conflict("merge_already_undone")
    kept = lead_of(session, actor, record.kept_id, lock=True)
    other = session.exec(select(Lead).where(Lead.id == record.merged_id,
                                            Lead.organization_id == org_id)).one()
    before = record.before
    kept.fields, kept.field_sources = before["fields"], before["field_sources"]
    kept.value_cents = before["value_cents"]
    kept.owner_id = uuid.UUID(before["owner_id"]) if before["owner_id"] else None
    kept.temperature, kept.temperature_reason = before["temperature"], before["temperature_reason"]
    other.merged_into_id = None
    record.undone_at = utcnow()
    session.add_all([other, record])
    timeline(session, kept, "merge_undone", actor, merged=str(other.id))
    audited(session, actor, "merge_undone", kept, merged=other.id, merge=record.id)
    touch(session, kept)
    session.commit()
    emit_all([lead_event(session, events.LeadUpdated, kept, actor.user_id, changed=("unmerged",)),
              lead_event(session, events.LeadUpdated, other, actor.user_id,
                         changed=("unmerged",))])
