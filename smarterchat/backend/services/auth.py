"""Sign-up, login (with optional TOTP), refresh-token rotation and logout."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend.config import get_settings
from smarterchat.backend.models import Membership, Organization, RefreshToken, Role, User
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import passwords, ratelimit, tokens
from smarterchat.backend.services import audit, two_factor
from smarterchat.backend.services.actors import Actor, load_actor
from smarterchat.backend.services.errors import (
    AuthError,
    Conflict,
    InvalidInput,
    TooManyAttempts,
)

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    actor: Actor


@dataclass(frozen=True)
class LoginResult:
    tokens: TokenPair | None = None
    challenge: str | None = None  # set when a TOTP code is still needed

    @property
    def needs_two_factor(self) -> bool:
        return self.challenge is not None


# ------------------------------------------------------------------ validation

def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InvalidInput("invalid_email", field="email")
    return email


def clean_name(value: str, field: str, *, max_length: int = 120) -> str:
    value = " ".join((value or "").split())
    if len(value) < 2 or len(value) > max_length:
        raise InvalidInput(f"invalid_{field}", field=field)
    return value


def check_new_password(password: str) -> None:
    problem = passwords.password_problem(password or "")
    if problem:
        raise InvalidInput(problem, field="password")


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
    return slug or "org"


# ------------------------------------------------------------------ sessions

def _issue(session: Session, actor: Actor, *, family_id: uuid.UUID | None = None,
           ip: str | None = None, user_agent: str | None = None) -> TokenPair:
    settings = get_settings()
    raw, digest = tokens.new_refresh_token()
    session.add(RefreshToken(
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        family_id=family_id or uuid.uuid4(),
        token_hash=digest,
        expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        user_agent=(user_agent or "")[:300] or None,
        ip=ip,
    ))
    access = tokens.create_access_token(actor.user_id, actor.organization_id)
    return TokenPair(access, raw, settings.access_token_minutes * 60, actor)


def _default_organization(session: Session, user: User) -> uuid.UUID | None:
    membership = session.exec(
        select(Membership)
        .join(Organization, col(Organization.id) == Membership.organization_id)
        .where(Membership.user_id == user.id, Membership.is_active, Organization.is_active)
        .order_by(col(Membership.created_at))
    ).first()
    if membership is None and not user.is_superadmin:
        raise AuthError("account_inactive")
    return membership.organization_id if membership else None


def _throttle_keys(email: str, ip: str | None) -> list[tuple[str, int]]:
    settings = get_settings()
    keys = [(f"login:acct:{email}", settings.login_attempts_per_account)]
    if ip:
        keys.append((f"login:ip:{ip}", settings.login_attempts_per_ip))
    return keys


def _check_throttle(email: str, ip: str | None) -> None:
    for key, limit in _throttle_keys(email, ip):
        verdict = ratelimit.is_blocked(key, limit)
        if not verdict.allowed:
            raise TooManyAttempts("too_many_attempts", retry_after=verdict.retry_after)


def _count_failure(email: str, ip: str | None) -> None:
    window = get_settings().login_window_seconds
    for key, limit in _throttle_keys(email, ip):
        ratelimit.hit(key, limit, window)


# ------------------------------------------------------------------ use cases

def signup(session: Session, *, organization_name: str, name: str, email: str, password: str,
           ip: str | None = None, user_agent: str | None = None) -> TokenPair:
    """A new organisation with its first admin, signed in."""
    if ip and not ratelimit.hit(f"signup:ip:{ip}", 10, 3600).allowed:
        raise TooManyAttempts("too_many_attempts", retry_after=3600)
    organization_name = clean_name(organization_name, "organization_name")
    name = clean_name(name, "name")
    email = normalise_email(email)
    check_new_password(password)
    if session.exec(select(User.id).where(User.email == email)).first():
        raise Conflict("email_taken", field="email")

    slug = _slugify(organization_name)
    if session.exec(select(Organization.id).where(Organization.slug == slug)).first():
        slug = f"{slug[:52]}-{secrets.token_hex(3)}"
    org = Organization(name=organization_name, slug=slug)
    user = User(email=email, name=name, password_hash=passwords.hash_password(password),
                last_login_at=utcnow())
    session.add(org)
    session.add(user)
    session.flush()
    session.add(Membership(organization_id=org.id, user_id=user.id, role=Role.ADMIN))
    session.flush()
    actor = load_actor(session, user.id, org.id)
    audit.record(session, actor, "organization.created", target_type="organization",
                 target_id=org.id, ip=ip)
    pair = _issue(session, actor, ip=ip, user_agent=user_agent)
    session.commit()
    return pair


def login(session: Session, *, email: str, password: str, ip: str | None = None,
          user_agent: str | None = None) -> LoginResult:
    email = (email or "").strip().lower()
    _check_throttle(email, ip)
    user = session.exec(select(User).where(User.email == email)).first()
    if not passwords.verify_password(password or "", user.password_hash if user else None) \
            or user is None:
        _count_failure(email, ip)
        raise AuthError("invalid_credentials")
    if not user.is_active:
        raise AuthError("account_inactive")
    org_id = _default_organization(session, user)
    if user.totp_enabled:
        return LoginResult(challenge=tokens.create_challenge_token(user.id, org_id))
    return LoginResult(tokens=_complete_login(session, user, org_id, ip, user_agent))


def complete_two_factor(session: Session, *, challenge: str, code: str, ip: str | None = None,
                        user_agent: str | None = None) -> TokenPair:
    try:
        claims = tokens.decode_challenge_token(challenge)
    except tokens.TokenError as exc:
        raise AuthError("challenge_expired" if exc.code == "token_expired" else exc.code) from exc
    user = session.get(User, claims.user_id)
    if user is None or not user.is_active:
        raise AuthError("account_inactive")
    _check_throttle(user.email, ip)
    if not two_factor.verify_second_factor(session, user, code):
        session.rollback()
        _count_failure(user.email, ip)
        raise AuthError("invalid_totp")
    return _complete_login(session, user, claims.organization_id, ip, user_agent)


def _complete_login(session: Session, user: User, org_id: uuid.UUID | None, ip: str | None,
                    user_agent: str | None) -> TokenPair:
    actor = load_actor(session, user.id, org_id)
    ratelimit.clear(f"login:acct:{user.email}")
    user.last_login_at = utcnow()
    session.add(user)
    audit.record(session, actor, "user.login", target_type="user", target_id=user.id, ip=ip)
    pair = _issue(session, actor, ip=ip, user_agent=user_agent)
    session.commit()
    return pair


def refresh(session: Session, *, refresh_token: str, ip: str | None = None,
            user_agent: str | None = None) -> TokenPair:
    """Rotate: the presented token is spent and a new one of the same family returned."""
    digest = tokens.hash_token(refresh_token or "")
    row = session.exec(select(RefreshToken).where(RefreshToken.token_hash == digest)).first()
    if row is None:
        raise AuthError("token_invalid")
    now = utcnow()
    if row.revoked_at is not None or row.used_at is not None:
        _revoke_family(session, row.family_id, now)
        raise AuthError("refresh_reused")
    if row.expires_at <= now:
        raise AuthError("token_expired")
    # Spend it with a conditional update: of two concurrent uses, exactly one wins.
    spent = session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.id) == row.id, col(RefreshToken.used_at).is_(None),
               col(RefreshToken.revoked_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        session.rollback()
        _revoke_family(session, row.family_id, now)
        raise AuthError("refresh_reused")
    actor = load_actor(session, row.user_id, row.organization_id)
    pair = _issue(session, actor, family_id=row.family_id, ip=ip, user_agent=user_agent)
    session.commit()
    return pair


def _revoke_family(session: Session, family_id: uuid.UUID, now: datetime) -> None:
    session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.commit()


def logout(session: Session, *, refresh_token: str) -> None:
    row = session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == tokens.hash_token(refresh_token or ""))
    ).first()
    if row is not None:
        _revoke_family(session, row.family_id, utcnow())


def revoke_user_sessions(session: Session, user_id: uuid.UUID,
                         organization_id: uuid.UUID | None = None) -> None:
    query = update(RefreshToken).where(col(RefreshToken.user_id) == user_id,
                                       col(RefreshToken.revoked_at).is_(None))
    if organization_id is not None:
        query = query.where(col(RefreshToken.organization_id) == organization_id)
    session.exec(query.values(revoked_at=utcnow()))


def actor_from_access_token(session: Session, token: str) -> Actor:
    try:
        claims = tokens.decode_access_token(token or "")
    except tokens.TokenError as exc:
        raise AuthError(exc.code) from exc
    return load_actor(session, claims.user_id, claims.organization_id)
