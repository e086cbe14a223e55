"""Leads found in conversations: created and updated from what the AI extracts.

The lead is created at the first buying signal, in the first stage of the organisation's
default pipeline. Each field remembers the customer message it was read from, and each
temperature change is a timeline line quoting that message. The caller commits, then
emits the events this returns (``LeadCreated``, ``LeadTemperatureChanged``,
``LeadUpdated``).
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from smarterchat.backend import events
from smarterchat.backend.ai import policy
from smarterchat.backend.ai.types import LeadSignals, Temperature
from smarterchat.backend.models import Contact, Lead, LeadSource
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.crm import defaults
from smarterchat.backend.services.crm.changes import lead_event, timeline

_RANK = {Temperature.COLD: 0, Temperature.WARM: 1, Temperature.HOT: 2}
FIELDS = ("name", "email", "phone", "company", "interest", "budget", "urgency")
QUOTE_MAX = 500


def has_signal(signals: LeadSignals) -> bool:
    return signals.temperature != Temperature.COLD or any(getattr(signals, f) for f in FIELDS
                                                          if f not in ("name", "phone"))


def upsert_from_signals(session: Session, organization_id: uuid.UUID, contact_id: uuid.UUID,
                        signals: LeadSignals, *, message_id: uuid.UUID | None = None,
                        quote: str = "") -> list[events.LeadEvent]:
    """Merge what was learnt into the contact's lead; create it at the first buying signal.

    Known fields are kept unless a new value arrives; the temperature follows the latest
    reading (a lead can cool down), with its reason. ``message_id`` / ``quote``: the
    customer's message the signals were read from.
    """
    lead = session.exec(select(Lead).where(Lead.organization_id == organization_id,
                                           Lead.contact_id == contact_id)).first()
    if lead is not None and lead.merged_into_id is not None:
        lead = session.get(Lead, lead.merged_into_id) or lead  # merged: the kept lead learns
    created = lead is None
    if lead is None:
        if not has_signal(signals):
            remember(session, contact_id, signals)
            return []
        pipeline = defaults.default_pipeline(session, organization_id)
        lead = Lead(organization_id=organization_id, contact_id=contact_id,
                    pipeline_id=pipeline.id, stage_id=defaults.first_stage(session, pipeline).id,
                    source=LeadSource.AI)
    before_fields, before_temperature = dict(lead.fields or {}), lead.temperature
    lead.fields = policy.merged_fields(lead.fields, signals)
    changed = tuple(f"fields.{name}" for name in FIELDS
                    if lead.fields.get(name) != before_fields.get(name))
    if message_id is not None and changed:
        lead.field_sources = {**(lead.field_sources or {}),
                              **{name.removeprefix("fields."): str(message_id)
                                 for name in changed}}
    lead.temperature = signals.temperature.value
    lead.temperature_reason = signals.reason[:500]
    lead.updated_at = lead.last_activity_at = utcnow()
    session.add(lead)
    session.flush()
    remember(session, contact_id, signals)
    return _events(session, lead, created, before_temperature, changed, message_id, quote)


def _events(session: Session, lead: Lead, created: bool, before_temperature: str,
            changed: tuple[str, ...], message_id: uuid.UUID | None,
            quote: str) -> list[events.LeadEvent]:
    pending: list[events.LeadEvent] = []
    if created:
        timeline(session, lead, "created", None, source=LeadSource.AI)
        pending.append(lead_event(session, events.LeadCreated, lead, None, source=LeadSource.AI))
    if created or lead.temperature != before_temperature:
        timeline(session, lead, "temperature", None, text=quote[:QUOTE_MAX],
                 message_id=message_id, before="" if created else before_temperature,
                 after=lead.temperature, reason=lead.temperature_reason)
        pending.append(lead_event(session, events.LeadTemperatureChanged, lead, None,
                                  from_temperature="" if created else before_temperature,
                                  reason=lead.temperature_reason, message_id=message_id))
    if changed and not created:
        pending.append(lead_event(session, events.LeadUpdated, lead, None, changed=changed))
    return pending


def remember(session: Session, contact_id: uuid.UUID, signals: LeadSignals) -> None:
    """Long-term memory: what the customer told us stays on the contact, for later turns
    and later conversations (the AI reads it back as "what we know about this customer")."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return
    facts = dict(contact.facts or {})
    for name in FIELDS:
        value = getattr(signals, name)
        if value:
            facts[name] = str(value)[:300]
    contact.facts = facts
    contact.email = contact.email or signals.email
    contact.name = contact.name or signals.name
    session.add(contact)


def is_hotter(new: Temperature, old: str | None) -> bool:
    return _RANK[new] > _RANK.get(Temperature(old), 0) if old else new != Temperature.COLD
