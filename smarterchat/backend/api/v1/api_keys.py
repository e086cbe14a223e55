"""/api/v1/api-keys: the organisation's keys (admin scope, or an admin's own session)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import NAME, NOT_FOUND, ApiActor, documented
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import api_keys

router = APIRouter(prefix="/api/v1/api-keys", tags=["api keys"])


class ApiKey(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeys(BaseModel):
    data: list[ApiKey]


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=2, max_length=80, pattern=NAME)
    scopes: list[Literal["read", "write", "admin"]] = Field(min_length=1, max_length=3)
    expires_in_days: int | None = Field(None, ge=1, le=3650, description="None: never.")


class CreatedApiKey(BaseModel):
    key: ApiKey
    secret: str = Field(description="sc_live_...: the whole key, shown only now.")


@router.get("", operation_id="listApiKeys", responses=documented())
def list_keys(actor: ApiActor, session: SessionDep) -> ApiKeys:
    return ApiKeys(data=[ApiKey.model_validate(k) for k in api_keys.list_keys(session, actor)])


@router.post("", status_code=201, operation_id="createApiKey", responses=documented())
def create_key(body: ApiKeyIn, actor: ApiActor, session: SessionDep) -> CreatedApiKey:
    expires = utcnow() + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    created = api_keys.create_key(session, actor, name=body.name, scopes=list(body.scopes),
                                  expires_at=expires)
    return CreatedApiKey(key=ApiKey.model_validate(created.key), secret=created.secret)


@router.post("/{key_id}/revoke", operation_id="revokeApiKey", responses=documented(NOT_FOUND))
def revoke_key(key_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> ApiKey:
    return ApiKey.model_validate(api_keys.revoke_key(session, actor, key_id))
