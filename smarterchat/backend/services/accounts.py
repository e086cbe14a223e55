"""Proving an address: sign-up, invitations and "forgot my password", each by a
single-use, expiring link sent by e-mail.

No account exists before its address is proven: a sign-up waits as a link (with the
organisation's name and the password's hash) until it is opened; an invitation creates
the account, or links an existing one after its owner signs in, only when accepted. The
answers never tell whether an address is registered: sign-up and "forgot my password"
answer the same for known and unknown addresses (a known one gets an e-mail saying so),
and an admin's invitation shows only what the admin typed.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend import events, mail
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import (
    AccountLink,
    AccountLinkKind,
    Availability,
    Membership,
    Organization,
    Role,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import passwords, ratelimit, tokens
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.auth import (
    TokenPair,
    check_new_password,
    clean_name,
    issue_tokens,
    normalise_email,
    revoke_user_sessions,
)
from smarterchat.backend.services.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
    TooManyAttempts,
)

SIGNUPS_PER_ADDRESS_HOUR = 10  # accepted sign-ups from one IP address in an hour
RESETS_PER_ACCOUNT_HOUR = 3  # reset e-mails to one address in an hour (no inbox flooding)


@dataclass(frozen=True)
class Invitation:
    """What an admin sees of an invitation: only what they typed, for any address."""

    email: str
    name: str
    role: str
    expires_at: datetime


@dataclass(frozen=True)
class InvitationView:
    """What the invited person sees when opening the link."""

    email: str
    name: str
    organization_name: str
    inviter_name: str
    role: str
    has_account: bool


# ------------------------------------------------------------------ links

def _new_link(session: Session, kind: AccountLinkKind, *, email: str, ttl: timedelta,
              **fields: Any) -> str:
    raw, digest = tokens.new_refresh_token()
    session.add(AccountLink(kind=kind, token_hash=digest, email=email,
                            expires_at=utcnow() + ttl, **fields))
    return raw


def _open_link(session: Session, kind: AccountLinkKind, token: str, *,
               spend: bool) -> AccountLink:
    """The link ``token`` names; refused when unknown, used or expired. ``spend`` marks it
    used with a conditional update, so of two clicks exactly one wins."""
    row = session.exec(select(AccountLink).where(
        AccountLink.token_hash == tokens.hash_token(token or ""),
        AccountLink.kind == kind)).first()
    if row is None or row.used_at is not None:
        raise InvalidInput("link_invalid")
    if row.expires_at <= utcnow():
        raise InvalidInput("link_expired")
    if spend:
        spent = session.exec(update(AccountLink)
                             .where(col(AccountLink.id) == row.id,
                                    col(AccountLink.used_at).is_(None))
                             .values(used_at=utcnow()))
        if spent.rowcount != 1:
            session.rollback()
            raise InvalidInput("link_invalid")
    return row


def _send(kind: str, to: str, locale: str | None, **context: str) -> None:
    events.emit(events.EmailRequested(kind=kind, to=to, locale=locale or "pt-BR",
                                      context=context))


def _hours() -> str:
    return str(get_settings().email_link_hours)


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
    return slug or "org"


# ------------------------------------------------------------------ sign-up

def start_signup(session: Session, *, organization_name: str, name: str, email: str,
                 password: str, locale: str | None = None, ip: str | None = None) -> str:
    """Check the form, then e-mail a confirmation link; returns the address as cleaned.
    The answer is the same when the address already has an account (its owner is told)."""
    organization_name = clean_name(organization_name, "organization_name")
    name = clean_name(name, "name")
    email = normalise_email(email)
    check_new_password(password, email, name)
    # Only a form that passed its checks counts towards the address's hourly limit.
    if ip and not ratelimit.hit(f"signup:ip:{ip}", SIGNUPS_PER_ADDRESS_HOUR, 3600).allowed:
        raise TooManyAttempts("too_many_attempts", retry_after=3600)
    # Hashed either way, so the answer's timing does not tell a registered address apart.
    password_hash = passwords.hash_password(password)
    existing = session.exec(select(User).where(User.email == email)).first()
    if existing is not None:
        _send("signup_existing", email, existing.locale or locale, name=existing.name,
              link=mail.public_link(f"/forgot?email={email}"))
        return email
    raw = _new_link(session, AccountLinkKind.SIGNUP, email=email, name=name,
                    ttl=timedelta(hours=get_settings().email_link_hours),
                    details={"organization_name": organization_name, "locale": locale or "",
                             "password_hash": password_hash})
    session.commit()
    _send("verify_signup", email, locale, name=name, organization=organization_name,
          hours=_hours(), link=mail.public_link(f"/verify?token={raw}"))
    return email


def confirm_signup(session: Session, *, token: str, ip: str | None = None,
                   user_agent: str | None = None) -> TokenPair:
    """The link was opened: the organisation and its first admin exist now, signed in."""
    link = _open_link(session, AccountLinkKind.SIGNUP, token, spend=True)
    if session.exec(select(User.id).where(User.email == link.email)).first():
        session.commit()  # another link for this address was confirmed first
        raise Conflict("email_taken", field="email")
    org_name = str(link.details.get("organization_name") or link.email)
    slug = _slugify(org_name)
    if session.exec(select(Organization.id).where(Organization.slug == slug)).first():
        slug = f"{slug[:52]}-{secrets.token_hex(3)}"
    org = Organization(name=org_name, slug=slug)
    user = User(email=link.email, name=link.name,
                password_hash=str(link.details["password_hash"]),
                locale=str(link.details.get("locale") or "") or None, last_login_at=utcnow())
    session.add(org)
    session.add(user)
    session.flush()
    session.add(Membership(organization_id=org.id, user_id=user.id, role=Role.ADMIN))
    session.flush()
    pair, _row = issue_tokens(session, user.id, org.id, ip=ip, user_agent=user_agent)
    audit.record(session, pair.actor, "organization.created", target_type="organization",
                 target_id=org.id, ip=ip)
    session.commit()
    return pair


# ------------------------------------------------------------------ forgot my password

def request_password_reset(session: Session, *, email: str, locale: str | None = None,
                           ip: str | None = None) -> None:
    """E-mail a reset link when the address has an active account; the same answer (none)
    either way, and at most a few e-mails an hour to one address."""
    email = normalise_email(email)
    settings = get_settings()
    if ip and not ratelimit.hit(f"reset:ip:{ip}", 20, 3600).allowed:
        raise TooManyAttempts("too_many_attempts", retry_after=3600)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.is_active or \
            not ratelimit.hit(f"reset:acct:{email}", RESETS_PER_ACCOUNT_HOUR, 3600).allowed:
        return
    raw = _new_link(session, AccountLinkKind.PASSWORD_RESET, email=email, user_id=user.id,
                    ttl=timedelta(minutes=settings.password_reset_minutes))
    session.commit()
    _send("password_reset", email, user.locale or locale, name=user.name,
          minutes=str(settings.password_reset_minutes),
          link=mail.public_link(f"/reset?token={raw}"))


def reset_password(session: Session, *, token: str, password: str) -> None:
    """Set the new password; every session of the account ends."""
    link = _open_link(session, AccountLinkKind.PASSWORD_RESET, token, spend=False)
    user = session.get(User, link.user_id) if link.user_id else None
    if user is None or not user.is_active:
        raise InvalidInput("link_invalid")
    check_new_password(password, user.email, user.name)
    _open_link(session, AccountLinkKind.PASSWORD_RESET, token, spend=True)
    user.password_hash = passwords.hash_password(password)
    session.add(user)
    revoke_user_sessions(session, user.id)
    audit.record(session, None, "user.password_reset", target_type="user", target_id=user.id)
    session.commit()
    ratelimit.clear(f"login:acct:{user.email}")


# ------------------------------------------------------------------ invitations

def invite(session: Session, actor: Actor, *, name: str, email: str, role: str) -> Invitation:
    """Invite a person to the organisation by e-mail, whether or not they have an account."""
    actor.require(Permission.USERS_MANAGE)
    org_id = actor.require_org()
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise InvalidInput("invalid_role", field="role") from exc
    email = normalise_email(email)
    name = clean_name(name, "name")
    settings = get_settings()
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and session.exec(select(Membership.id).where(
            Membership.user_id == user.id, Membership.organization_id == org_id)).first():
        raise Conflict("member_exists", field="email")
    verdict = ratelimit.hit(f"invite:org:{org_id}", settings.invitations_per_hour, 3600)
    if not verdict.allowed:
        raise TooManyAttempts("too_many_attempts", retry_after=verdict.retry_after)
    ttl = timedelta(hours=settings.email_link_hours)
    raw = _new_link(session, AccountLinkKind.INVITATION, email=email, name=name,
                    organization_id=org_id, role=role_value, created_by_id=actor.user_id, ttl=ttl)
    audit.record(session, actor, "member.invited", target_type="invitation",
                 details={"email": email, "role": role_value})
    session.commit()
    org = session.get(Organization, org_id)
    _send("invitation", email, (user.locale if user else None) or (org.locale if org else None),
          name=name, inviter=actor.name, organization=actor.organization_name, hours=_hours(),
          link=mail.public_link(f"/invite?token={raw}"))
    return Invitation(email=email, name=name, role=role_value, expires_at=utcnow() + ttl)


def list_invitations(session: Session, actor: Actor) -> list[Invitation]:
    """The organisation's invitations not accepted yet and not expired."""
    actor.require(Permission.USERS_VIEW)
    rows = session.exec(select(AccountLink).where(
        AccountLink.organization_id == actor.require_org(),
        AccountLink.kind == AccountLinkKind.INVITATION, col(AccountLink.used_at).is_(None),
        AccountLink.expires_at > utcnow()).order_by(col(AccountLink.created_at).desc())).all()
    return [Invitation(email=r.email, name=r.name, role=r.role or Role.CONSULTANT,
                       expires_at=r.expires_at) for r in rows]


def view_invitation(session: Session, *, token: str) -> InvitationView:
    link = _open_link(session, AccountLinkKind.INVITATION, token, spend=False)
    org = session.get(Organization, link.organization_id) if link.organization_id else None
    if org is None or not org.is_active:
        raise InvalidInput("link_invalid")
    inviter = session.get(User, link.created_by_id) if link.created_by_id else None
    has_account = session.exec(select(User.id).where(User.email == link.email)).first()
    return InvitationView(email=link.email, name=link.name, organization_name=org.name,
                          inviter_name=inviter.name if inviter else "", role=link.role or "",
                          has_account=has_account is not None)


def _join(session: Session, link: AccountLink, user: User, ip: str | None,
          user_agent: str | None) -> TokenPair:
    assert link.organization_id is not None  # invitations always name their organisation
    membership = session.exec(select(Membership).where(
        Membership.user_id == user.id, Membership.organization_id == link.organization_id)).first()
    if membership is None:
        membership = Membership(organization_id=link.organization_id, user_id=user.id,
                                role=link.role or Role.CONSULTANT,
                                availability=Availability.OFFLINE)
        session.add(membership)
        session.flush()
    pair, _row = issue_tokens(session, user.id, link.organization_id, ip=ip,
                              user_agent=user_agent)
    audit.record(session, pair.actor, "member.joined", target_type="membership",
                 target_id=membership.id, details={"email": user.email}, ip=ip)
    session.commit()
    return pair


def accept_invitation(session: Session, actor: Actor, invitation: str, *, ip: str | None = None,
                      user_agent: str | None = None) -> TokenPair:
    """The signed-in owner of the invited address joins; a session in that organisation.
    (``invitation`` is the link's token.)"""
    link = _open_link(session, AccountLinkKind.INVITATION, invitation, spend=False)
    if actor.email != link.email:
        raise PermissionDenied("invitation_other_account", email=link.email)
    _open_link(session, AccountLinkKind.INVITATION, invitation, spend=True)
    user = session.get(User, actor.user_id)
    assert user is not None  # the actor was just loaded from it
    return _join(session, link, user, ip, user_agent)


def accept_invitation_new_account(session: Session, *, token: str, name: str, password: str,
                                  ip: str | None = None,
                                  user_agent: str | None = None) -> TokenPair:
    """Accept with a new account: the link proved the address."""
    link = _open_link(session, AccountLinkKind.INVITATION, token, spend=False)
    if session.exec(select(User.id).where(User.email == link.email)).first():
        raise Conflict("invitation_sign_in", field="email")
    name = clean_name(name, "name")
    check_new_password(password, link.email, name)
    _open_link(session, AccountLinkKind.INVITATION, token, spend=True)
    user = User(email=link.email, name=name, password_hash=passwords.hash_password(password),
                last_login_at=utcnow())
    session.add(user)
    session.flush()
    return _join(session, link, user, ip, user_agent)

