"""TOTP (RFC 6238) second factor with one-time recovery codes."""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno

ISSUER = "SmarterChat"
VALID_WINDOW = 1  # accept the previous and next 30-second step for clock drift
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step the code belongs to, or None when it is wrong.

    The caller stores the step and refuses any code of the same or an earlier step,
    so a code observed once cannot be replayed.
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = at if at is not None else time.time()
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    # 10 hex characters in two groups: easy to type, 40 bits each.
    return [f"{secrets.token_hex(5)[:5]}-{secrets.token_hex(5)[:5]}" for _ in range(RECOVERY_CODES)]


def hash_recovery_code(code: str) -> str:
    normalised = code.strip().lower().replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()
