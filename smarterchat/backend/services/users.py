"""Members of an organisation: listing, roles, teams, deactivation, ending sessions, profile.
(People join by invitation: ``services.accounts``.)"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.models import Availability, Membership, Role, Team, User
from smarterchat.backend.security import passwords
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit, teams
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.auth import (
    TokenPair,
    check_new_password,
    clean_name,
    issue_tokens,
    revoke_user_sessions,
)
from smarterchat.backend.services.errors import (
    AuthError,
    Conflict,
    InvalidInput,
    NotFound,
    RecordId,
    parse_id,
)


@dataclass(frozen=True)
class Member:
    membership_id: str
    user_id: str
    name: str
    email: str
    role: str
    is_active: bool
    availability: str
    two_factor: bool
    last_login_at: datetime | None
    team_id: str | None = None
    team_name: str = ""


def _member(m: Membership, u: User, team_name: str | None = None) -> Member:
    return Member(str(m.id), str(u.id), u.name, u.email, m.role, m.is_active, m.availability,
                  u.totp_enabled, u.last_login_at, str(m.team_id) if m.team_id else None,
                  team_name or "")


def _parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError as exc:
        raise InvalidInput("invalid_role", field="role") from exc


def list_members(session: Session, actor: Actor, *, include_inactive: bool = True) -> list[Member]:
    actor.require(Permission.USERS_VIEW)
    query = (
        select(Membership, User, Team.name)
        .join(User, col(User.id) == Membership.user_id)
        .outerjoin(Team, col(Team.id) == Membership.team_id)
        .where(Membership.organization_id == actor.require_org())
        .order_by(User.name)
    )
    if not include_inactive:
        query = query.where(Membership.is_active)
    return [_member(m, u, team) for m, u, team in session.exec(query).all()]


def _get_membership(session: Session, actor: Actor, membership_id: RecordId) -> tuple[Membership, User]:
    row = session.exec(
        select(Membership, User)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.id == parse_id(membership_id),
               Membership.organization_id == actor.require_org())
    ).first()
    if row is None:
        raise NotFound()
    return row


def _admins_left(session: Session, org_id: uuid.UUID, excluding: uuid.UUID) -> int:
    return session.exec(
        select(func.count()).select_from(Membership).where(
            Membership.organization_id == org_id, Membership.role == Role.ADMIN,
            Membership.is_active, Membership.id != excluding)
    ).one()


def change_role(session: Session, actor: Actor, membership_id: RecordId, role: str) -> Member:
    actor.require(Permission.USERS_MANAGE)
    role = _parse_role(role)
    membership, user = _get_membership(session, actor, membership_id)
    if membership.role == Role.ADMIN and role != Role.ADMIN and \
            _admins_left(session, membership.organization_id, membership.id) == 0:
        raise Conflict("last_admin")
    before = membership.role
    membership.role = role
    session.add(membership)
    audit.record(session, actor, "member.role_changed", target_type="membership",
                 target_id=membership.id, details={"from": before, "to": role})
    session.commit()
    return _member(membership, user)


def set_team(session: Session, actor: Actor, membership_id: RecordId, team_id: RecordId) -> Member:
    """Put a member in one of the organisation's teams, or in none (``team_id`` empty)."""
    actor.require(Permission.USERS_MANAGE)
    membership, user = _get_membership(session, actor, membership_id)
    team = None
    if team_id:
        team = teams.find_team(session, membership.organization_id, team_id)
        if team is None:
            raise InvalidInput("invalid_team", field="team_id")
    before = membership.team_id
    membership.team_id = team.id if team else None
    session.add(membership)
    audit.record(session, actor, "member.team_changed", target_type="membership",
                 target_id=membership.id,
                 details={"from": str(before) if before else None,
                          "to": str(team.id) if team else None})
    session.commit()
    # Teams' online counts change, and a consultant joining a team may take its queue.
    events.emit(events.PresenceChanged(organization_id=membership.organization_id,
                                       teams_changed=True))
    return _member(membership, user, team.name if team else None)


def set_active(session: Session, actor: Actor, membership_id: RecordId, active: bool) -> Member:
    actor.require(Permission.USERS_MANAGE)
    membership, user = _get_membership(session, actor, membership_id)
    if not active:
        if membership.user_id == actor.user_id:
            raise Conflict("cannot_deactivate_self")
        if membership.role == Role.ADMIN and \
                _admins_left(session, membership.organization_id, membership.id) == 0:
            raise Conflict("last_admin")
        membership.availability = Availability.OFFLINE
        revoke_user_sessions(session, user.id, membership.organization_id)
    membership.is_active = active
    session.add(membership)
    audit.record(session, actor, "member.activated" if active else "member.deactivated",
                 target_type="membership", target_id=membership.id)
    session.commit()
    return _member(membership, user)


def update_profile(session: Session, actor: Actor, *, name: str | None = None,
                   locale: str | None = None) -> None:
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound()
    if name is not None:
        user.name = clean_name(name, "name")
    if locale is not None:
        if locale not in ("pt-BR", "en"):
            raise InvalidInput("invalid_locale", field="locale")
        user.locale = locale
    session.add(user)
    session.commit()


def change_password(session: Session, actor: Actor, *, current: str, new: str,
                    ip: str | None = None, user_agent: str | None = None) -> TokenPair:
    """Every session of the account ends; the one changing it gets a new session."""
    user = session.get(User, actor.user_id)
    if user is None or not passwords.verify_password(current or "", user.password_hash):
        raise AuthError("wrong_password")
    check_new_password(new, user.email, user.name)
    user.password_hash = passwords.hash_password(new)
    session.add(user)
    revoke_user_sessions(session, user.id)
    audit.record(session, actor, "user.password_changed", target_type="user", target_id=user.id)
    pair, _row = issue_tokens(session, user.id, actor.organization_id, ip=ip,
                              user_agent=user_agent)
    session.commit()
    return pair


def end_sessions(session: Session, actor: Actor, membership_id: RecordId) -> Member:
    """An admin signs a member out of this organisation on every device."""
    actor.require(Permission.USERS_MANAGE)
    membership, user = _get_membership(session, actor, membership_id)
    revoke_user_sessions(session, user.id, membership.organization_id)
    audit.record(session, actor, "member.sessions_ended", target_type="membership",
                 target_id=membership.id)
    session.commit()
    return _member(session.get(Membership, membership.id) or membership, user)
