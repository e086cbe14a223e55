"""JWT access tokens and opaque refresh tokens.

Access tokens are short-lived HS256 JWTs. Refresh tokens are random strings of which
only a SHA-256 hash is stored; they rotate on every use and share a family with the
login that created them, so a rotated token presented again revokes the whole family.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from smarterchat.backend.config import get_settings

ALGORITHM = "HS256"
ISSUER = "smarterchat"


class TokenError(Exception):
    """Bad token; ``code`` is the i18n key of the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    organization_id: uuid.UUID | None
    token_id: str
    # The user's and the membership's token versions when it was issued (see load_actor).
    user_version: int = 0
    member_version: int = 0
    expires_at: int = 0  # Unix seconds


def _encode(claims: dict[str, Any], ttl: timedelta) -> str:
    now = datetime.now(UTC)
    payload = {**claims, "iss": ISSUER, "iat": now, "exp": now + ttl, "jti": uuid.uuid4().hex}
    return jwt.encode(payload, get_settings().jwt_secret, algorithm=ALGORITHM)


def _decode(token: str, expected_type: str) -> dict[str, Any]:
    try:
        payload = jwt.decode(
            token,
            get_settings().jwt_secret,
            algorithms=[ALGORITHM],  # never "none", never whatever the header says
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "typ"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("token_expired") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("token_invalid") from exc
    if payload.get("typ") != expected_type:
        raise TokenError("token_invalid")
    return payload


def create_access_token(user_id: uuid.UUID, organization_id: uuid.UUID | None,
                        user_version: int = 0, member_version: int = 0) -> str:
    ttl = timedelta(minutes=get_settings().access_token_minutes)
    org = str(organization_id) if organization_id else None
    return _encode({"sub": str(user_id), "org": org, "typ": "access",
                    "ver": [user_version, member_version]}, ttl)


def decode_access_token(token: str) -> AccessClaims:
    payload = _decode(token, "access")
    try:
        org = payload.get("org")
        user_version, member_version = payload.get("ver") or (0, 0)
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            organization_id=uuid.UUID(org) if org else None,
            token_id=payload["jti"],
            user_version=int(user_version),
            member_version=int(member_version),
            expires_at=int(payload["exp"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise TokenError("token_invalid") from exc


def create_challenge_token(user_id: uuid.UUID, organization_id: uuid.UUID | None) -> str:
    """Proof that the password was right, good only for the 2FA step, for a few minutes."""
    ttl = timedelta(minutes=get_settings().two_factor_challenge_minutes)
    org = str(organization_id) if organization_id else None
    return _encode({"sub": str(user_id), "org": org, "typ": "2fa"}, ttl)


def decode_challenge_token(token: str) -> AccessClaims:
    payload = _decode(token, "2fa")
    org = payload.get("org")
    return AccessClaims(uuid.UUID(payload["sub"]), uuid.UUID(org) if org else None,
                        payload["jti"])


def new_refresh_token() -> tuple[str, str]:
    """A fresh refresh token and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
