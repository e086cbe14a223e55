"""/api/v1/leads and /api/v1/pipelines: the CRM as the kanban shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import (
    CONFLICT,
    NOT_FOUND,
    PLAIN,
    SOMETHING,
    ApiActor,
    Ok,
    Page,
    PageDep,
    documented,
)
from smarterchat.backend.services import public_api
from smarterchat.backend.services.crm import actions as crm_actions
from smarterchat.backend.services.crm import conversation_lead
from smarterchat.backend.services.crm import merge as crm_merge
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


class LeadIn(BaseModel):
    """A lead typed by hand, as on the board: a contact of one of the organisation's channels
    (the phone, digits only, is its WhatsApp id) and its lead in the default pipeline's first
    stage, owned by the key (or person) creating it."""

    model_config = ConfigDict(extra="forbid")
    channel_id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=300, pattern=SOMETHING)]
    phone: Annotated[str, Field(pattern=r"^\+?[0-9]{10,15}$",
                                description="International, digits only: +5511987654321.")]
    email: Annotated[str, Field(max_length=254,
                                pattern=r"^$|^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")] = ""
    company: FieldText = ""
    value_cents: int | None = Field(None, ge=0, le=10**13)


class NoteIn(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=5000, pattern=SOMETHING)]


class MergeIn(BaseModel):
    """``other_id`` is merged into ``kept_id``: the kept lead fills its blanks from the other,
    which stays (hidden from lists), pointing at it; both histories are kept."""

    kept_id: uuid.UUID
    other_id: uuid.UUID


class Merged(BaseModel):
    id: str = Field(description="The merge's id, to undo it.")
    kept_id: str
    other_id: str


class MergeSuggestion(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kept_id: str = Field(description="The older lead.")
    other_id: str
    kept_name: str
    other_name: str
    reason: Literal["phone", "email", "external_id"]


class MergeSuggestions(BaseModel):
    data: list[MergeSuggestion]


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


@router.post("/leads", tags=["leads"], status_code=201, operation_id="createLead",
             responses=documented(NOT_FOUND, CONFLICT))
def create_lead(body: LeadIn, actor: ApiActor, session: SessionDep) -> Lead:
    """404: the channel is not the organisation's; 409 ``lead_exists``: that contact has a lead."""
    lead_id = conversation_lead.create_by_hand(
        session, actor, channel_id=body.channel_id, name=body.name, phone=body.phone,
        email=body.email, company=body.company, value_cents=body.value_cents)
    return _lead(actor, session, uuid.UUID(lead_id))


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


@router.post("/leads/{lead_id}/notes", tags=["leads"], status_code=201,
             operation_id="addLeadNote", responses=documented(NOT_FOUND))
def add_note(lead_id: uuid.UUID, body: NoteIn, actor: ApiActor, session: SessionDep) -> Ok:
    """A note on the lead's timeline, written as the key."""
    crm_actions.add_note(session, actor, lead_id, body.text)
    return Ok()


@router.put("/leads/{lead_id}/owner", tags=["leads"], operation_id="setLeadOwner",
            responses=documented(NOT_FOUND))
def set_owner(lead_id: uuid.UUID, body: OwnerIn, actor: ApiActor, session: SessionDep) -> Lead:
    crm_actions.set_owner(session, actor, lead_id, body.owner_id)
    return _lead(actor, session, lead_id)


@router.get("/pipelines", tags=["leads"], operation_id="listPipelines", responses=documented())
def list_pipelines(actor: ApiActor, session: SessionDep) -> Pipelines:
    return Pipelines(data=[Pipeline.model_validate(p)
                           for p in crm_pipelines.list_pipelines(session, actor)])


@router.get("/lead-merges/suggestions", tags=["leads"], operation_id="listMergeSuggestions",
            responses=documented())
def merge_suggestions(actor: ApiActor, session: SessionDep) -> MergeSuggestions:
    """Pairs of leads whose contacts share a phone, an e-mail or a WhatsApp id (up to 50)."""
    return MergeSuggestions(data=[MergeSuggestion.model_validate(s)
                                  for s in crm_merge.suggestions(session, actor)])


@router.post("/lead-merges", tags=["leads"], status_code=201, operation_id="mergeLeads",
             responses=documented(NOT_FOUND))
def merge_leads(body: MergeIn, actor: ApiActor, session: SessionDep) -> Merged:
    """Audited; undo it with ``POST /lead-merges/{merge_id}/undo``. 422 ``merge_same_lead``."""
    merge_id = crm_merge.merge(session, actor, body.kept_id, body.other_id)
    return Merged(id=merge_id, kept_id=str(body.kept_id), other_id=str(body.other_id))


@router.post("/lead-merges/{merge_id}/undo", tags=["leads"], operation_id="undoLeadMerge",
             responses=documented(NOT_FOUND, CONFLICT))
def undo_merge(merge_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Ok:
    """The kept lead gets back exactly what it had; 409 ``merge_already_undone``."""
    crm_merge.undo(session, actor, merge_id)
    return Ok()
