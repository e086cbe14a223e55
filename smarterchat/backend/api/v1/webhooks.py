"""/api/v1/webhooks: outgoing webhook endpoints, their delivery log, test and redelivery."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import (
    NOT_FOUND,
    PLAIN,
    ApiActor,
    Deleted,
    Page,
    PageDep,
    documented,
)
from smarterchat.backend.services import webhooks
from tasks.webhooks import enqueue

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

EventType = Literal["message.created", "conversation.status_changed", "conversation.assigned",
                    "lead.created", "lead.updated", "lead.stage_changed",
                    "lead.temperature_changed", "lead.won", "lead.lost"]


URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$"


class Endpoint(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    url: str
    description: str
    events: list[str]
    is_active: bool
    disabled_reason: str | None = Field(description="gone (410), failing (5 days), by_admin")
    failing_since: datetime | None
    created_at: datetime


class EndpointWithSecret(BaseModel):
    endpoint: Endpoint
    secret: str = Field(description="whsec_...: verify signatures with it; shown only now.")


class Endpoints(BaseModel):
    data: list[Endpoint]


class EndpointIn(BaseModel):
    url: str = Field(min_length=8, max_length=500, pattern=URL_PATTERN)
    events: list[EventType] = Field(min_length=1, max_length=10)
    description: str = Field("", max_length=200, pattern=PLAIN)


class EndpointPatch(BaseModel):
    url: str | None = Field(None, min_length=8, max_length=500, pattern=URL_PATTERN)
    events: list[EventType] | None = Field(None, min_length=1, max_length=10)
    description: str | None = Field(None, max_length=200, pattern=PLAIN)
    is_active: bool | None = None


class Delivery(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    event: str
    state: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    last_response: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class Queued(BaseModel):
    delivery_ids: list[str]


class RedeliverIn(BaseModel):
    """Every delivery created in [``since``, ``until``) (none when ``until`` is not later)."""

    since: AwareDatetime
    until: AwareDatetime


@router.get("", operation_id="listWebhookEndpoints", responses=documented())
def list_endpoints(actor: ApiActor, session: SessionDep) -> Endpoints:
    return Endpoints(data=[Endpoint.model_validate(e)
                           for e in webhooks.list_endpoints(session, actor)])


@router.post("", status_code=201, operation_id="createWebhookEndpoint", responses=documented())
def create_endpoint(body: EndpointIn, actor: ApiActor, session: SessionDep) -> EndpointWithSecret:
    created = webhooks.create_endpoint(session, actor, url=body.url, events=list(body.events),
                                       description=body.description)
    return EndpointWithSecret(endpoint=Endpoint.model_validate(created.endpoint),
                              secret=created.secret)


@router.get("/{endpoint_id}", operation_id="getWebhookEndpoint", responses=documented(NOT_FOUND))
def get_endpoint(endpoint_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Endpoint:
    return Endpoint.model_validate(webhooks.get_endpoint(session, actor, endpoint_id))


@router.patch("/{endpoint_id}", operation_id="updateWebhookEndpoint",
              responses=documented(NOT_FOUND))
def update_endpoint(endpoint_id: uuid.UUID, body: EndpointPatch, actor: ApiActor,
                    session: SessionDep) -> Endpoint:
    return Endpoint.model_validate(webhooks.update_endpoint(
        session, actor, endpoint_id, url=body.url,
        events=list(body.events) if body.events is not None else None,
        description=body.description, is_active=body.is_active))


@router.delete("/{endpoint_id}", operation_id="deleteWebhookEndpoint",
               responses=documented(NOT_FOUND))
def delete_endpoint(endpoint_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Deleted:
    webhooks.delete_endpoint(session, actor, endpoint_id)
    return Deleted(id=str(endpoint_id))


@router.post("/{endpoint_id}/rotate-secret", operation_id="rotateWebhookSecret",
             responses=documented(NOT_FOUND))
def rotate_secret(endpoint_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> EndpointWithSecret:
    """The previous secret keeps signing (a second signature) for 24 hours."""
    rotated = webhooks.rotate_secret(session, actor, endpoint_id)
    return EndpointWithSecret(endpoint=Endpoint.model_validate(rotated.endpoint),
                              secret=rotated.secret)


@router.post("/{endpoint_id}/test", status_code=202, operation_id="sendWebhookTest",
             responses=documented(NOT_FOUND))
def send_test(endpoint_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Queued:
    delivery_id = webhooks.send_test(session, actor, endpoint_id)
    enqueue([delivery_id])
    return Queued(delivery_ids=[str(delivery_id)])


@router.get("/{endpoint_id}/deliveries", operation_id="listWebhookDeliveries",
            responses=documented(NOT_FOUND))
def list_deliveries(endpoint_id: uuid.UUID, actor: ApiActor, session: SessionDep, cursor: PageDep,
                    state: Annotated[Literal["pending", "succeeded", "failed"] | None,
                                     Query()] = None) -> Page[Delivery]:
    rows, has_more = webhooks.deliveries(session, actor, endpoint_id, cursor, state=state)
    return Page[Delivery](data=[Delivery.model_validate(r) for r in rows], has_more=has_more)


@router.post("/{endpoint_id}/redeliver", status_code=202, operation_id="redeliverWebhookRange",
             responses=documented(NOT_FOUND))
def redeliver_range(endpoint_id: uuid.UUID, body: RedeliverIn, actor: ApiActor,
                    session: SessionDep) -> Queued:
    """The same ``webhook-id`` and body as before, with a fresh retry schedule."""
    ids = webhooks.redeliver(session, actor, endpoint_id, since=body.since, until=body.until)
    enqueue(ids)
    return Queued(delivery_ids=[str(i) for i in ids])


@router.post("/{endpoint_id}/deliveries/{delivery_id}/redeliver", status_code=202,
             operation_id="redeliverWebhook", responses=documented(NOT_FOUND))
def redeliver_one(endpoint_id: uuid.UUID, delivery_id: uuid.UUID, actor: ApiActor,
                  session: SessionDep) -> Queued:
    ids = webhooks.redeliver(session, actor, endpoint_id, delivery_id=delivery_id)
    enqueue(ids)
    return Queued(delivery_ids=[str(i) for i in ids])
