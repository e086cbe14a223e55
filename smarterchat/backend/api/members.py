"""/api/v1/members: people of the organisation (admins change them)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from smarterchat.backend.api.deps import CurrentActor, SessionDep
from smarterchat.backend.api.v1.common import NOT_FOUND, documented
from smarterchat.backend.services import users
from smarterchat.backend.services.errors import InvalidInput

router = APIRouter(prefix="/api/v1/members", tags=["members"])


class MemberIn(BaseModel):
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    role: str = Field(max_length=24)
    password: str | None = Field(default=None, max_length=200)


class MemberPatch(BaseModel):
    role: str | None = Field(default=None, max_length=24)
    is_active: bool | None = None


@router.post("", status_code=201, operation_id="createMember", responses=documented())
def create_member(body: MemberIn, actor: CurrentActor, session: SessionDep) -> dict[str, Any]:
    created = users.create_member(session, actor, **body.model_dump())
    return {"member": created.member.__dict__, "temporary_password": created.temporary_password}


@router.patch("/{membership_id}", operation_id="updateMember",
              responses=documented(NOT_FOUND))
def update_member(membership_id: str, body: MemberPatch, actor: CurrentActor,
                  session: SessionDep) -> dict[str, Any]:
    # One change per request, so a refusal never leaves half of a request applied.
    if (body.role is None) == (body.is_active is None):
        raise InvalidInput("one_change_per_request")
    if body.role is not None:
        member = users.change_role(session, actor, membership_id, body.role)
    else:
        member = users.set_active(session, actor, membership_id, bool(body.is_active))
    return {"member": member.__dict__}
