"""What the AI costs: which model an organisation's agent talks to, every call's tokens
and price, and the monthly budget that stops the AI when it is spent."""

from __future__ import annotations

import logging
import uuid

from sqlmodel import Session, func, select

from smarterchat.backend.ai import llm
from smarterchat.backend.ai.brain import AgentConfig, Brain, LLMBrain, OfflineBrain
from smarterchat.backend.ai.types import Usage
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import AIUsage, AuditLog, Organization
from smarterchat.backend.models.base import utcnow

log = logging.getLogger(__name__)


def brain_for(org: Organization, agent: AgentConfig | None = None) -> Brain:
    config = llm.config_for(org.openai_api_key, org.openai_base_url, org.openai_model)
    if config is None:
        return OfflineBrain()
    return LLMBrain(llm.Chat(config, model=(agent.model if agent else None) or None))


def provider_name(org: Organization) -> str:
    return brain_for(org).provider


def cost_micro_usd(usage: Usage) -> int:
    if usage.provider == "offline":
        return 0
    s = get_settings()
    return round(usage.prompt_tokens * s.ai_price_input_per_mtok_usd
                 + usage.completion_tokens * s.ai_price_output_per_mtok_usd)


def record_usage(session: Session, org_id: uuid.UUID, agent_id: uuid.UUID | None,
                 conversation_id: uuid.UUID | None, purpose: str,
                 usages: list[Usage]) -> None:
    for u in usages:
        session.add(AIUsage(organization_id=org_id, agent_id=agent_id,
                            conversation_id=conversation_id, provider=u.provider, model=u.model,
                            purpose=purpose, prompt_tokens=u.prompt_tokens,
                            completion_tokens=u.completion_tokens, cost_micro_usd=cost_micro_usd(u)))


def month_spend_micro_usd(session: Session, org_id: uuid.UUID) -> int:
    now = utcnow()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return session.exec(select(func.coalesce(func.sum(AIUsage.cost_micro_usd), 0)).where(
        AIUsage.organization_id == org_id, AIUsage.created_at >= start)).one()


def budget_exhausted(session: Session, org: Organization) -> bool:
    if org.monthly_ai_budget_cents is None:
        return False
    return month_spend_micro_usd(session, org.id) >= org.monthly_ai_budget_cents * 10_000


def alert_budget(session: Session, org: Organization) -> bool:
    """Record the alert once a month (audit log; the dashboard shows the latest alert);
    True the first time, when the caller e-mails the admins after its commit."""
    now = utcnow()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    seen = session.exec(select(AuditLog.id).where(
        AuditLog.organization_id == org.id, AuditLog.action == "ai.budget_exhausted",
        AuditLog.created_at >= start)).first()
    if not seen:
        session.add(AuditLog(organization_id=org.id, action="ai.budget_exhausted",
                             details={"budget_cents": org.monthly_ai_budget_cents}))
        log.warning("AI budget exhausted", extra={"organization_id": str(org.id)})
        return True
    return False
