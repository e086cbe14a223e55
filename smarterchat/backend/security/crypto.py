"""AES-256-GCM for secrets at rest (channel tokens, app secrets, TOTP seeds, API keys of providers).

Stored form: ``v1:`` + urlsafe base64 of nonce (12 bytes) + ciphertext + tag. The
version prefix leaves room for key rotation without a schema change.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from smarterchat.backend.config import get_settings

_PREFIX = "v1:"


class DecryptionError(ValueError):
    pass


def encrypt(plaintext: str, *, key: bytes | None = None) -> str:
    aes = AESGCM(key or get_settings().aes_key)
    nonce = os.urandom(12)
    sealed = aes.encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, *, key: bytes | None = None) -> str:
    if not token.startswith(_PREFIX):
        raise DecryptionError("not an encrypted value")
    raw = base64.urlsafe_b64decode(token[len(_PREFIX) :])
    try:
        return AESGCM(key or get_settings().aes_key).decrypt(raw[:12], raw[12:], None).decode()
    except InvalidTag as exc:
        raise DecryptionError("secret cannot be decrypted with the configured key") from exc


class EncryptedString(TypeDecorator[str]):
    """A text column whose value is encrypted before it reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)


def mask(secret: str | None, visible: int = 4) -> str:
    """What the UI shows of a stored secret: never more than its last characters."""
    if not secret:
        return ""
    return "•" * 8 + secret[-visible:] if len(secret) > visible * 2 else "•" * 8
