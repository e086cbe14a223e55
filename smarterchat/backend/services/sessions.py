"""Ending a user's sessions, apart from ``auth`` so that every service that ends them
(password, second factor, membership) can without importing the login code."""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlmodel import Session, col

from smarterchat.backend.models import Membership, RefreshToken, User
from smarterchat.backend.models.base import utcnow


def revoke_user_sessions(session: Session, user_id: uuid.UUID,
                         organization_id: uuid.UUID | None = None) -> None:
    """End the user's sessions (in one organisation, or everywhere): refresh tokens are
    revoked and access tokens issued before now refused. The caller commits."""
    query = update(RefreshToken).where(col(RefreshToken.user_id) == user_id,
                                       col(RefreshToken.revoked_at).is_(None))
    if organization_id is not None:
        query = query.where(col(RefreshToken.organization_id) == organization_id)
        session.exec(update(Membership)
                     .where(col(Membership.user_id) == user_id,
                            col(Membership.organization_id) == organization_id)
                     .values(token_version=col(Membership.token_version) + 1))
    else:
        session.exec(update(User).where(col(User.id) == user_id)
                     .values(token_version=col(User.token_version) + 1))
    session.exec(query.values(revoked_at=utcnow()))
    session.expire_all()
