"""The lead funnel of the period: leads created in it, by stage and temperature.

Stages follow the way to a sale (new, contacted, qualified, proposal, won); "lost" is
counted apart. A lead "reached" a stage when it is now at that stage or a later one of the
way; conversion is that share of all the period's leads. The funnel follows the period,
the channel (the lead's contact's) and the consultant (the lead's owner) filters.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import Contact, Lead, Stage, Temperature
from smarterchat.backend.services.analytics.dto import FunnelRow
from smarterchat.backend.services.analytics.scope import Scope, in_period

WAY = (Stage.NEW, Stage.CONTACTED, Stage.QUALIFIED, Stage.PROPOSAL, Stage.WON)


def _conditions(scope: Scope) -> list[Any]:
    p = scope.period
    where = [col(Lead.organization_id) == scope.org_id, in_period(col(Lead.created_at), p.start, p.end)]
    if scope.assignee_id is not None:
        where.append(col(Lead.owner_id) == scope.assignee_id)
    if scope.channel_id is not None:
        where.append(col(Lead.contact_id).in_(
            sa.select(col(Contact.id)).where(col(Contact.organization_id) == scope.org_id,
                                        col(Contact.channel_id) == scope.channel_id)))
    return where


def funnel(session: Session, scope: Scope) -> list[FunnelRow]:
    rows = session.execute(
        sa.select(col(Lead.stage), col(Lead.temperature), sa.func.count(),
                  sa.func.coalesce(sa.func.sum(col(Lead.value_cents)), 0))
        .where(*_conditions(scope)).group_by(col(Lead.stage), col(Lead.temperature))).all()
    counts: dict[str, dict[str, int]] = {}
    values: dict[str, int] = {}
    for stage, temperature, count, value in rows:
        counts.setdefault(stage, {})[temperature] = int(count)
        values[stage] = values.get(stage, 0) + int(value)
    total = sum(sum(by.values()) for by in counts.values())
    result = []
    for index, stage in enumerate((*WAY, Stage.LOST)):
        leads = sum(counts.get(stage, {}).values())
        reached = leads if stage == Stage.LOST else sum(
            sum(counts.get(later, {}).values()) for later in WAY[index:])
        result.append(FunnelRow(
            stage=str(stage), leads=leads, reached=reached,
            conversion=round(100 * reached / total, 1) if total else None,
            by_temperature={str(t): counts.get(stage, {}).get(t, 0) for t in Temperature},
            value_cents=values.get(stage, 0)))
    return result
