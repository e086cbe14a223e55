"""Login (with optional TOTP), refresh-token rotation, logout, and ending sessions.

Throttling follows OWASP's authentication guidance without letting anyone lock a person
out: failures are counted per account and per address, never successes. Past the
account's limit a correct password still passes when it comes from an address this
account has signed in from before, or when the account has two-step verification (the
code still has to be right, and code failures count apart). Past an address's limit
(an office behind one NAT) only accounts never seen at that address are refused.

Sessions end for real: every access token carries the token versions of its user and
membership, checked on each request against rows that are read anyway; a password
change, a new or removed second factor, or an admin's "end sessions" raise a version and
revoke the refresh tokens. Logout puts the session's access token on a deny-list until
it expires. A rotated refresh token presented again within a few seconds (two tabs
restoring at once) returns the same successor; later, reuse revokes the whole family.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend.config import get_settings
from smarterchat.backend.models import Membership, Organization, RefreshToken, User
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import (
    crypto,
    denylist,
    identity,
    passwords,
    ratelimit,
    tokens,
)
from smarterchat.backend.services import audit, two_factor
from smarterchat.backend.services.actors import Actor, load_actor, load_standing
from smarterchat.backend.services.errors import AuthError, InvalidInput, TooManyAttempts
from smarterchat.backend.services.sessions import revoke_user_sessions


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
    try:
        return identity.clean_email(email)
    except identity.InputProblem as exc:
        raise InvalidInput(exc.code, field="email") from exc


def clean_name(value: str, field: str, *, max_length: int = 120) -> str:
    try:
        value = identity.clean_text(value)
    except identity.InputProblem as exc:
        raise InvalidInput(exc.code, field=field) from exc
    if len(value) < 2 or len(value) > max_length:
        raise InvalidInput(f"invalid_{field}", field=field)
    return value


def check_new_password(password: str, *personal: str) -> None:
    """Refuse a short, long, common or guessable password (``personal``: the person's
    name and address, which a password must not be built on)."""
    problem = identity.password_problem(password or "", personal)
    if problem:
        raise InvalidInput(problem, field="password")


# ------------------------------------------------------------------ sessions

def issue_tokens(session: Session, user_id: uuid.UUID, organization_id: uuid.UUID | None, *,
                 family_id: uuid.UUID | None = None, ip: str | None = None,
                 user_agent: str | None = None) -> tuple[TokenPair, RefreshToken]:
    """A new access token and refresh token (stored, uncommitted) for the user's standing."""
    settings = get_settings()
    standing = load_standing(session, user_id, organization_id)
    raw, digest = tokens.new_refresh_token()
    row = RefreshToken(
        user_id=user_id,
        organization_id=organization_id,
        family_id=family_id or uuid.uuid4(),
        token_hash=digest,
        expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        user_agent=(user_agent or "")[:300] or None,
        ip=ip,
    )
    session.add(row)
    access = tokens.create_access_token(user_id, organization_id, standing.user_version,
                                        standing.member_version)
    return TokenPair(access, raw, settings.access_token_minutes * 60, standing.actor), row


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


# ------------------------------------------------------------------ throttling

def _account_key(email: str) -> str:
    return f"login:acct:{email}"


def _blocked(key: str, limit: int) -> int:
    """Seconds until ``key`` may try again, or 0."""
    verdict = ratelimit.is_blocked(key, limit)
    return 0 if verdict.allowed else verdict.retry_after


def _count_failure(email: str, ip: str | None) -> None:
    settings = get_settings()
    ratelimit.hit(_account_key(email), settings.login_attempts_per_account,
                  settings.login_window_seconds)
    if ip:
        ratelimit.hit(f"login:ip:{ip}", settings.login_attempts_per_ip,
                      settings.login_window_seconds)


def _known_address(session: Session, user_id: uuid.UUID, ip: str | None) -> bool:
    """The account has signed in from this address before (a session was issued to it)."""
    return bool(ip) and session.exec(
        select(RefreshToken.id).where(RefreshToken.user_id == user_id, RefreshToken.ip == ip)
    ).first() is not None


def _refuse_if_throttled(session: Session, user: User | None, email: str, ip: str | None,
                         password_ok: bool) -> None:
    settings = get_settings()
    known = user is not None and _known_address(session, user.id, ip)
    if ip and not known:
        wait = _blocked(f"login:ip:{ip}", settings.login_attempts_per_ip)
        if wait:
            raise TooManyAttempts("too_many_attempts", retry_after=wait)
    wait = _blocked(_account_key(email), settings.login_attempts_per_account)
    passes = password_ok and user is not None and (known or user.totp_enabled)
    if wait and not passes:
        raise TooManyAttempts("too_many_attempts", retry_after=wait)


# ------------------------------------------------------------------ use cases

def login(session: Session, *, email: str, password: str, ip: str | None = None,
          user_agent: str | None = None) -> LoginResult:
    try:
        email = identity.clean_email(email)
    except identity.InputProblem:
        email = (email or "").strip().lower()[:254]
    user = session.exec(select(User).where(User.email == email)).first()
    password_ok = passwords.verify_password(password or "", user.password_hash if user else None)
    _refuse_if_throttled(session, user, email, ip, password_ok)
    if not password_ok or user is None:
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
    # Code failures count apart from password failures: guessing passwords at someone's
    # account never blocks their own code.
    settings = get_settings()
    key = f"login:code:{user.id}"
    wait = _blocked(key, settings.login_attempts_per_account)
    if wait:
        raise TooManyAttempts("too_many_attempts", retry_after=wait)
    if not two_factor.verify_second_factor(session, user, code):
        session.rollback()
        ratelimit.hit(key, settings.login_attempts_per_account, settings.login_window_seconds)
        raise AuthError("invalid_totp")
    ratelimit.clear(key)
    return _complete_login(session, user, claims.organization_id, ip, user_agent)


def _complete_login(session: Session, user: User, org_id: uuid.UUID | None, ip: str | None,
                    user_agent: str | None) -> TokenPair:
    ratelimit.clear(_account_key(user.email))
    user.last_login_at = utcnow()
    session.add(user)
    pair, _row = issue_tokens(session, user.id, org_id, ip=ip, user_agent=user_agent)
    audit.record(session, pair.actor, "user.login", target_type="user", target_id=user.id, ip=ip)
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
    if row.revoked_at is None and row.used_at is not None:
        return _successor_within_grace(session, row, now)
    if row.revoked_at is not None:
        raise AuthError("refresh_reused")
    if row.expires_at <= now:
        raise AuthError("token_expired")
    # Spend it with a conditional update: of two concurrent uses, exactly one wins; the
    # other waits for the winner's commit and then finds the successor.
    spent = session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.id) == row.id, col(RefreshToken.used_at).is_(None),
               col(RefreshToken.revoked_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        session.rollback()
        session.refresh(row)
        return _successor_within_grace(session, row, utcnow())
    pair, _new = issue_tokens(session, row.user_id, row.organization_id, family_id=row.family_id,
                              ip=ip, user_agent=user_agent)
    row.successor = pair.refresh_token
    session.add(row)
    session.commit()
    return pair


def _successor_within_grace(session: Session, row: RefreshToken, now: datetime) -> TokenPair:
    """A spent token again: its successor within the grace interval, else the family ends."""
    grace = timedelta(seconds=get_settings().refresh_grace_seconds)
    if row.revoked_at is None and row.used_at is not None and row.successor \
            and now - row.used_at <= grace:
        successor = session.exec(select(RefreshToken).where(
            RefreshToken.token_hash == tokens.hash_token(row.successor))).first()
        if successor is not None and successor.revoked_at is None:
            standing = load_standing(session, row.user_id, row.organization_id)
            access = tokens.create_access_token(row.user_id, row.organization_id,
                                                standing.user_version, standing.member_version)
            return TokenPair(access, row.successor, get_settings().access_token_minutes * 60,
                             standing.actor)
    _revoke_family(session, row.family_id, now)
    raise AuthError("refresh_reused")


def _revoke_family(session: Session, family_id: uuid.UUID, now: datetime) -> None:
    session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.commit()


def logout(session: Session, *, refresh_token: str, access_token: str | None = None) -> None:
    """End this session: its refresh family is revoked and its access token refused."""
    row = session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == tokens.hash_token(refresh_token or ""))
    ).first()
    if row is not None:
        _revoke_family(session, row.family_id, utcnow())
    if access_token:
        try:
            claims = tokens.decode_access_token(access_token)
        except tokens.TokenError:
            return  # expired or forged: refused anyway
        remaining = claims.expires_at - int(utcnow().timestamp())
        denylist.deny(claims.token_id, remaining + 1)


def disable_two_factor(session: Session, actor: Actor, *, password: str, code: str,
                       ip: str | None = None, user_agent: str | None = None) -> TokenPair:
    """Turn two-step verification off (every session ends) and sign this one in again."""
    two_factor.disable(session, actor, password=password, code=code)
    pair, _row = issue_tokens(session, actor.user_id, actor.organization_id, ip=ip,
                              user_agent=user_agent)
    session.commit()
    return pair


def seal(refresh_token: str) -> str:
    """The refresh token as the pages' state keeps it: encrypted with the server's key."""
    return crypto.encrypt(refresh_token)


def unseal(sealed: str) -> str:
    """The refresh token back; "" (which no row matches) for anything not sealed here."""
    try:
        return crypto.decrypt(sealed or "")
    except (crypto.DecryptionError, ValueError):
        return ""


def actor_from_access_token(session: Session, token: str) -> Actor:
    try:
        claims = tokens.decode_access_token(token or "")
    except tokens.TokenError as exc:
        raise AuthError(exc.code) from exc
    standing = load_standing(session, claims.user_id, claims.organization_id)
    if (claims.user_version, claims.member_version) != \
            (standing.user_version, standing.member_version) \
            or denylist.is_denied(claims.token_id):
        raise AuthError("session_ended")
    return standing.actor


__all__ = ["LoginResult", "TokenPair", "actor_from_access_token", "check_new_password",
           "clean_name", "complete_two_factor", "disable_two_factor", "issue_tokens", "load_actor", "login", "logout",
           "normalise_email", "refresh", "revoke_user_sessions", "seal", "unseal"]
