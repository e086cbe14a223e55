"""The AI's turn in a conversation: read, classify, decide, answer or hand off.

Called by a task a moment after a customer writes (a burst of messages becomes one
turn). Every model call is recorded with its tokens and cost; when the monthly budget
is spent, or the model fails, the conversation goes to a person with a polite message:
a customer is never left without an answer. Just before anything is sent, the
conversation is locked and checked to still be the AI's: a consultant who took it over
while the model was thinking wins, and nothing is sent.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from smarterchat.backend import events, observability
from smarterchat.backend.ai import policy
from smarterchat.backend.ai.brain import AgentConfig, Answer, LLMBrain
from smarterchat.backend.ai.llm import LLMError
from smarterchat.backend.ai.policy import Decision
from smarterchat.backend.ai.types import Classification, Usage
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import linked_row, session_scope
from smarterchat.backend.models import (
    AuthorKind,
    Channel,
    Conversation,
    ConversationStatus,
    Message,
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import agents, leads, outbound, transitions
from smarterchat.backend.services.ai_context import build_context
from smarterchat.backend.services.ai_usage import (
    alert_budget,
    brain_for,
    budget_exhausted,
    record_usage,
)
from smarterchat.backend.services.notices import notify_admins
from smarterchat.i18n import LOCALES, translate

log = logging.getLogger(__name__)

# What the customer is told when the agent has no words of its own, by language.
HANDOFF_TEXT = {locale: translate("conversation.ai_handoff", locale) for locale in LOCALES}
OUTSIDE_HOURS_TEXT = {locale: translate("conversation.ai_outside_hours", locale)
                      for locale in LOCALES}


@dataclass
class TurnResult:
    sent: bool  # a message was queued for the customer
    decision: Decision | None = None
    reply: str = ""
    dropped: bool = False  # a consultant took over while the AI was thinking


def in_business_hours(org: Organization, at: datetime | None = None) -> bool:
    """Organisation hours as {"mon": ["09:00", "18:00"], ...}; none configured means always."""
    hours = org.business_hours or {}
    if not hours:
        return True
    local = (at or utcnow()).astimezone(ZoneInfo(org.timezone or "America/Sao_Paulo"))
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()]
    span = hours.get(day)
    if not span:
        return False
    return span[0] <= local.strftime("%H:%M") < span[1]


def handoff_text(rules: dict[str, Any], reason: str | None, language: str) -> str:
    """What the customer is told when a person takes over, in the agent's words if it has some."""
    if reason == "outside_hours":
        return rules.get("outside_hours_message") or OUTSIDE_HOURS_TEXT[language]
    return rules.get("handoff_message") or HANDOFF_TEXT[language]

def respond(conversation_id: uuid.UUID) -> TurnResult:
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or conversation.status != ConversationStatus.BOT:
            return TurnResult(sent=False)
        org = linked_row(session, Organization, conversation.organization_id)
        if not org.is_active:  # suspended: no AI work (and no model spend)
            return TurnResult(sent=False)
        channel = linked_row(session, Channel, conversation.channel_id)
        agent_id = conversation.agent_id or channel.agent_id
        agent = agents.load_config(session, agent_id) if agent_id else None
        if agent is None:
            return _finish(conversation_id, None, Decision(True, "no_agent"), "pt-BR", [],
                           cursor=utcnow())
        ctx, pending = build_context(session, conversation, agent, channel)
        if not pending:
            return TurnResult(sent=False)
        cursor = max(m.created_at for m in pending)
        if budget_exhausted(session, org):
            first_alert = alert_budget(session, org)
            observability.AI_BUDGET_EXHAUSTED.inc()
            session.commit()
            if first_alert:
                notify_admins(session, org.id, "ai_budget",
                              budget=f"{(org.monthly_ai_budget_cents or 0) / 100:.2f}")
            return _finish(conversation_id, agent, Decision(True, "budget_exhausted"),
                           "pt-BR", [], cursor=cursor)
        brain = brain_for(org, agent)
        open_now = in_business_hours(org)
    usages: list[Usage] = []
    language = "pt-BR"
    try:
        one_call = get_settings().ai_one_call_turns and isinstance(brain, LLMBrain)
        if isinstance(brain, LLMBrain) and one_call:  # classification and reply from one model call
            cls, answer, used = brain.turn(ctx)
        else:
            (cls, used), answer = brain.classify(ctx), Answer("", [], False)
        usages += used
        language = cls.language
        decision = policy.decide(agent.handoff_rules, cls, ctx.question, ctx.history,
                                 open_now=open_now)
        if not decision.handoff:
            if not one_call:
                answer, used = brain.answer(ctx, cls)
                usages += used
            decision.sources, decision.fallback = answer.sources, answer.fallback
    except LLMError as exc:
        log.warning("AI provider failed; handing off", extra={
            "conversation_id": str(conversation_id), "error": str(exc)})
        return _finish(conversation_id, agent, Decision(True, "ai_unavailable"), language,
                       usages, cursor=cursor)
    result = _finish(conversation_id, agent, decision, language, usages, cursor=cursor,
                     reply=None if decision.handoff else answer.text)
    _update_lead(conversation_id, cls)
    return result


def _finish(conversation_id: uuid.UUID, agent: AgentConfig | None, decision: Decision,
            language: str, usages: list[Usage], *, cursor: datetime,
            reply: str | None = None) -> TurnResult:
    """Record usage, then send the reply or hand off, if the conversation is still the AI's."""
    with session_scope() as session:
        conversation = session.exec(select(Conversation).where(Conversation.id == conversation_id)
                                    .with_for_update()).one()
        agent_uuid = uuid.UUID(agent.id) if agent else None
        record_usage(session, conversation.organization_id, agent_uuid, conversation.id,
                     "reply", usages)
        if conversation.status != ConversationStatus.BOT:
            session.commit()  # the usage is real even though nothing is sent
            log.info("conversation taken over while the AI was answering; reply dropped",
                     extra={"conversation_id": str(conversation_id)})
            return TurnResult(sent=False, decision=decision, dropped=True)
        conversation.ai_cursor_at = cursor
        meta = {"ai": {**asdict(decision), "provider": usages[0].provider if usages else
                       "offline"}}
        change = None
        if decision.handoff:
            text = handoff_text(agent.handoff_rules if agent else {}, decision.reason, language)
            change = transitions.hand_to_human(session, conversation, decision.reason)
        else:
            text = reply or ""
        message = outbound.queue_message(session, conversation, OutboundContent(text=text),
                                         author_kind=AuthorKind.AI, extra=meta) if text else None
        session.add(conversation)
        session.commit()
    if message is not None:
        events.emit(events.OutboundQueued.of(message))
    events.emit(change or events.ConversationChanged.of(conversation, "ai_reply"))
    return TurnResult(sent=message is not None, decision=decision, reply=text)


def _update_lead(conversation_id: uuid.UUID, cls: Classification) -> None:
    with session_scope() as session:
        conversation = linked_row(session, Conversation, conversation_id)
        source = session.exec(select(Message).where(
            Message.conversation_id == conversation.id,
            Message.author_kind == AuthorKind.CONTACT)
            .order_by(col(Message.created_at).desc()).limit(1)).first()
        pending = leads.upsert_from_signals(
            session, conversation.organization_id, conversation.contact_id, cls.lead,
            message_id=source.id if source else None, quote=source.text or "" if source else "")
    for event in pending:
        events.emit(event)


def learn_from_customer(conversation_id: uuid.UUID) -> None:
    """After a handoff a consultant answers, but the lead keeps learning from every customer
    message: a name or e-mail given to the consultant must reach the lead."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return
        texts = session.exec(select(Message.text).where(
            Message.conversation_id == conversation.id,
            Message.author_kind == AuthorKind.CONTACT)
            .order_by(col(Message.created_at).desc()).limit(60)).all()
        signals = policy.lead_after_handoff([t for t in reversed(texts) if t])
        pending = leads.upsert_from_signals(session, conversation.organization_id,
                                            conversation.contact_id, signals,
                                            quote=(texts[0] or "") if texts else "")
    for event in pending:
        events.emit(event)
