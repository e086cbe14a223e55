"""The lead funnel of the period: leads created in it, by stage of a pipeline and temperature.

A pipeline's open stages, in board order, lead to its "won" stages; "lost" stages count
apart. A lead "reached" an open stage when it is now at that stage, a later open one or a
won one; a won stage is reached by the leads in it. Conversion is that share of all the
period's leads of the pipeline (merged-away duplicates left out). The funnel follows the
period, the channel (the lead's contact's) and the consultant (the lead's owner) filters;
it shows the default pipeline unless another is asked for.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import (
    Contact,
    Lead,
    Pipeline,
    PipelineStage,
    StageKind,
    Temperature,
)
from smarterchat.backend.services.analytics.dto import FunnelRow
from smarterchat.backend.services.analytics.scope import Scope, in_period


def _pipeline(session: Session, scope: Scope) -> uuid.UUID | None:
    query = sa.select(col(Pipeline.id)).where(col(Pipeline.organization_id) == scope.org_id)
    if scope.pipeline_id is not None:
        query = query.where(col(Pipeline.id) == scope.pipeline_id)
    found = session.execute(query.order_by(col(Pipeline.is_default).desc(),
                                           col(Pipeline.position)).limit(1)).scalar()
    return found


def _conditions(scope: Scope, pipeline_id: uuid.UUID) -> list[Any]:
    p = scope.period
    where = [col(Lead.organization_id) == scope.org_id, col(Lead.pipeline_id) == pipeline_id,
             col(Lead.merged_into_id).is_(None), in_period(col(Lead.created_at), p.start, p.end)]
    if scope.assignee_id is not None:
        where.append(col(Lead.owner_id) == scope.assignee_id)
    if scope.channel_id is not None:
        where.append(col(Lead.contact_id).in_(
            sa.select(col(Contact.id)).where(col(Contact.organization_id) == scope.org_id,
                                             col(Contact.channel_id) == scope.channel_id)))
    return where


def funnel(session: Session, scope: Scope) -> list[FunnelRow]:
    pipeline_id = _pipeline(session, scope)
    if pipeline_id is None:
        return []
    stages = session.execute(
        sa.select(col(PipelineStage.id), col(PipelineStage.name), col(PipelineStage.kind))
        .where(col(PipelineStage.pipeline_id) == pipeline_id)
        .order_by(col(PipelineStage.position))).all()
    rows = session.execute(
        sa.select(col(Lead.stage_id), col(Lead.temperature), sa.func.count(),
                  sa.func.coalesce(sa.func.sum(col(Lead.value_cents)), 0))
        .where(*_conditions(scope, pipeline_id))
        .group_by(col(Lead.stage_id), col(Lead.temperature))).all()
    counts: dict[Any, dict[str, int]] = {}
    values: dict[Any, int] = {}
    for stage_id, temperature, count, value in rows:
        counts.setdefault(stage_id, {})[temperature] = int(count)
        values[stage_id] = values.get(stage_id, 0) + int(value)

    def leads_in(stage_id: Any) -> int:
        return sum(counts.get(stage_id, {}).values())

    total = sum(leads_in(stage_id) for stage_id, _, _ in stages)
    won = sum(leads_in(stage_id) for stage_id, _, kind in stages if kind == StageKind.WON)
    open_ids = [stage_id for stage_id, _, kind in stages if kind == StageKind.OPEN]
    result = []
    for stage_id, name, kind in stages:
        if kind == StageKind.OPEN:
            later = open_ids[open_ids.index(stage_id):]
            reached = sum(leads_in(s) for s in later) + won
        else:
            reached = leads_in(stage_id)
        result.append(FunnelRow(
            stage=name, kind=kind, leads=leads_in(stage_id), reached=reached,
            conversion=round(100 * reached / total, 1) if total else None,
            by_temperature={str(t): counts.get(stage_id, {}).get(t, 0) for t in Temperature},
            value_cents=values.get(stage_id, 0)))
    return result
