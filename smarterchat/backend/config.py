"""The one settings object. Nothing else in the project reads os.environ.

Every setting can come from the environment (prefix ``SMARTERCHAT_``) or from an
optional ``.env`` file in the working directory. The defaults are the embedded
set-up for a laptop: SQLite under ``data/``, no Redis, the offline AI provider.
"""

from __future__ import annotations

import base64
import functools
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values people paste from tutorials; refused as secrets in production.
_WEAK_SECRETS = {"changeme", "change-me", "changethis", "secret", "password", "dev", "test"}


class SettingsError(RuntimeError):
    """Raised at start-up when the configuration cannot run safely."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SMARTERCHAT_",
        # SMARTERCHAT_ENV_FILE="" turns the file off (the tests do, to ignore a developer's .env).
        env_file=os.environ.get("SMARTERCHAT_ENV_FILE", ".env") or None,
        extra="ignore",
    )

    # --- deployment ---
    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("data")
    public_url: str = Field(
        "http://localhost:3000",
        description="Address people and Meta use to reach the app (webhook URLs are built on it).",
    )
    port: int = 3000
    trusted_proxy_hops: int = Field(
        0, description="Reverse proxies in front of the app whose X-Forwarded-For is trusted.")
    log_level: str = "INFO"
    log_json: bool = True
    worker_metrics_port: int | None = Field(
        None, description="A task worker serves Prometheus metrics on this port when set.")
    demo_data: bool = Field(True, description="Load the demo organisation on first start.")

    # --- storage ---
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite under data_dir.")
    db_pool_size: int = 10
    redis_url: str | None = Field(None, description="Redis for queue, state, pub/sub, rate limits.")

    # --- media storage ---
    s3_bucket: str | None = Field(
        None, description="Keep media in this S3-compatible bucket instead of data_dir/media.")
    s3_endpoint_url: str = Field("", description="MinIO or another S3-compatible server; empty: AWS.")
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = Field(None, description="Unset: boto3's usual credential chain.")
    s3_secret_access_key: SecretStr | None = None
    s3_prefix: str = Field("", description="Folder inside the bucket for SmarterChat's media.")

    # --- background work ---
    huey_workers: int = Field(4, description="Threads of the in-process consumer (embedded mode).")
    huey_immediate: bool = Field(False, description="Run tasks inline (tests only).")

    # --- security ---
    secret_key: SecretStr | None = Field(None, description="Signs JWTs. Generated in dev.")
    encryption_key: SecretStr | None = Field(
        None, description="Base64 of 32 bytes for AES-256-GCM. Generated in dev."
    )
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    two_factor_challenge_minutes: int = 5
    bcrypt_rounds: int = 12
    login_attempts_per_account: int = 5
    login_attempts_per_ip: int = 30
    login_window_seconds: int = 900
    email_link_hours: int = Field(24, description="Verification and invitation links last this long.")
    password_reset_minutes: int = Field(30, description="A password reset link lasts this long.")
    invitations_per_hour: int = Field(30, description="Invitations one organisation may send an hour.")
    refresh_grace_seconds: int = Field(
        10, description="A just-rotated refresh token presented again within this returns the "
        "same successor (two tabs restoring at once) instead of revoking the session.")

    # --- e-mail ---
    smtp_host: str | None = Field(
        None, description="SMTP server; unset: e-mails are written to data_dir/outbox as .eml.")
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (port 587), tls (implicit, port 465) or none.")
    smtp_from: str = Field("SmarterChat <no-reply@localhost>", description="The From header.")
    smtp_timeout_seconds: float = 15.0

    # --- public API and outgoing webhooks ---
    api_rate_limit: int = Field(600, description="Calls per API key (or person) per window.")
    api_rate_window_seconds: int = 60
    webhook_timeout_seconds: float = Field(15.0, description="Outgoing webhook delivery timeout.")
    webhook_allow_private_addresses: bool = Field(
        False, description="Deliver webhooks to private, loopback and link-local addresses "
        "(refused by default: a URL must not reach the app's own network).")
    webhook_disable_after_days: int = Field(5, description="Failing this long disables an endpoint.")

    # --- AI ---
    ai_provider: Literal["offline", "openai"] = "offline"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = Field(None, description="Any OpenAI-compatible server.")
    openai_model: str = "gpt-4o-mini"
    openai_embedding_model: str = "text-embedding-3-small"
    openai_timeout_seconds: float = 30.0
    openai_max_retries: int = Field(2, description="Retries of one call on 429/5xx/timeouts.")
    ai_price_input_per_mtok_usd: float = Field(0.15, description="Cost of 1M prompt tokens.")
    ai_price_output_per_mtok_usd: float = Field(0.60, description="Cost of 1M completion tokens.")
    ai_coalesce_seconds: float = Field(
        2.0, description="Wait this long after a customer message for more before answering.")
    ai_history_tokens: int = Field(2000, description="Conversation history sent to the model.")
    ai_one_call_turns: bool = Field(
        False, description="Classify and reply in one structured-output call (the provider "
        "must support JSON-schema output): half the model time of two calls.")

    # --- Meta ---
    graph_api_base_url: str = "https://graph.facebook.com"
    graph_api_version: str = "v21.0"
    graph_api_timeout_seconds: float = 15.0
    webhook_max_bytes: int = Field(2 * 1024 * 1024, description="Larger webhook bodies get 413.")

    # --- HTTP ---
    json_max_bytes: int = Field(
        1024 * 1024, description="Larger JSON or form bodies get 413 on every route (webhooks "
        "have SMARTERCHAT_WEBHOOK_MAX_BYTES; file uploads their own limits).")
    cors_origins: str = Field(
        "", description="Comma-separated origins, besides the public URL, whose pages may call "
        "the API from a browser (CORS).")
    metrics_token: SecretStr | None = Field(
        None, description="Bearer token for /metrics and /readyz details in production; without "
        "it /metrics is not served there (scrape the worker's metrics port or set a token).")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def allowed_origins(self) -> list[str]:
        """Origins browsers may call the app from: the public URL's (with its localhost /
        127.0.0.1 twin on a laptop) and SMARTERCHAT_CORS_ORIGINS."""
        origins = [self.public_origin]
        host = urlsplit(self.public_url).hostname
        twin = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}.get(host or "")
        if twin:
            origins.append(self.public_origin.replace(str(host), twin, 1))
        origins += [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]
        return list(dict.fromkeys(origins))

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # psycopg 3 is the driver we ship; accept the common short forms.
            for prefix in ("postgresql://", "postgres://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        return f"sqlite:///{(self.data_dir / 'smarterchat.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def jwt_secret(self) -> str:
        assert self.secret_key is not None, "settings not finalised"
        return self.secret_key.get_secret_value()

    @property
    def aes_key(self) -> bytes:
        assert self.encryption_key is not None, "settings not finalised"
        return base64.b64decode(self.encryption_key.get_secret_value())


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # Created with 0600 so other local users cannot read the key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value


def finalise(settings: Settings) -> Settings:
    """Fill in generated secrets (development) or refuse to start (production)."""
    problems: list[str] = []
    if settings.is_production:
        secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
        if not secret or secret.lower() in _WEAK_SECRETS or len(secret) < 32:
            problems.append(
                "SMARTERCHAT_SECRET_KEY must be set to a random value of at least 32 characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if not settings.encryption_key:
            problems.append(
                "SMARTERCHAT_ENCRYPTION_KEY must be set to base64 of 32 random bytes "
                "(for example: python -c 'import os,base64; print(base64.b64encode(os.urandom(32)).decode())')."
            )
        if settings.is_sqlite:
            problems.append("SMARTERCHAT_DATABASE_URL must point at PostgreSQL in production.")
        if not settings.redis_url:
            problems.append("SMARTERCHAT_REDIS_URL must be set in production.")
        if settings.bcrypt_rounds < 12:
            problems.append("SMARTERCHAT_BCRYPT_ROUNDS must be at least 12 in production.")
    else:
        if not settings.secret_key:
            settings.secret_key = SecretStr(
                _read_or_create(settings.data_dir / "secret_key", lambda: secrets.token_urlsafe(48))
            )
        if not settings.encryption_key:
            settings.encryption_key = SecretStr(
                _read_or_create(
                    settings.data_dir / "encryption_key",
                    lambda: base64.b64encode(os.urandom(32)).decode(),
                )
            )
    if settings.encryption_key:
        try:
            key = base64.b64decode(settings.encryption_key.get_secret_value(), validate=True)
        except ValueError:
            key = b""
        if len(key) != 32:
            problems.append("SMARTERCHAT_ENCRYPTION_KEY must be base64 of exactly 32 bytes.")
    if bool(settings.s3_access_key_id) != bool(settings.s3_secret_access_key):
        problems.append("SMARTERCHAT_S3_ACCESS_KEY_ID and SMARTERCHAT_S3_SECRET_ACCESS_KEY go "
                        "together: set both, or neither to use boto3's credential chain.")
    if problems:
        raise SettingsError("SmarterChat cannot start:\n  - " + "\n  - ".join(problems))
    return settings


@functools.cache
def get_settings() -> Settings:
    return finalise(Settings())
