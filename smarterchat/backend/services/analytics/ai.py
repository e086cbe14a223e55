"""The AI's side: why it handed conversations to people, its budget, WhatsApp's billing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from smarterchat.backend.models import AIUsage, AuthorKind, Message, Organization
from smarterchat.backend.services.analytics import clocks
from smarterchat.backend.services.analytics.dto import Budget, Chart, Series
from smarterchat.backend.services.analytics.scope import Scope, in_period
from smarterchat.backend.services.analytics.series import scoped
from smarterchat.backend.services.transitions import Move


def handoffs(session: Session, f: sa.Table, scope: Scope) -> Chart:
    """Of the conversations started in the period with an AI agent, the share (%) the AI
    handed to people for each reason (a conversation handed over twice for two reasons
    counts under both)."""
    p = scope.period
    with_ai = sa.and_(clocks.started(f, p.start_s, p.end_s), f.c.agent_id.is_not(None))
    total = int(session.execute(sa.select(sa.func.count()).where(with_ai)).scalar_one())
    reason = col(Message.extra)["reason"].as_string()
    rows = session.execute(
        sa.select(reason, sa.func.count(sa.distinct(col(Message.conversation_id))))
        .join(f, f.c.conversation_id == col(Message.conversation_id))
        .where(col(Message.organization_id) == scope.org_id, col(Message.author_kind) == AuthorKind.SYSTEM,
               col(Message.content_type) == "event",
               col(Message.extra)["event"].as_string() == str(Move.HANDOFF), with_ai)
        .group_by(reason).order_by(sa.func.count(sa.distinct(col(Message.conversation_id))).desc())
    ).all()
    return Chart(key="handoffs", x=[str(r or "unknown") for r, _ in rows], series=[
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


def whatsapp(session: Session, scope: Scope) -> Chart:
    """Messages Meta bills, by its pricing category, from the status webhooks' ``pricing``."""
    p = scope.period
    pricing = col(Message.extra)["pricing"]
    category = pricing["category"].as_string()
    rows = session.execute(
        sa.select(category, sa.func.count())
        .where(col(Message.organization_id) == scope.org_id,
               in_period(col(Message.created_at), p.start, p.end), category.is_not(None),
               pricing["billable"].as_boolean().is_not(False),
               scoped(col(Message.conversation_id), scope))
        .group_by(category).order_by(category)).all()
    return Chart(key="whatsapp", x=[str(c) for c, _ in rows],
                 series=[Series(name="billable", values=[float(n) for _, n in rows])])
