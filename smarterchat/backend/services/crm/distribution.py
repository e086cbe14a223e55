"""Distribution of new qualified leads (warm or hot, nobody's yet) by the organisation's
rule: round robin over online consultants (the one given a lead longest ago first), the
online consultant with the fewest open leads, or round robin within one team; never
above the per-consultant cap of open leads.

On PostgreSQL the lead row is claimed FOR UPDATE SKIP LOCKED and the chosen consultant's
membership row FOR UPDATE before the cap is counted again, so concurrent workers never
give one lead to two people nor push someone over the cap. The owner's pages are told
live through ``LeadOwnerChanged``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import (
    Availability,
    Conversation,
    DistributionRule,
    Lead,
    LeadActivity,
    Membership,
    PipelineStage,
    Role,
    StageKind,
    Temperature,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.crm.access import settings_of
from smarterchat.backend.services.crm.changes import lead_event, timeline, touch

QUALIFIED = (Temperature.WARM, Temperature.HOT)
ROUND_ROBIN_MEMORY = timedelta(days=30)


def _open_leads(session: Session, org_id: uuid.UUID, user_id: uuid.UUID) -> int:
    return int(session.exec(select(func.count()).select_from(Lead)
                            .join(PipelineStage, col(PipelineStage.id) == Lead.stage_id)
                            .where(Lead.organization_id == org_id, Lead.owner_id == user_id,
                                   col(Lead.merged_into_id).is_(None),
                                   PipelineStage.kind == StageKind.OPEN)).one())


def _candidates(session: Session, org_id: uuid.UUID, rule: str,
                team_id: uuid.UUID | None) -> list[uuid.UUID]:
    """Online consultants in the order the rule gives them leads."""
    where = [Membership.organization_id == org_id, Membership.is_active,
             Membership.role == Role.CONSULTANT, Membership.availability == Availability.ONLINE]
    if rule == DistributionRule.TEAM:
        where.append(Membership.team_id == team_id)
    people = list(session.exec(select(Membership.user_id).where(*where)
                               .order_by(col(Membership.id))).all())
    if rule == DistributionRule.LEAST_OPEN:
        load = dict(session.exec(
            select(Lead.owner_id, func.count())
            .join(PipelineStage, col(PipelineStage.id) == Lead.stage_id)
            .where(Lead.organization_id == org_id, col(Lead.owner_id).in_(people),
                   col(Lead.merged_into_id).is_(None), PipelineStage.kind == StageKind.OPEN)
            .group_by(col(Lead.owner_id))).all())
        return sorted(people, key=lambda user: load.get(user, 0))
    # Round robin: whoever the distribution gave a lead longest ago (or never) first.
    given: dict[str, datetime] = {}
    for data, at in session.exec(select(LeadActivity.data, LeadActivity.created_at).where(
            LeadActivity.organization_id == org_id, LeadActivity.kind == "owner",
            col(LeadActivity.actor_user_id).is_(None),
            LeadActivity.created_at >= utcnow() - ROUND_ROBIN_MEMORY)
            .order_by(col(LeadActivity.created_at).desc()).limit(5000)).all():
        given.setdefault(str((data or {}).get("after", "")), at)
    return sorted(people, key=lambda user: (str(user) in given,
                                            given.get(str(user), utcnow())))


def assign_lead(lead_id: uuid.UUID) -> uuid.UUID | None:
    """Give the lead to the next consultant by the rule; None when it is not for the
    distribution (already owned, not qualified, rule off) or nobody can take it now."""
    with session_scope() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        query = select(Lead).where(Lead.id == lead_id, col(Lead.owner_id).is_(None),
                                   col(Lead.merged_into_id).is_(None),
                                   col(Lead.temperature).in_(QUALIFIED))
        if postgres:
            query = query.with_for_update(skip_locked=True)
        lead = session.exec(query).first()
        if lead is None:
            return None
        settings = settings_of(session, lead.organization_id)
        if settings.distribution_rule == DistributionRule.OFF:
            return None
        owner = _pick(session, lead.organization_id, settings.distribution_rule,
                      settings.distribution_team_id, settings.lead_cap, postgres)
        if owner is None:
            return None
        lead.owner_id = owner
        timeline(session, lead, "owner", None, before="", after=str(owner),
                 rule=settings.distribution_rule)
        touch(session, lead)
        session.commit()
        event = lead_event(session, events.LeadOwnerChanged, lead, None, from_owner_id=None)
    events.emit(event)
    return owner


def _pick(session: Session, org_id: uuid.UUID, rule: str, team_id: uuid.UUID | None,
          cap: int | None, postgres: bool) -> uuid.UUID | None:
    people = _candidates(session, org_id, rule, team_id)
    if postgres and people:
        # The candidates' rows, locked in one order (no deadlock between workers), so the
        # cap counted next holds until this lead is given.
        session.exec(select(Membership.id).where(Membership.organization_id == org_id,
                                                 col(Membership.user_id).in_(people))
                     .order_by(col(Membership.id)).with_for_update()).all()
    for user_id in people:
        if cap is None or _open_leads(session, org_id, user_id) < cap:
            return user_id
    return None


def follow_assignee(conversation_id: uuid.UUID, assignee_id: uuid.UUID | None) -> bool:
    """The organisation keeps a lead's owner and its conversation's assignee the same: the
    conversation's new assignee becomes the contact's lead owner."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or assignee_id is None:
            return False
        if not settings_of(session, conversation.organization_id).owner_follows_assignee:
            return False
        lead = session.exec(select(Lead).where(
            Lead.organization_id == conversation.organization_id,
            Lead.contact_id == conversation.contact_id).with_for_update()).first()
        if lead is None or lead.owner_id == assignee_id:
            return False
        before = lead.owner_id
        lead.owner_id = assignee_id
        timeline(session, lead, "owner", None, before=str(before or ""), after=str(assignee_id),
                 rule="follows_assignee")
        touch(session, lead)
        session.commit()
        event = lead_event(session, events.LeadOwnerChanged, lead, None, from_owner_id=before)
    events.emit(event)
    return True
