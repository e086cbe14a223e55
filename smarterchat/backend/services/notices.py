"""Notices to an organisation's admins by e-mail (AI budget spent, a webhook endpoint
disabled, an event set aside). Called after the caller's commit: the e-mails go out
through the worker, one per active admin, each in that admin's language."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from smarterchat.backend import events, mail
from smarterchat.backend.models import Membership, Organization, Role, User

# Each kind and the page its button opens.
ADMIN_NOTICES = {
    "ai_budget": "/",
    "webhook_disabled": "/settings",
    "event_set_aside": "/channels",
}


def notify_admins(session: Session, organization_id: uuid.UUID, kind: str,
                  **context: object) -> int:
    """E-mail every active admin of the organisation; returns how many were notified."""
    if kind not in ADMIN_NOTICES:
        raise ValueError(f"unknown admin notice {kind!r}")
    org = session.get(Organization, organization_id)
    if org is None:
        return 0
    admins = session.exec(
        select(User.email, User.name, User.locale)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.organization_id == organization_id, Membership.role == Role.ADMIN,
               Membership.is_active, User.is_active)
    ).all()
    values = {key: str(value) for key, value in context.items()}
    for email, name, locale in admins:
        events.emit(events.EmailRequested(
            kind=kind, to=email, locale=locale or org.locale,
            context={"name": name, "organization": org.name,
                     "link": mail.public_link(ADMIN_NOTICES[kind]), **values}))
    return len(admins)
