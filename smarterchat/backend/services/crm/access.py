"""Who sees which lead: the organisation first, then the role.

Managers and admins see every lead of their organisation; consultants see their own and,
when the organisation allows it (the default), the unassigned ones. Seeing a lead is
being able to work it (move, note, value); giving it to someone else needs CRM_MANAGE.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select

from smarterchat.backend.models import CrmSettings, Lead, PipelineStage
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import NotFound, RecordId, parse_id


def settings_of(session: Session, org_id: uuid.UUID) -> CrmSettings:
    """The organisation's CRM settings (the defaults until an admin saves them)."""
    return session.get(CrmSettings, org_id) or CrmSettings(organization_id=org_id)


def sees_all(actor: Actor) -> bool:
    return actor.can(Permission.CRM_MANAGE)


def visible(actor: Actor, settings: CrmSettings) -> ColumnElement[bool]:
    """The leads ``actor`` may see, as a WHERE clause (besides the organisation)."""
    if sees_all(actor):
        return sa.true()
    mine = col(Lead.owner_id) == actor.user_id
    if settings.consultants_see_unassigned:
        return or_(mine, col(Lead.owner_id).is_(None))
    return mine


def scope(session: Session, actor: Actor) -> tuple[uuid.UUID, ColumnElement[bool]]:
    """The actor's organisation and the clause of the leads they see; needs CRM_VIEW."""
    actor.require(Permission.CRM_VIEW)
    org_id = actor.require_org()
    return org_id, sa.and_(col(Lead.organization_id) == org_id,
                           col(Lead.merged_into_id).is_(None),
                           visible(actor, settings_of(session, org_id)))


def lead_of(session: Session, actor: Actor, lead_id: RecordId, *, lock: bool = False) -> Lead:
    """One lead the actor may see; another organisation's, a merged or a hidden one is
    NotFound. ``lock``: FOR UPDATE on PostgreSQL, so concurrent moves queue."""
    _, clause = scope(session, actor)
    query = select(Lead).where(Lead.id == parse_id(lead_id), clause)
    if lock:
        query = query.with_for_update()
    lead = session.exec(query).first()
    if lead is None:
        raise NotFound()
    return lead


def stage_of(session: Session, org_id: uuid.UUID, stage_id: RecordId) -> PipelineStage:
    """A stage of the organisation; another organisation's is NotFound."""
    stage = session.exec(select(PipelineStage).where(
        PipelineStage.id == parse_id(stage_id), PipelineStage.organization_id == org_id)).first()
    if stage is None:
        raise NotFound()
    return stage
