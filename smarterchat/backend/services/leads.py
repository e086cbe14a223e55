"""Leads found in conversations: created and updated from what the AI extracts."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from smarterchat.backend.ai import policy
from smarterchat.backend.ai.types import LeadSignals, Temperature
from smarterchat.backend.models import Contact, Lead
from smarterchat.backend.models.base import utcnow

_RANK = {Temperature.COLD: 0, Temperature.WARM: 1, Temperature.HOT: 2}
FIELDS = ("name", "email", "phone", "company", "interest", "budget", "urgency")


def has_signal(signals: LeadSignals) -> bool:
    return signals.temperature != Temperature.COLD or any(getattr(signals, f) for f in FIELDS
                                                          if f not in ("name", "phone"))


def upsert_from_signals(session: Session, organization_id: uuid.UUID, contact_id: uuid.UUID,
                        signals: LeadSignals) -> Lead | None:
    """Merge what was learnt into the contact's lead; create it at the first buying signal.

    Known fields are kept unless a new value arrives; the temperature follows the latest
    reading (a lead can cool down), with its reason.
    """
    lead = session.exec(select(Lead).where(Lead.organization_id == organization_id,
                                           Lead.contact_id == contact_id)).first()
    if lead is None:
        if not has_signal(signals):
            remember(session, contact_id, signals)
            return None
        lead = Lead(organization_id=organization_id, contact_id=contact_id)
    lead.fields = policy.merged_fields(lead.fields, signals)
    lead.temperature = signals.temperature.value
    lead.temperature_reason = signals.reason[:500]
    lead.updated_at = utcnow()
    session.add(lead)
    remember(session, contact_id, signals)
    return lead


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
