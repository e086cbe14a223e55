"""/api/v1/contacts/{id}/export and /erase: a customer's LGPD rights, for admins."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Response
from pydantic import BaseModel

from smarterchat.backend.api.deps import CurrentActor, SessionDep
from smarterchat.backend.services import privacy

router = APIRouter(prefix="/api/v1/contacts", tags=["privacy"])

_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or an invalid access token."},
    403: {"description": "Only an admin of the organisation may do this."},
    404: {"description": "No such contact in this organisation."},
}


class ErasureOut(BaseModel):
    contact_id: str
    conversations: int
    messages: int
    media_files: int


@router.get("/{contact_id}/export", responses={
    200: {"description": "Everything held about the contact, one JSON file (media as base64).",
          "content": {"application/json": {}}}, **_REFUSALS})
def export_contact(contact_id: str, actor: CurrentActor, session: SessionDep) -> Response:
    document = privacy.export_contact(session, actor, contact_id)
    return Response(orjson.dumps(document), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="contato-{document["contact"]["id"]}.json"'})


@router.post("/{contact_id}/erase", responses=_REFUSALS)
def erase_contact(contact_id: str, actor: CurrentActor, session: SessionDep) -> ErasureOut:
    erased = privacy.erase_contact(session, actor, contact_id)
    return ErasureOut(**erased.__dict__)
