"""Stored secrets are AES-256-GCM ciphertext in the database, readable only with the key."""

from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import text

from smarterchat.backend.models import Channel, User
from smarterchat.backend.security import crypto
from tests.factories import make_conversation, make_org, make_user


def test_channel_secrets_are_not_readable_in_the_database(session):
    channel, *_ = make_conversation(session, make_org(session))
    raw = session.execute(
        text("SELECT access_token, app_secret FROM channel WHERE id = :id"),
        {"id": channel.id.hex if session.bind.dialect.name == "sqlite" else channel.id},
    ).one()
    for stored, plain in zip(raw, ("EAAG-secret-token-value", "app-secret-value-123"), strict=True):
        assert stored.startswith("v1:")
        assert plain not in stored
        assert plain not in base64.urlsafe_b64decode(stored[3:]).decode("latin-1")
    session.expire_all()
    assert session.get(Channel, channel.id).access_token == "EAAG-secret-token-value"


def test_totp_seed_is_encrypted(session):
    user = make_user(session, make_org(session))
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    session.add(user)
    session.commit()
    stored = session.execute(text("SELECT totp_secret FROM \"user\"")).scalar_one()
    assert stored.startswith("v1:") and "JBSWY3DPEHPK3PXP" not in stored
    session.expire_all()
    assert session.get(User, user.id).totp_secret == "JBSWY3DPEHPK3PXP"


def test_same_secret_encrypts_differently_each_time():
    assert crypto.encrypt("same") != crypto.encrypt("same")


def test_wrong_key_or_tampering_is_detected():
    sealed = crypto.encrypt("token")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, key=os.urandom(32))
    raw = bytearray(base64.urlsafe_b64decode(sealed[3:]))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("v1:" + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_mask_shows_only_the_end():
    assert crypto.mask("EAAGsecretvalue1234") == "••••••••1234"
    assert crypto.mask("short") == "••••••••"
