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
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.ai import llm
from smarterchat.backend.ai.brain import (
    AgentConfig,
    Answer,
    Brain,
    Context,
    LLMBrain,
    OfflineBrain,
    Turn,
)
from smarterchat.backend.ai.llm import LLMError
from smarterchat.backend.ai.types import Classification, Intent, Sentiment, Temperature, Usage
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.channels.registry import capabilities_for
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import (
    AIUsage,
    AuditLog,
    AuthorKind,
    Channel,
    Contact,
    Conversation,
    ConversationStatus,
    Message,
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import agents, leads, outbound, transitions

log = logging.getLogger(__name__)

HANDOFF_TEXT = {
    "pt-BR": "Vou chamar uma pessoa da nossa equipe para continuar o atendimento. Só um instante!",
    "en": "I'm bringing in a person from our team to help you. One moment, please!",
}
OUTSIDE_HOURS_TEXT = {
    "pt-BR": "Nossa equipe está fora do horário de atendimento agora. Sua mensagem ficou "
             "registrada e uma pessoa vai responder assim que voltarmos.",
    "en": "Our team is outside business hours right now. Your message is saved and a person "
          "will answer as soon as we are back.",
}
@dataclass
class Decision:
    handoff: bool
    reason: str | None = None
    intent: str | None = None
    confidence: float | None = None
    sentiment: str | None = None
    sources: list[dict] = field(default_factory=list)
    fallback: bool = False


@dataclass
class TurnResult:
    sent: bool  # a message was queued for the customer
    decision: Decision | None = None
    reply: str = ""
    dropped: bool = False  # a consultant took over while the AI was thinking


# ------------------------------------------------------------------ providers and costs

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


def record_usage(session: Session, org_id, agent_id, conversation_id, purpose: str,
                 usages: list[Usage]) -> None:
    for u in usages:
        session.add(AIUsage(organization_id=org_id, agent_id=agent_id,
                            conversation_id=conversation_id, provider=u.provider, model=u.model,
                            purpose=purpose, prompt_tokens=u.prompt_tokens,
                            completion_tokens=u.completion_tokens, cost_micro_usd=cost_micro_usd(u)))


def month_spend_micro_usd(session: Session, org_id) -> int:
    now = utcnow()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return session.exec(select(func.coalesce(func.sum(AIUsage.cost_micro_usd), 0)).where(
        AIUsage.organization_id == org_id, AIUsage.created_at >= start)).one()


def budget_exhausted(session: Session, org: Organization) -> bool:
    if org.monthly_ai_budget_cents is None:
        return False
    return month_spend_micro_usd(session, org.id) >= org.monthly_ai_budget_cents * 10_000


def _alert_budget(session: Session, org: Organization) -> None:
    """Tell the admins once a month (audit log; the dashboard shows the latest alert)."""
    now = utcnow()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    seen = session.exec(select(AuditLog.id).where(
        AuditLog.organization_id == org.id, AuditLog.action == "ai.budget_exhausted",
        AuditLog.created_at >= start)).first()
    if not seen:
        session.add(AuditLog(organization_id=org.id, action="ai.budget_exhausted",
                             details={"budget_cents": org.monthly_ai_budget_cents}))
        log.warning("AI budget exhausted", extra={"organization_id": str(org.id)})


# ------------------------------------------------------------------ context

def _approx_tokens(text: str) -> int:
    return len(text) // 4 + 1


def build_context(session: Session, conversation: Conversation, agent: AgentConfig,
                  channel: Channel) -> tuple[Context, list[Message]]:
    """History within the token budget, the unanswered customer messages, memory, knowledge."""
    budget = get_settings().ai_history_tokens
    rows = session.exec(
        select(Message).where(Message.conversation_id == conversation.id,
                              col(Message.is_private).is_(False))
        .order_by(col(Message.created_at).desc()).limit(60)).all()
    rows.reverse()
    cursor = conversation.ai_cursor_at
    pending = [m for m in rows if m.author_kind == AuthorKind.CONTACT
               and (cursor is None or m.created_at > cursor) and m.text.strip()]
    earlier = [m for m in rows if m not in pending and m.author_kind != AuthorKind.SYSTEM
               and m.text.strip()]
    history: list[Turn] = []
    used = 0
    for m in reversed(earlier):  # newest first until the budget is spent
        used += _approx_tokens(m.text)
        if used > budget:
            break
        history.insert(0, Turn("customer" if m.author_kind == AuthorKind.CONTACT else "assistant",
                               m.text))
    contact = session.get(Contact, conversation.contact_id)
    memory = "\n".join(filter(None, [contact.name and f"Name: {contact.name}", contact.summary,
                                     *(f"{k}: {v}" for k, v in (contact.facts or {}).items())]))
    customer_texts = [m.text for m in rows if m.author_kind == AuthorKind.CONTACT and m.text]
    ctx = Context(agent=agent, history=history,
                  question="\n".join(m.text for m in pending), customer_texts=customer_texts,
                  passages=agents.passages(session, uuid.UUID(agent.id)), memory=memory,
                  channel=capabilities_for(channel.kind).display_name,
                  first_turn=not any(m.author_kind == AuthorKind.AI for m in rows))
    return ctx, pending


# ------------------------------------------------------------------ decision

def in_business_hours(org: Organization, at: datetime | None = None) -> bool:
    """Organisation hours as {"mon": ["09:00", "18:00"], ...}; none configured means always."""
    hours = org.business_hours or {}
    if not hours:
        return True
    from zoneinfo import ZoneInfo

    local = (at or utcnow()).astimezone(ZoneInfo(org.timezone or "America/Sao_Paulo"))
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()]
    span = hours.get(day)
    if not span:
        return False
    return span[0] <= local.strftime("%H:%M") < span[1]


def decide(rules: dict, cls: Classification, ctx: Context, *, fallback_streak: int,
           open_now: bool) -> Decision:
    d = Decision(handoff=False, intent=cls.intent.value, confidence=round(cls.confidence, 2),
                 sentiment=cls.sentiment.value)
    text = ctx.question.lower()
    checks = [
        ("outside_hours", rules.get("business_hours_only") and not open_now),
        ("asked_for_human", rules.get("on_request") and (cls.wants_human
                                                         or cls.intent == Intent.HUMAN_REQUEST)),
        ("keyword", any(k.lower() in text for k in rules.get("keywords") or [])),
        ("negative_sentiment", rules.get("negative_sentiment")
         and cls.sentiment == Sentiment.NEGATIVE),
        ("hot_lead", rules.get("hot_lead") and cls.lead.temperature == Temperature.HOT),
        ("low_confidence", cls.confidence < float(rules.get("min_confidence") or 0)),
    ]
    for reason, hit in checks:
        if hit:
            d.handoff, d.reason = True, reason
            return d
    limit = int(rules.get("max_turns_without_progress") or 0)
    if limit and fallback_streak >= limit:
        d.handoff, d.reason = True, "no_progress"
    return d


def _fallback_streak(session: Session, conversation_id) -> int:
    """How many of the AI's latest answers in a row found nothing to say."""
    rows = session.exec(select(Message.extra).where(
        Message.conversation_id == conversation_id, Message.author_kind == AuthorKind.AI)
        .order_by(col(Message.created_at).desc()).limit(20)).all()
    streak = 0
    for extra in rows:
        decision = (extra or {}).get("ai") or {}
        if decision.get("handoff"):
            continue
        if not decision.get("fallback"):
            break
        streak += 1
    return streak


def handoff_text(rules: dict, reason: str | None, language: str) -> str:
    """What the customer is told when a person takes over, in the agent's words if it has some."""
    if reason == "outside_hours":
        return rules.get("outside_hours_message") or OUTSIDE_HOURS_TEXT[language]
    return rules.get("handoff_message") or HANDOFF_TEXT[language]


# ------------------------------------------------------------------ the turn

def respond(conversation_id: uuid.UUID) -> TurnResult:
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or conversation.status != ConversationStatus.BOT:
            return TurnResult(sent=False)
        org = session.get(Organization, conversation.organization_id)
        channel = session.get(Channel, conversation.channel_id)
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
            _alert_budget(session, org)
            session.commit()
            return _finish(conversation_id, agent, Decision(True, "budget_exhausted"),
                           "pt-BR", [], cursor=cursor)
        streak = _fallback_streak(session, conversation.id)
        brain = brain_for(org, agent)
        open_now = in_business_hours(org)
    usages: list[Usage] = []
    language = "pt-BR"
    try:
        cls, used = brain.classify(ctx)
        usages += used
        language = cls.language
        decision = decide(agent.handoff_rules, cls, ctx, fallback_streak=streak,
                          open_now=open_now)
        answer = Answer("", [], False)
        if not decision.handoff:
            answer, used = brain.answer(ctx, cls)
            usages += used
            decision.sources, decision.fallback = answer.sources, answer.fallback
            limit = int(agent.handoff_rules.get("max_turns_without_progress") or 0)
            if answer.fallback and limit and streak + 1 >= limit:
                decision.handoff, decision.reason = True, "no_progress"
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
        conversation = session.get(Conversation, conversation_id)
        leads.upsert_from_signals(session, conversation.organization_id,
                                  conversation.contact_id, cls.lead)


# ------------------------------------------------------------------ for people and admins

def suggest(session: Session, actor, conversation_id, count: int = 3) -> list[str]:
    """Replies a consultant could send next, drafted from the thread and the knowledge."""
    from smarterchat.backend.security.rbac import Permission
    from smarterchat.backend.services.errors import NotFound, parse_id

    actor.require(Permission.CONVERSATIONS_REPLY)
    conversation = session.exec(select(Conversation).where(
        Conversation.id == parse_id(conversation_id),
        Conversation.organization_id == actor.require_org())).first()
    if conversation is None:
        raise NotFound()
    org = session.get(Organization, conversation.organization_id)
    channel = session.get(Channel, conversation.channel_id)
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


def preview(session: Session, actor, agent_id, draft: dict, messages: list[str]) -> list[PreviewTurn]:
    """The "try it" panel: the agent as configured in ``draft`` (not saved) answers a short
    chat. Nothing is stored but the model usage."""
    from smarterchat.backend.security.rbac import Permission
    from smarterchat.backend.services.errors import InvalidInput

    actor.require(Permission.AGENTS_MANAGE)
    base = agents.get_agent(session, actor, agent_id)
    org = session.get(Organization, actor.require_org())
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
            decision = decide(config.handoff_rules, cls, ctx, fallback_streak=0,
                              open_now=in_business_hours(org))
            if decision.handoff:
                reply = handoff_text(config.handoff_rules, decision.reason, cls.language)
                sources: list[dict] = []
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


def process_document(item_id: uuid.UUID, *, batch: int = 16) -> None:
    """Split an uploaded document into chunks and embed them when the provider can,
    keeping ``progress`` up to date for the page that shows it."""
    from smarterchat.backend.ai import knowledge
    from smarterchat.backend.models import KnowledgeChunk, KnowledgeItem, KnowledgeStatus

    with session_scope() as session:
        item = session.get(KnowledgeItem, item_id)
        if item is None or item.status != KnowledgeStatus.PROCESSING:
            return
        org = session.get(Organization, item.organization_id)
        chunks = knowledge.split(item.content)
        config = llm.config_for(org.openai_api_key, org.openai_base_url, org.openai_model)
        item.progress = 5
        session.add(item)
    chat = llm.Chat(config) if config else None
    try:
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            vectors: list = [None] * len(part)
            usages: list[Usage] = []
            if chat is not None:
                vectors, usage = chat.embed(part)
                usages.append(usage)
            with session_scope() as session:
                for offset, (text, vector) in enumerate(zip(part, vectors, strict=True)):
                    session.add(KnowledgeChunk(organization_id=org.id, agent_id=item.agent_id,
                                               item_id=item.id, position=start + offset,
                                               text=text, embedding=vector))
                record_usage(session, org.id, item.agent_id, None, "embed", usages)
                row = session.get(KnowledgeItem, item.id)
                row.progress = min(99, 5 + int(95 * (start + len(part)) / max(1, len(chunks))))
                session.add(row)
        status, error = KnowledgeStatus.READY, None
    except LLMError as exc:
        status, error = KnowledgeStatus.FAILED, f"embeddings failed: {exc}"[:500]
    with session_scope() as session:
        row = session.get(KnowledgeItem, item.id)
        row.status, row.error = status, error
        row.progress = 100 if status == KnowledgeStatus.READY else row.progress
        session.add(row)


# ------------------------------------------------------------------ long-term memory

SUMMARY_CHARS = 1200


def summarise_conversation(conversation_id: uuid.UUID) -> str:
    """When a conversation ends, fold it into the contact's running summary, which the AI
    reads back ("what we know about this customer") in the customer's next conversations.
    With a model: the model writes it. Offline: the facts and the customer's last request."""
    from smarterchat.backend.ai import prompts

    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return ""
        org = session.get(Organization, conversation.organization_id)
        contact = session.get(Contact, conversation.contact_id)
        rows = session.exec(select(Message).where(
            Message.conversation_id == conversation.id, col(Message.is_private).is_(False),
            Message.author_kind != AuthorKind.SYSTEM)
            .order_by(col(Message.created_at).desc()).limit(40)).all()
        rows.reverse()
        previous = contact.summary
        config = llm.config_for(org.openai_api_key, org.openai_base_url, org.openai_model)
        history = "\n".join(
            f"{'Cliente' if m.author_kind == AuthorKind.CONTACT else 'Equipe'}: {m.text}"
            for m in rows if m.text)
        customer = [m.text for m in rows if m.author_kind == AuthorKind.CONTACT and m.text]
        facts = dict(contact.facts or {})
    if not history:
        return previous
    summary = ""
    if config is not None:
        try:
            summary, usage = llm.Chat(config).text([{"role": "user", "content": prompts.render(
                "summary", organization=org.name, previous=previous or "(vazio)",
                history=history)}], temperature=0.2, max_tokens=200)
            with session_scope() as session:
                record_usage(session, org.id, None, conversation_id, "summary", [usage])
        except LLMError:
            summary = ""
    if not summary:  # offline, or the model failed: a plain record instead
        when = utcnow().strftime("%d/%m/%Y")
        known = ", ".join(f"{k}: {v}" for k, v in facts.items())
        last = customer[-1][:200] if customer else ""
        summary = " ".join(filter(None, [previous, f"Conversa de {when}: pediu \"{last}\"."
                                         if last else "", f"Dados: {known}." if known else ""]))
    summary = summary.strip()[-SUMMARY_CHARS:]
    with session_scope() as session:
        contact = session.get(Contact, contact.id)
        contact.summary = summary
        session.add(contact)
    return summary
