"""The platform view of organisations, for super admins only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.models import Conversation, Membership, Organization
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import NotFound, PermissionDenied, RecordId, parse_id


@dataclass(frozen=True)
class OrganizationSummary:
    id: str
    name: str
    slug: str
    is_active: bool
    members: int
    conversations: int
    created_at: datetime


@dataclass(frozen=True)
class Page:
    items: list[OrganizationSummary]
    total: int


def _require_superadmin(actor: Actor) -> None:
    if not actor.is_superadmin:
        raise PermissionDenied("forbidden")


def list_organizations(session: Session, actor: Actor, *, search: str = "", offset: int = 0,
                       limit: int = 50) -> Page:
    _require_superadmin(actor)
    limit = max(1, min(limit, 200))
    members = (select(func.count()).select_from(Membership)
               .where(Membership.organization_id == Organization.id).scalar_subquery())
    conversations = (select(func.count()).select_from(Conversation)
                     .where(Conversation.organization_id == Organization.id).scalar_subquery())
    query = select(Organization, members, conversations)
    count_query = select(func.count()).select_from(Organization)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        condition = func.lower(Organization.name).like(pattern) | col(Organization.slug).like(pattern)
        query = query.where(condition)
        count_query = count_query.where(condition)
    rows = session.exec(query.order_by(col(Organization.created_at).desc()).offset(offset).limit(limit))
    items = [OrganizationSummary(str(o.id), o.name, o.slug, o.is_active, m or 0, c or 0,
                                 o.created_at) for o, m, c in rows.all()]
    return Page(items, session.exec(count_query).one())


def is_active(session: Session, organization_id: uuid.UUID) -> bool:
    """False for a suspended organisation: no AI work, no sends, no web chat, and its
    inbound events wait unprocessed until it is reactivated."""
    return bool(session.exec(select(Organization.is_active)
                             .where(Organization.id == organization_id)).first())


def set_active(session: Session, actor: Actor, organization_id: RecordId, active: bool) -> None:
    _require_superadmin(actor)
    org = session.get(Organization, parse_id(organization_id))
    if org is None:
        raise NotFound()
    resumed = active and not org.is_active
    org.is_active = active
    session.add(org)
    audit.record(session, actor, "organization.activated" if active else "organization.suspended",
                 target_type="organization", target_id=org.id, organization_id=org.id)
    session.commit()
    if resumed:  # what arrived while it was suspended is processed now
        events.emit(events.OrganizationReactivated(organization_id=org.id))
