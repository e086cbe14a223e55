"""The AI's side: why it handed conversations to people, its budget, WhatsApp's billing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import AIUsage, Organization
from smarterchat.backend.services.analytics import clocks
from smarterchat.backend.services.analytics.dto import Budget, Chart, Series
from smarterchat.backend.services.analytics.scope import Scope


def handoffs(session: Session, f: sa.Table, scope: Scope) -> Chart:
    """Of the conversations started in the period with an AI agent, the share (%) the AI
    handed to people, by reason (one reason per conversation: see ``facts``)."""
    p = scope.period
    with_ai = sa.and_(clocks.started(f, p.start_s, p.end_s), f.c.agent_id.is_not(None))
    total = int(session.execute(sa.select(sa.func.count()).where(with_ai)).scalar_one())
    rows = session.execute(
        sa.select(f.c.handoff_reason, sa.func.count())
        .where(with_ai, f.c.handoff_reason.is_not(None))
        .group_by(f.c.handoff_reason).order_by(sa.func.count().desc(), f.c.handoff_reason)
    ).all()
    return Chart(key="handoffs", x=[str(reason) for reason, _ in rows], series=[
        Series(name="handoff_rate",
               values=[round(100 * n / total, 1) if total else 0.0 for _, n in rows])])


def budget(session: Session, scope: Scope) -> Budget:
    """This calendar month's AI spend (UTC month, as the budget stop counts it)."""
    month = scope.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    spend = session.execute(sa.select(sa.func.coalesce(sa.func.sum(col(AIUsage.cost_micro_usd)), 0))
                            .where(col(AIUsage.organization_id) == scope.org_id,
                                   col(AIUsage.created_at) >= month)).scalar_one()
    org: Organization = scope.organization
    return Budget(month_spend_micro_usd=int(spend), monthly_budget_cents=org.monthly_ai_budget_cents)
