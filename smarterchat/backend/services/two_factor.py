"""TOTP enrolment, verification and recovery codes for one user."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from smarterchat.backend.models import RecoveryCode, User
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import passwords, totp
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import AuthError, Conflict, InvalidInput
from smarterchat.backend.services.sessions import revoke_user_sessions


@dataclass(frozen=True)
class Enrollment:
    secret: str
    otpauth_uri: str
    qr_data_uri: str  # SVG, to show as an image


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    recovery_codes_left: int


def _user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id)
    if user is None:
        raise AuthError("account_inactive")
    return user


def status(session: Session, actor: Actor) -> TwoFactorStatus:
    user = _user(session, actor)
    left = len(session.exec(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                      col(RecoveryCode.used_at).is_(None))
    ).all())
    return TwoFactorStatus(user.totp_enabled, left if user.totp_enabled else 0)


def begin_enrollment(session: Session, actor: Actor) -> Enrollment:
    user = _user(session, actor)
    if user.totp_enabled:
        raise Conflict("two_factor_already_enabled")
    secret = totp.new_secret()
    user.totp_secret = secret  # pending until a code proves the app has it
    session.add(user)
    session.commit()
    uri = totp.provisioning_uri(secret, user.email)
    return Enrollment(secret, uri, totp.qr_svg_data_uri(uri))


def confirm_enrollment(session: Session, actor: Actor, code: str) -> list[str]:
    """Turn 2FA on once the user shows a valid code; returns the recovery codes, shown once."""
    user = _user(session, actor)
    if user.totp_enabled:
        raise Conflict("two_factor_already_enabled")
    if not user.totp_secret:
        raise InvalidInput("two_factor_not_started")
    step = totp.matching_step(user.totp_secret, code or "")
    if step is None:
        raise AuthError("invalid_totp")
    user.totp_enabled = True
    user.totp_last_step = step
    session.add(user)
    codes = _replace_recovery_codes(session, user)
    audit.record(session, actor, "user.2fa_enabled", target_type="user", target_id=user.id)
    session.commit()
    return codes


def regenerate_recovery_codes(session: Session, actor: Actor, code: str) -> list[str]:
    user = _user(session, actor)
    if not user.totp_enabled:
        raise InvalidInput("two_factor_not_enabled")
    if not verify_second_factor(session, user, code, allow_recovery=False):
        raise AuthError("invalid_totp")
    codes = _replace_recovery_codes(session, user)
    audit.record(session, actor, "user.2fa_recovery_regenerated", target_type="user",
                 target_id=user.id)
    session.commit()
    return codes


def disable(session: Session, actor: Actor, *, password: str, code: str) -> None:
    user = _user(session, actor)
    if not user.totp_enabled:
        raise InvalidInput("two_factor_not_enabled")
    if not passwords.verify_password(password or "", user.password_hash):
        raise AuthError("wrong_password")
    if not verify_second_factor(session, user, code):
        session.rollback()
        raise AuthError("invalid_totp")
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    session.add(user)
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    revoke_user_sessions(session, user.id)
    audit.record(session, actor, "user.2fa_disabled", target_type="user", target_id=user.id)
    session.commit()


def verify_second_factor(session: Session, user: User, code: str, *,
                         allow_recovery: bool = True) -> bool:
    """Accept a fresh TOTP code or an unused recovery code, spending it. Caller commits."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    code = (code or "").strip()
    step = totp.matching_step(user.totp_secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replay of a code already used
        user.totp_last_step = step
        session.add(user)
        return True
    if not allow_recovery:
        return False
    row = session.exec(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.code_hash == totp.hash_recovery_code(code),
                                   col(RecoveryCode.used_at).is_(None))
    ).first()
    if row is None:
        return False
    row.used_at = utcnow()
    session.add(row)
    return True


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=totp.hash_recovery_code(code)))
    return codes
