"""/api/v1/leads and /api/v1/pipelines: the CRM as the kanban shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import NOT_FOUND, PLAIN, ApiActor, Page, PageDep, documented
from smarterchat.backend.services import public_api
from smarterchat.backend.services.crm import actions as crm_actions
from smarterchat.backend.services.crm import pipelines as crm_pipelines

router = APIRouter(prefix="/api/v1")

Temperature = Literal["cold", "warm", "hot"]


class Lead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    contact_id: str
    pipeline_id: str
    stage_id: str
    owner_id: str | None
    temperature: str
    value_cents: int | None
    source: str
    lost_reason: str | None
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    stage_changed_at: datetime
    closed_at: datetime | None


FieldText = Annotated[str, Field(max_length=300, pattern=PLAIN)]


class LeadFields(BaseModel):
    """What the AI reads from conversations (or a person types); empty clears one."""

    model_config = ConfigDict(extra="forbid")
    name: FieldText | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^$|^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")] | None = None
    phone: FieldText | None = None
    company: FieldText | None = None
    interest: FieldText | None = None
    budget: FieldText | None = None
    urgency: FieldText | None = None


class LeadPatch(BaseModel):
    value_cents: int | None = Field(None, ge=0, le=10**13)
    clear_value: bool = False
    fields: LeadFields | None = None


class MoveIn(BaseModel):
    """A won stage needs a value (now or already known); a lost stage needs a reason."""

    stage_id: uuid.UUID
    value_cents: int | None = Field(None, ge=0, le=10**13)
    lost_reason: str = Field("", max_length=500, pattern=PLAIN)


class OwnerIn(BaseModel):
    owner_id: uuid.UUID | None = None


class Stage(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    kind: str
    color: str
    position: int
    stale_days: int | None


class Pipeline(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    is_default: bool
    stages: list[Stage]


class Pipelines(BaseModel):
    data: list[Pipeline]


def _lead(actor: ApiActor, session: SessionDep, lead_id: uuid.UUID) -> Lead:
    return Lead.model_validate(public_api.lead(session, actor, lead_id))


@router.get("/leads", tags=["leads"], operation_id="listLeads", responses=documented(NOT_FOUND))
def list_leads(actor: ApiActor, session: SessionDep, cursor: PageDep,
               pipeline_id: uuid.UUID | None = None,
               stage_id: uuid.UUID | None = None,
               owner_id: uuid.UUID | None = None,
               temperature: Temperature | None = None) -> Page[Lead]:
    found = public_api.leads(session, actor, cursor, pipeline_id=pipeline_id, stage_id=stage_id,
                             owner_id=owner_id, temperature=temperature)
    return Page[Lead](data=[Lead.model_validate(lead) for lead in found.items],
                      has_more=found.has_more)


@router.get("/leads/{lead_id}", tags=["leads"], operation_id="getLead",
            responses=documented(NOT_FOUND))
def get_lead(lead_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Lead:
    return _lead(actor, session, lead_id)


@router.patch("/leads/{lead_id}", tags=["leads"], operation_id="updateLead",
              responses=documented(NOT_FOUND))
def update_lead(lead_id: uuid.UUID, body: LeadPatch, actor: ApiActor, session: SessionDep) -> Lead:
    crm_actions.update(session, actor, lead_id, value_cents=body.value_cents,
                       clear_value=body.clear_value,
                       fields=body.fields.model_dump(exclude_none=True) if body.fields else None)
    return _lead(actor, session, lead_id)


@router.post("/leads/{lead_id}/move", tags=["leads"], operation_id="moveLead",
             responses=documented(NOT_FOUND))
def move_lead(lead_id: uuid.UUID, body: MoveIn, actor: ApiActor, session: SessionDep) -> Lead:
    """To the end of another stage (of any pipeline of the organisation)."""
    crm_actions.move(session, actor, lead_id, body.stage_id, value_cents=body.value_cents,
                     lost_reason=body.lost_reason)
    return _lead(actor, session, lead_id)


@router.put("/leads/{lead_id}/owner", tags=["leads"], operation_id="setLeadOwner",
            responses=documented(NOT_FOUND))
def set_owner(lead_id: uuid.UUID, body: OwnerIn, actor: ApiActor, session: SessionDep) -> Lead:
    crm_actions.set_owner(session, actor, lead_id, body.owner_id)
    return _lead(actor, session, lead_id)


@router.get("/pipelines", tags=["leads"], operation_id="listPipelines", responses=documented())
def list_pipelines(actor: ApiActor, session: SessionDep) -> Pipelines:
    return Pipelines(data=[Pipeline.model_validate(p)
                           for p in crm_pipelines.list_pipelines(session, actor)])
