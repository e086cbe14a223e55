"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

Secrets are ``whsec_`` + base64 of random bytes; a delivery's ``webhook-signature`` is
``v1,`` + base64(HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")), one per valid
secret separated by spaces, so a receiver keeps verifying while a secret is rotated.
The official ``standardwebhooks`` libraries verify these as they are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix the specification names, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_in_use: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": " ".join(sign(s, msg_id, timestamp, body)
                                          for s in secrets_in_use)}
