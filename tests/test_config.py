"""Settings: generated secrets in development, a clear refusal in production."""

from __future__ import annotations

import stat

import pytest

from smarterchat.backend.config import Settings, SettingsError, finalise


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    # Other tests point SMARTERCHAT_DATABASE_URL at their databases; these start from nothing.
    # conftest lowers SMARTERCHAT_BCRYPT_ROUNDS for speed; these check the real defaults.
    for key in ("SMARTERCHAT_DATABASE_URL", "SMARTERCHAT_REDIS_URL", "SMARTERCHAT_SECRET_KEY",
                "SMARTERCHAT_ENCRYPTION_KEY", "SMARTERCHAT_ENV", "SMARTERCHAT_BCRYPT_ROUNDS"):
        monkeypatch.delenv(key, raising=False)


def test_development_generates_and_keeps_secrets(tmp_path):
    first = finalise(Settings(data_dir=tmp_path))
    second = finalise(Settings(data_dir=tmp_path))
    assert first.jwt_secret == second.jwt_secret and len(first.jwt_secret) >= 32
    assert len(first.aes_key) == 32 and first.aes_key == second.aes_key
    for name in ("secret_key", "encryption_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert first.sqlalchemy_url.startswith("sqlite:///")
    assert first.redis_url is None and first.ai_provider == "offline"


def test_production_refuses_missing_or_default_secrets(tmp_path):
    with pytest.raises(SettingsError) as err:
        finalise(Settings(env="production", data_dir=tmp_path, secret_key="changeme"))
    message = str(err.value)
    assert "SMARTERCHAT_SECRET_KEY" in message and "SMARTERCHAT_ENCRYPTION_KEY" in message
    assert "SMARTERCHAT_DATABASE_URL" in message and "SMARTERCHAT_REDIS_URL" in message
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_real_settings(tmp_path):
    settings = finalise(Settings(
        env="production", data_dir=tmp_path, secret_key="x" * 48,
        encryption_key="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        database_url="postgresql://u@db/sc", redis_url="redis://cache:6379/0"))
    assert settings.sqlalchemy_url == "postgresql+psycopg://u@db/sc"


def test_production_refuses_cheap_password_hashing(tmp_path):
    real = {"env": "production", "data_dir": tmp_path, "secret_key": "x" * 48,
            "encryption_key": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "database_url": "postgresql://u@db/sc", "redis_url": "redis://cache:6379/0"}
    assert Settings(**real).bcrypt_rounds == 12
    with pytest.raises(SettingsError, match="SMARTERCHAT_BCRYPT_ROUNDS must be at least 12"):
        finalise(Settings(**real, bcrypt_rounds=4))
    # Development accepts a lower cost (the tests run with 4).
    assert finalise(Settings(data_dir=tmp_path, bcrypt_rounds=4)).bcrypt_rounds == 4


def test_bad_encryption_key_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="32 bytes"):
        finalise(Settings(data_dir=tmp_path, encryption_key="c2hvcnQ="))


def test_an_s3_access_key_without_its_secret_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="SMARTERCHAT_S3_SECRET_ACCESS_KEY"):
        finalise(Settings(data_dir=tmp_path, s3_bucket="media", s3_access_key_id="AKIA123"))
    with pytest.raises(SettingsError, match="SMARTERCHAT_S3_ACCESS_KEY_ID"):
        finalise(Settings(data_dir=tmp_path, s3_bucket="media", s3_secret_access_key="s3cr3t"))
    both = finalise(Settings(data_dir=tmp_path, s3_bucket="media", s3_access_key_id="AKIA123",
                             s3_secret_access_key="s3cr3t"))
    assert both.s3_access_key_id == "AKIA123"
