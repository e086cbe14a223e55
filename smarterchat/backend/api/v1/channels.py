"""/api/v1/channels: list the organisation's channels, enable or disable one (admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import NOT_FOUND, ApiActor, documented
from smarterchat.backend.services import channels

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])


class Channel(BaseModel):
    """Secrets are never returned, not even masked."""

    model_config = ConfigDict(from_attributes=True)
    id: str
    kind: str
    name: str
    is_active: bool
    agent_id: str | None
    external_id: str | None
    webhook_url: str
    widget_url: str


class Channels(BaseModel):
    data: list[Channel]


@router.get("", operation_id="listChannels", responses=documented())
def list_channels(actor: ApiActor, session: SessionDep) -> Channels:
    return Channels(data=[Channel.model_validate(c)
                          for c in channels.list_channels(session, actor)])


@router.get("/{channel_id}", operation_id="getChannel", responses=documented(NOT_FOUND))
def get_channel(channel_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Channel:
    return Channel.model_validate(channels.get_channel(session, actor, channel_id))


@router.post("/{channel_id}/enable", operation_id="enableChannel",
             responses=documented(NOT_FOUND))
def enable(channel_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Channel:
    return Channel.model_validate(channels.update_channel(session, actor, channel_id,
                                                          is_active=True))


@router.post("/{channel_id}/disable", operation_id="disableChannel",
             responses=documented(NOT_FOUND))
def disable(channel_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Channel:
    return Channel.model_validate(channels.update_channel(session, actor, channel_id,
                                                          is_active=False))
