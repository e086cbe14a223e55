"""The organisation's API keys: created by admins, shown once, stored hashed.

A key belongs to the organisation, not to whoever created it: it keeps working when
that person leaves. What it does is written as an identity user of its own (named after
the key, in no organisation, with no usable password), so messages it sends and
conversations it moves carry the key's name in the thread and the audit log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend.models import ApiKey, Organization, User
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import tokens
from smarterchat.backend.security.rbac import Permission, Scope, scope_permissions
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.auth import clean_name
from smarterchat.backend.services.errors import (
    AuthError,
    InvalidInput,
    NotFound,
    RecordId,
    parse_id,
)

KEY_PREFIX = "sc_live_"
_PREFIX_CHARS = 8  # after ``sc_live_``: what lists show and look-ups use
# Writing ``last_used_at`` on every call would make each request a write: once a minute is enough.
_LAST_USE_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiKeyView:
    id: str
    name: str
    prefix: str  # ``sc_live_abcd1234``: enough to recognise the key, useless to use it
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > utcnow())


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKeyView
    secret: str  # the whole key, shown this once


def _view(row: ApiKey) -> ApiKeyView:
    return ApiKeyView(id=str(row.id), name=row.name, prefix=KEY_PREFIX + row.prefix,
                      scopes=list(row.scopes), created_at=row.created_at,
                      expires_at=row.expires_at, last_used_at=row.last_used_at,
                      revoked_at=row.revoked_at)


def clean_scopes(scopes: list[str]) -> list[str]:
    known = [s.value for s in Scope]
    if not scopes or any(s not in known for s in scopes):
        raise InvalidInput("invalid_scopes", field="scopes")
    return [s for s in known if s in scopes]


def list_keys(session: Session, actor: Actor) -> list[ApiKeyView]:
    actor.require(Permission.API_KEYS_MANAGE)
    rows = session.exec(select(ApiKey).where(ApiKey.organization_id == actor.require_org())
                        .order_by(col(ApiKey.created_at).desc())).all()
    return [_view(row) for row in rows]


def create_key(session: Session, actor: Actor, *, name: str, scopes: list[str],
               expires_at: datetime | None = None) -> CreatedKey:
    actor.require(Permission.API_KEYS_MANAGE)
    org_id = actor.require_org()
    name = clean_name(name, "key_name", max_length=80)
    scopes = clean_scopes(scopes)
    if expires_at is not None and (expires_at.tzinfo is None or expires_at <= utcnow()):
        raise InvalidInput("invalid_expiry", field="expires_at")
    prefix = secrets.token_hex(_PREFIX_CHARS // 2)
    secret = f"{KEY_PREFIX}{prefix}{secrets.token_urlsafe(32)}"
    identity = User(email=f"api-key-{prefix}@keys.invalid", name=f"API: {name}",
                    password_hash="", is_active=True)  # "": no password is ever right
    session.add(identity)
    session.flush()
    row = ApiKey(organization_id=org_id, name=name, prefix=prefix,
                 key_hash=tokens.hash_token(secret), scopes=scopes, expires_at=expires_at,
                 user_id=identity.id, created_by_id=actor.user_id)
    session.add(row)
    audit.record(session, actor, "api_key.create", target_type="api_key", target_id=row.id,
                 details={"name": name, "scopes": scopes})
    session.commit()
    return CreatedKey(key=_view(row), secret=secret)


def revoke_key(session: Session, actor: Actor, key_id: RecordId) -> ApiKeyView:
    actor.require(Permission.API_KEYS_MANAGE)
    row = session.exec(select(ApiKey).where(ApiKey.id == parse_id(key_id),
                                            ApiKey.organization_id == actor.require_org())).first()
    if row is None:
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, actor, "api_key.revoke", target_type="api_key", target_id=row.id)
        session.commit()
    return _view(row)


def is_api_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def actor_from_key(session: Session, secret: str) -> Actor:
    """The acting key. Unknown, revoked and expired keys all answer the same 401."""
    prefix = secret[len(KEY_PREFIX):len(KEY_PREFIX) + _PREFIX_CHARS]
    found = session.exec(select(ApiKey, Organization)
                         .join(Organization, col(Organization.id) == ApiKey.organization_id)
                         .where(ApiKey.prefix == prefix)).first()
    if found is None or not secrets.compare_digest(found[0].key_hash, tokens.hash_token(secret)):
        raise AuthError("invalid_api_key")
    key, org = found
    now = utcnow()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now) \
            or not org.is_active or key.user_id is None:
        raise AuthError("invalid_api_key")
    if key.last_used_at is None or now - key.last_used_at > _LAST_USE_GRANULARITY:
        session.execute(update(ApiKey).where(col(ApiKey.id) == key.id).values(last_used_at=now))
        session.commit()
    return Actor(user_id=key.user_id, organization_id=org.id, role=None, name=f"API: {key.name}",
                 organization_name=org.name, api_key_id=key.id,
                 permissions=scope_permissions(list(key.scopes)))

