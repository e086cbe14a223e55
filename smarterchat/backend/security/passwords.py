"""Password hashing with bcrypt (cost from settings: 12 unless raised)."""

from __future__ import annotations

import bcrypt

from smarterchat.backend.config import get_settings

MIN_LENGTH = 10
# bcrypt reads only the first 72 bytes; longer passwords are refused rather than truncated.
MAX_BYTES = 72

# Verifying against this when the account does not exist costs the same time as a real
# check, so response time does not tell whether an e-mail is registered.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(12))


def password_problem(password: str) -> str | None:
    """The i18n key of what is wrong with a new password, or None."""
    if len(password) < MIN_LENGTH:
        return "password_too_short"
    if len(password.encode()) > MAX_BYTES:
        return "password_too_long"
    if password.isdigit() or password.isalpha():
        return "password_too_simple"
    return None


def hash_password(password: str) -> str:
    rounds = get_settings().bcrypt_rounds
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    encoded = password.encode()[:MAX_BYTES]
    if not password_hash:
        bcrypt.checkpw(encoded, _DUMMY_HASH)
        return False
    return bcrypt.checkpw(encoded, password_hash.encode())
