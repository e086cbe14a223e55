"""/api/v1/members: people of the organisation (admins change them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from smarterchat.backend.api.deps import CurrentActor, SessionDep
from smarterchat.backend.api.v1.common import NOT_FOUND, documented
from smarterchat.backend.services import accounts, users
from smarterchat.backend.services.errors import InvalidInput

router = APIRouter(prefix="/api/v1/members", tags=["members"])


class MemberIn(BaseModel):
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    role: str = Field(max_length=24)


class InvitationOut(BaseModel):
    """Only what the admin sent: the same answer whether the address has an account."""

    email: str
    name: str
    role: str
    expires_at: datetime


class MemberPatch(BaseModel):
    role: str | None = Field(default=None, max_length=24)
    is_active: bool | None = None


@router.post("", status_code=202, response_model=dict[str, InvitationOut],
             operation_id="inviteMember", responses=documented())
def invite_member(body: MemberIn, actor: CurrentActor, session: SessionDep) -> dict[str, Any]:
    """Invite a person by e-mail; they join when they accept (after signing in, if they
    have an account already)."""
    invitation = accounts.invite(session, actor, **body.model_dump())
    return {"invitation": InvitationOut(**invitation.__dict__)}


@router.post("/{membership_id}/end-sessions")
def end_sessions(membership_id: str, actor: CurrentActor, session: SessionDep) -> dict[str, Any]:
    """Sign the member out of this organisation on every device."""
    return {"member": users.end_sessions(session, actor, membership_id).__dict__}


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
