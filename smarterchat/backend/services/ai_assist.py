"""The AI helping people: reply suggestions for a consultant, and the agent page's "try
it" panel, which runs a draft of the agent without saving it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from smarterchat.backend.ai import policy
from smarterchat.backend.ai.brain import AgentConfig, Context, OfflineBrain, Turn
from smarterchat.backend.ai.llm import LLMError
from smarterchat.backend.ai.policy import Decision
from smarterchat.backend.ai.types import Usage
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import Channel, Conversation, Organization
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import agents
from smarterchat.backend.services.ai_context import build_context
from smarterchat.backend.services.ai_turn import HANDOFF_TEXT, handoff_text
from smarterchat.backend.services.ai_usage import brain_for, record_usage
from smarterchat.backend.services.business_hours import in_business_hours
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id


def suggest(session: Session, actor, conversation_id: RecordId, count: int = 3) -> list[str]:
    """Replies a consultant could send next, drafted from the thread and the knowledge."""
    actor.require(Permission.CONVERSATIONS_REPLY)
    conversation = session.exec(select(Conversation).where(
        Conversation.id == parse_id(conversation_id),
        Conversation.organization_id == actor.require_org())).first()
    if conversation is None:
        raise NotFound()
    org = linked_row(session, Organization, conversation.organization_id)
    channel = linked_row(session, Channel, conversation.channel_id)
    agent_id = conversation.agent_id or channel.agent_id
    agent = agents.load_config(session, agent_id) if agent_id else None
    if agent is None:
        return []
    ctx, pending = build_context(session, conversation, agent, channel)
    if not ctx.question:  # nothing unanswered: draft for the last customer message
        ctx.question = ctx.customer_texts[-1] if ctx.customer_texts else ""
    try:
        replies, usages = brain_for(org, agent).suggest(ctx, count)
    except LLMError:
        replies, usages = OfflineBrain().suggest(ctx, count)
    record_usage(session, org.id, uuid.UUID(agent.id), conversation.id, "suggest", usages)
    session.commit()
    return replies


@dataclass
class PreviewTurn:
    customer: str
    reply: str
    handoff: bool
    reason: str | None
    intent: str
    confidence: float
    sources: list[str]


def preview(session: Session, actor, agent_id: RecordId, draft: dict[str, Any],
            messages: list[str]) -> list[PreviewTurn]:
    """The "try it" panel: the agent as configured in ``draft`` (not saved) answers a short
    chat. Nothing is stored but the model usage."""
    actor.require(Permission.AGENTS_MANAGE)
    base = agents.get_agent(session, actor, agent_id)
    org = linked_row(session, Organization, actor.require_org())
    values = agents.clean_settings(draft)
    config = AgentConfig(id=base.id, organization_id=str(org.id), organization_name=org.name,
                         name=values.get("name", base.name),
                         persona=values.get("persona", base.persona),
                         tone=values.get("tone", base.tone),
                         system_message=values.get("system_message", base.system_message),
                         business_facts=values.get("business_facts", base.business_facts),
                         rules=values.get("rules", base.rules),
                         greeting=values.get("greeting", base.greeting),
                         fallback_message=values.get("fallback_message", base.fallback_message),
                         handoff_rules=values.get("handoff_rules", base.handoff_rules),
                         model=values.get("model", base.model) or None,
                         temperature=values.get("temperature", base.temperature))
    messages = [m.strip() for m in messages if m and m.strip()][-10:]
    if not messages:
        raise InvalidInput("empty_message")
    brain = brain_for(org, config)
    passages = agents.passages(session, uuid.UUID(base.id))
    history: list[Turn] = []
    turns: list[PreviewTurn] = []
    usages: list[Usage] = []
    for i, text in enumerate(messages):
        ctx = Context(agent=config, history=list(history), question=text,
                      customer_texts=messages[: i + 1], passages=passages, first_turn=i == 0)
        try:
            cls, used = brain.classify(ctx)
            usages += used
            decision = policy.decide(config.handoff_rules, cls, text, history,
                                     open_now=in_business_hours(org))
            if decision.handoff:
                reply = handoff_text(config.handoff_rules, decision.reason, cls.language)
                sources: list[dict[str, Any]] = []
            else:
                answer, used = brain.answer(ctx, cls)
                usages += used
                reply, sources = answer.text, answer.sources
        except LLMError:
            cls, decision = None, Decision(True, "ai_unavailable")
            reply, sources = HANDOFF_TEXT["pt-BR"], []
        turns.append(PreviewTurn(text, reply, decision.handoff, decision.reason,
                                 cls.intent.value if cls else "", cls.confidence if cls else 0.0,
                                 [s["title"] for s in sources]))
        history += [Turn("customer", text), Turn("assistant", reply)]
        if decision.handoff:
            break
    record_usage(session, org.id, uuid.UUID(base.id), None, "preview", usages)
    session.commit()
    return turns
