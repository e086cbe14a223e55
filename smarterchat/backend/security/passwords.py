"""Password hashing with bcrypt (cost from settings: 12 unless raised)."""

from __future__ import annotations

import bcrypt

from smarterchat.backend.config import get_settings

# bcrypt reads only the first 72 bytes; longer passwords are refused (security.identity).
MAX_BYTES = 72

# Verifying against this when the account does not exist costs the same time as a real
# check, so response time does not tell whether an e-mail is registered.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(12))


def hash_password(password: str) -> str:
    rounds = get_settings().bcrypt_rounds
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    encoded = password.encode()[:MAX_BYTES]
    if not password_hash:
        bcrypt.checkpw(encoded, _DUMMY_HASH)
        return False
    return bcrypt.checkpw(encoded, password_hash.encode())
