"""/api/v1/{kind}: tenant-scoped reads of the organisation's records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from smarterchat.backend.api.deps import CurrentActor, SessionDep
from smarterchat.backend.services import records

router = APIRouter(prefix="/api/v1", tags=["records"])


@router.get("/{kind}")
def list_records(kind: str, request: Request, actor: CurrentActor, session: SessionDep,
                 offset: Annotated[int, Query(ge=0, le=records.MAX_BIGINT)] = 0,
                 limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """Newest first. Any other query parameter filters by equality on a visible field:
    ``/api/v1/inbound_events?status=failed``, ``/api/v1/conversations?assignee_id=...``."""
    filters = {k: v for k, v in request.query_params.items() if k not in ("offset", "limit")}
    items, total = records.list_page(session, actor, kind, offset=offset, limit=limit,
                                     filters=filters)
    return {"data": items, "count": total}


@router.get("/{kind}/{record_id}")
def get_record(kind: str, record_id: str, actor: CurrentActor, session: SessionDep) -> dict[str, Any]:
    return records.get(session, actor, kind, record_id)
