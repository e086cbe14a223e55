"""The lead beside a conversation: what the inbox's contact panel shows and changes
(stage, value, owner), and creating a lead by hand from a conversation or the board."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from smarterchat.backend import events
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import (
    Channel,
    Contact,
    Lead,
    LeadSource,
    Membership,
    PipelineStage,
    User,
)
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import defaults, positions
from smarterchat.backend.services.crm.access import scope
from smarterchat.backend.services.crm.actions import clean_fields, clean_value
from smarterchat.backend.services.crm.changes import audited, emit_all, lead_event, timeline
from smarterchat.backend.services.errors import Conflict, InvalidInput, NotFound, RecordId, parse_id
from smarterchat.backend.services.inbox.queries import get_conversation


@dataclass(frozen=True)
class LeadBrief:
    lead_id: str  # "" when the contact has no lead (or the actor may not see it)
    stage_id: str = ""
    stages: tuple[tuple[str, str, str], ...] = ()  # id, name, kind of its pipeline
    value_cents: int | None = None
    owner_id: str = ""
    owners: tuple[tuple[str, str], ...] = ()  # people the actor may give it to
    temperature: str = ""


def brief(session: Session, actor: Actor, conversation_id: RecordId) -> LeadBrief:
    """The conversation's lead as the actor may see it."""
    conversation = get_conversation(session, actor, conversation_id)
    _, visible = scope(session, actor)
    lead = session.exec(select(Lead).where(Lead.contact_id == conversation.contact_id,
                                           visible)).first()
    if lead is None:
        return LeadBrief(lead_id="")
    stages = session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == lead.pipeline_id)
                          .order_by(col(PipelineStage.position))).all()
    return LeadBrief(lead_id=str(lead.id), stage_id=str(lead.stage_id),
                     stages=tuple((str(s.id), s.name, s.kind) for s in stages),
                     value_cents=lead.value_cents, owner_id=str(lead.owner_id or ""),
                     owners=_owners(session, actor), temperature=lead.temperature)


def _owners(session: Session, actor: Actor) -> tuple[tuple[str, str], ...]:
    if not actor.can(Permission.CRM_MANAGE):
        return ((str(actor.user_id), actor.name),)
    rows = session.exec(select(User.id, User.name).join(Membership, col(Membership.user_id) == User.id)
                        .where(Membership.organization_id == actor.require_org(),
                               Membership.is_active).order_by(User.name).limit(200)).all()
    return tuple((str(i), n) for i, n in rows)


def create_for_conversation(session: Session, actor: Actor, conversation_id: RecordId) -> str:
    """A lead for the conversation's contact, owned by the actor, in the first stage."""
    actor.require(Permission.CRM_WORK)
    conversation = get_conversation(session, actor, conversation_id)
    contact = linked_row(session, Contact, conversation.contact_id)
    return _create(session, actor, contact, {"name": contact.name or ""}, None)


def create_by_hand(session: Session, actor: Actor, *, channel_id: RecordId, name: str,
                   phone: str, email: str = "", company: str = "",
                   value_cents: int | None = None) -> str:
    """A lead typed on the board: a contact of one of the organisation's channels (the
    phone is its WhatsApp id) and its lead, owned by the actor."""
    actor.require(Permission.CRM_WORK)
    org_id = actor.require_org()
    channel = session.exec(select(Channel).where(Channel.id == parse_id(channel_id),
                                                 Channel.organization_id == org_id)).first()
    if channel is None:
        raise NotFound()
    fields = clean_fields({"name": name, "email": email, "company": company, "phone": phone})
    digits = "".join(ch for ch in fields["phone"] if ch.isdigit())
    if not fields["name"]:
        raise InvalidInput("invalid_name", field="name")
    if not 10 <= len(digits) <= 15:
        raise InvalidInput("invalid_phone", field="phone")
    contact = session.exec(select(Contact).where(Contact.channel_id == channel.id,
                                                 Contact.external_id == digits)).first()
    if contact is None:
        contact = Contact(organization_id=org_id, channel_id=channel.id, external_id=digits,
                          name=fields["name"], phone=f"+{digits}",
                          email=fields["email"] or None)
        session.add(contact)
        session.flush()
    return _create(session, actor, contact, {k: v for k, v in fields.items() if v},
                   clean_value(value_cents))


def _create(session: Session, actor: Actor, contact: Contact, fields: dict[str, str],
            value_cents: int | None) -> str:
    org_id = actor.require_org()
    if session.exec(select(Lead.id).where(Lead.organization_id == org_id,
                                          Lead.contact_id == contact.id)).first():
        raise Conflict("lead_exists")
    pipeline = defaults.default_pipeline(session, org_id)
    stage = defaults.first_stage(session, pipeline)
    lead = Lead(organization_id=org_id, contact_id=contact.id, pipeline_id=pipeline.id,
                stage_id=stage.id, source=LeadSource.MANUAL, owner_id=actor.user_id,
                fields=fields, value_cents=value_cents,
                position=positions.at_top(session, org_id, stage.id))
    session.add(lead)
    try:
        session.flush()
    except IntegrityError as exc:  # created by the AI a moment ago
        session.rollback()
        raise Conflict("lead_exists") from exc
    timeline(session, lead, "created", actor, source=LeadSource.MANUAL)
    audited(session, actor, "created", lead, source=LeadSource.MANUAL)
    session.commit()
    emit_all([lead_event(session, events.LeadCreated, lead, actor.user_id,
                         source=LeadSource.MANUAL)])
    return str(lead.id)
