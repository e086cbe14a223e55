"""``Idempotency-Key`` on the public API's POSTs, kept in the database for 24 hours.

The first request with a key claims it (a unique row per caller and key); its answer is
stored when it ends. The same key and body then replays that answer; the same key with
another body is refused (422); while the first still runs, a retry is told so (409). A
claim whose request died without answering is released after a few minutes.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from smarterchat.backend.models import IdempotencyKey
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import api_keys
from smarterchat.backend.services.auth import actor_from_access_token
from smarterchat.backend.services.errors import AuthError, Conflict, InvalidInput

KEEP_FOR = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Caller:
    organization_id: uuid.UUID
    principal: str


@dataclass(frozen=True)
class Stored:
    status_code: int
    body: str


def request_hash(method: str, path: str, query: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), query.encode(), body])).hexdigest()


def caller_of(session: Session, bearer: str) -> Caller | None:
    """Whose key space a request uses; None when it is not authenticated (the route says so)."""
    try:
        actor = api_keys.actor_from_key(session, bearer) if api_keys.is_api_key(bearer) \
            else actor_from_access_token(session, bearer)
    except AuthError:
        return None
    if actor.organization_id is None:
        return None
    principal = f"key:{actor.api_key_id}" if actor.api_key_id else f"user:{actor.user_id}"
    return Caller(actor.organization_id, principal)


def _existing(session: Session, caller: Caller, key: str) -> IdempotencyKey | None:
    return session.exec(select(IdempotencyKey).where(IdempotencyKey.principal == caller.principal,
                                                     IdempotencyKey.key == key)).first()


def begin(session: Session, caller: Caller, key: str, digest: str) -> uuid.UUID | Stored:
    """Claim ``key`` (its id: run the request) or the stored answer to replay."""
    if not 1 <= len(key) <= 255:
        raise InvalidInput("invalid_idempotency_key", field="Idempotency-Key")
    now = utcnow()
    found = _existing(session, caller, key)
    if found is not None and (found.created_at < now - KEEP_FOR or (
            found.status_code is None and found.created_at < now - ABANDONED_AFTER)):
        session.execute(delete(IdempotencyKey).where(col(IdempotencyKey.id) == found.id))
        session.commit()
        found = None
    if found is None:
        row = IdempotencyKey(organization_id=caller.organization_id, principal=caller.principal,
                             key=key, request_hash=digest)
        try:
            session.add(row)
            session.commit()
            return row.id
        except IntegrityError:  # another request claimed it a moment ago
            session.rollback()
            found = _existing(session, caller, key)
            if found is None:
                raise
    if found.request_hash != digest:
        raise InvalidInput("idempotency_key_reused", field="Idempotency-Key")
    if found.status_code is None:
        raise Conflict("idempotency_key_in_use")
    return Stored(found.status_code, found.response_body or "")


def finish(session: Session, claim: uuid.UUID, status_code: int, body: str) -> None:
    session.execute(update(IdempotencyKey).where(col(IdempotencyKey.id) == claim)
                    .values(status_code=status_code, response_body=body))
    session.commit()


def release(session: Session, claim: uuid.UUID) -> None:
    """The request failed on our side (5xx): a retry with the same key runs again."""
    session.execute(delete(IdempotencyKey).where(col(IdempotencyKey.id) == claim))
    session.commit()


def purge_expired(session: Session) -> int:
    result = session.execute(delete(IdempotencyKey).where(
        col(IdempotencyKey.created_at) < utcnow() - KEEP_FOR))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
