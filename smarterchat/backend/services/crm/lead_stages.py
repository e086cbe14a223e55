"""What the inbox list needs of leads: the stage badge of each row and the stage filter
(both in SQL, for one page of conversations at a time)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from smarterchat.backend.models import Lead, Pipeline, PipelineStage
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import parse_id


def contacts_in(org_id: uuid.UUID, stage_id: str) -> Any:
    """The contacts whose lead stands in the stage (a subquery for the inbox's filter)."""
    return select(Lead.contact_id).where(Lead.organization_id == org_id,
                                         Lead.stage_id == parse_id(stage_id),
                                         col(Lead.merged_into_id).is_(None))


def stage_names(session: Session, org_id: uuid.UUID,
                contact_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not contact_ids:
        return {}
    rows = session.exec(select(Lead.contact_id, PipelineStage.name)
                        .join(PipelineStage, col(PipelineStage.id) == Lead.stage_id)
                        .where(Lead.organization_id == org_id,
                               col(Lead.contact_id).in_(contact_ids))).all()
    return dict(rows)


def stage_options(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """Every stage of the organisation's pipelines, for the inbox's filter."""
    actor.require(Permission.CONVERSATIONS_VIEW)
    rows = session.exec(select(PipelineStage.id, PipelineStage.name, Pipeline.name)
                        .join(Pipeline, col(Pipeline.id) == PipelineStage.pipeline_id)
                        .where(PipelineStage.organization_id == actor.require_org())
                        .order_by(col(Pipeline.is_default).desc(), col(Pipeline.position),
                                  col(PipelineStage.position))).all()
    many = len({p for *_, p in rows}) > 1
    return [(str(i), f"{p} · {n}" if many else n) for i, n, p in rows]
