"""The acting user: who is asking, for which organisation, with which role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from smarterchat.backend.models import Membership, Organization, User
from smarterchat.backend.security.rbac import Permission, has_permission
from smarterchat.backend.services.errors import AuthError, PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID
    organization_id: uuid.UUID | None  # None only for a super admin without an organisation
    role: str | None
    is_superadmin: bool = False
    name: str = ""
    email: str = ""
    organization_name: str = ""
    # An API key acting: its id, and what its scopes allow (instead of a role's permissions).
    api_key_id: uuid.UUID | None = None
    permissions: frozenset[Permission] | None = None

    def can(self, permission: Permission) -> bool:
        if self.permissions is not None:
            return permission in self.permissions
        return has_permission(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied("forbidden", permission=permission.value)

    def require_org(self) -> uuid.UUID:
        if self.organization_id is None:
            raise PermissionDenied("no_organization")
        return self.organization_id


@dataclass(frozen=True)
class Standing:
    """The rows behind an actor, for a caller that issues or checks tokens."""

    actor: Actor
    user_version: int
    member_version: int


def load_actor(session: Session, user_id: uuid.UUID, organization_id: uuid.UUID | None) -> Actor:
    """Re-read the user's standing on every request: a deactivated user or a changed
    role takes effect at once, not when the access token expires."""
    return load_standing(session, user_id, organization_id).actor


def load_standing(session: Session, user_id: uuid.UUID,
                  organization_id: uuid.UUID | None) -> Standing:
    """The actor with the token versions of its user and membership (the same two rows
    every request reads anyway, so checking a token's version costs no query)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthError("account_inactive")
    if organization_id is None:
        if not user.is_superadmin:
            raise AuthError("account_inactive")
        return Standing(Actor(user.id, None, None, True, user.name, user.email),
                        user.token_version, 0)
    row = session.exec(
        select(Membership, Organization)
        .join(Organization, col(Organization.id) == Membership.organization_id)
        .where(Membership.user_id == user_id, Membership.organization_id == organization_id)
    ).first()
    if row is None:
        raise AuthError("account_inactive")
    membership, org = row
    if not membership.is_active or not org.is_active:
        raise AuthError("account_inactive")
    return Standing(Actor(user.id, org.id, membership.role, user.is_superadmin, user.name,
                          user.email, org.name), user.token_version, membership.token_version)
