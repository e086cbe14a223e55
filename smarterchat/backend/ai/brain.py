"""Classify, answer and suggest: the same contract with an LLM or offline rules.

``OfflineBrain`` is deterministic: rules classify (``ai.rules``), answers come from the
agent's knowledge by retrieval, with its greeting and fallback. ``LLMBrain`` asks an
OpenAI-compatible model with structured output for classification.

Over 300 lines because both providers implement one contract side by side, so a change to
the contract is seen in both at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from smarterchat.backend.ai import knowledge, prompts
from smarterchat.backend.ai.llm import Chat
from smarterchat.backend.ai.types import (
    Classification,
    Intent,
    LeadSignals,
    Sentiment,
    Temperature,
    Usage,
)

MIN_KNOWLEDGE_SCORE = knowledge.MIN_SCORE


@dataclass
class AgentConfig:
    id: str
    organization_id: str
    organization_name: str
    name: str
    persona: str = ""
    tone: str = ""
    system_message: str = ""
    business_facts: str = ""
    rules: list[str] = field(default_factory=list)
    greeting: str = ""
    fallback_message: str = ""
    handoff_rules: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    temperature: float = 0.3


@dataclass
class Turn:
    role: str  # customer, assistant (AI or consultant), note
    text: str
    fallback: bool = False  # an AI answer that found nothing in the knowledge


@dataclass
class Context:
    agent: AgentConfig
    history: list[Turn]  # earlier turns, oldest first
    question: str  # the customer's unanswered message(s), joined
    customer_texts: list[str]  # all the customer's messages in the conversation
    passages: list[knowledge.Passage]
    memory: str = ""
    channel: str = "WhatsApp"
    first_turn: bool = False


@dataclass
class Answer:
    text: str
    sources: list[dict[str, Any]]
    fallback: bool  # nothing in the knowledge answered it


class Brain(Protocol):
    provider: str

    def classify(self, ctx: Context) -> tuple[Classification, list[Usage]]: ...

    def answer(self, ctx: Context, cls: Classification) -> tuple[Answer, list[Usage]]: ...

    def suggest(self, ctx: Context, count: int) -> tuple[list[str], list[Usage]]: ...


def _hits(ctx: Context, embedding: list[float] | None = None) -> list[knowledge.Hit]:
    return knowledge.search(ctx.question, ctx.passages, query_embedding=embedding)


def _sources(hits: list[knowledge.Hit]) -> list[dict[str, Any]]:
    return [{"id": h.passage.id, "title": h.passage.title, "score": h.score} for h in hits]


class OfflineBrain:
    provider = "offline"

    def classify(self, ctx: Context) -> tuple[Classification, list[Usage]]:
        from smarterchat.backend.ai import rules

        earlier = [t for t in ctx.customer_texts if t != ctx.question]
        exceptions = ctx.agent.handoff_rules.get("cancellation_exceptions") or []
        cls = rules.classify(ctx.question, earlier, cancellation_exceptions=exceptions)
        cls.lead = rules.extract_lead(ctx.customer_texts)
        return cls, []

    def answer(self, ctx: Context, cls: Classification) -> tuple[Answer, list[Usage]]:
        from smarterchat.backend.ai import rules

        english = cls.language == "en"
        if cls.intent == Intent.GREETING:
            # The web chat shows the greeting before the first message, so it is not said
            # twice; after the first turn, an "ok" or "voltei" gets an offer to go on.
            if ctx.first_turn and ctx.agent.greeting and ctx.channel != "web chat":
                return Answer(ctx.agent.greeting, [], False), []
            return Answer(_ANOTHER[english], [], False), []
        if rules.asks_if_bot(ctx.question):
            return Answer(_BOT[english].format(name=ctx.agent.organization_name), [], False), []
        hits = knowledge.relevant(ctx.question, ctx.passages)
        if hits:
            return Answer(best_part(hits[0].passage, ctx.question), _sources(hits[:1]), False), []
        fallback = ctx.agent.fallback_message or _default_fallback(cls.language)
        return Answer(fallback, [], True), []

    def suggest(self, ctx: Context, count: int) -> tuple[list[str], list[Usage]]:
        """Drafts a consultant can send: what the knowledge says about the customer's last
        message, then the next steps a consultant usually takes, never the bot's greeting."""
        from smarterchat.backend.ai import rules

        english = rules.detect_language(ctx.question) == "en"
        replies = [best_part(h.passage, ctx.question)
                   for h in knowledge.relevant(ctx.question, ctx.passages)[:count]]
        for draft in _DRAFTS[english]:
            if len(replies) >= count:
                break
            if draft not in replies:
                replies.append(draft)
        return replies[:count], []


_ANOTHER = ("Claro! Em que mais posso ajudar?", "Sure! What else can I help you with?")
_BOT = ("Sou o assistente virtual da {name}. Posso responder por aqui e, se preferir, chamo uma "
        "pessoa da equipe.", "I'm {name}'s virtual assistant. I can answer here, and if you "
        "prefer, I'll bring in a person from our team.")
_DRAFTS = (
    ("Vou verificar isso para você e já te respondo.",
     "Pode me passar seu nome e e-mail para eu enviar os detalhes?",
     "Consegui te ajudar? Posso ajudar em mais alguma coisa?"),
    ("Let me check that for you and get right back to you.",
     "Could you share your name and e-mail so I can send you the details?",
     "Did that help? Is there anything else I can do for you?"),
)
# A document chunk longer than this is cut to the sentences that answer.
ANSWER_CHARS = 240


def best_part(passage: knowledge.Passage, question: str) -> str:
    """An FAQ answer whole; from a document chunk, the one or two sentences that share the
    most words with the question, in their order, instead of pasting the whole chunk."""
    text = passage.text.strip()
    if passage.title.endswith("?") or len(text) <= ANSWER_CHARS:
        return text
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    asked = set(knowledge.tokens(question))
    scored = [(len(asked & set(knowledge.tokens(s))), -i, s) for i, s in enumerate(sentences)]
    best = sorted(scored, reverse=True)[:2]
    best = [b for b in best if b[0] > 0] or best[:1]
    return " ".join(s for _, _, s in sorted(best, key=lambda b: -b[1]))


def rules_not_followed(provider: str, rules: list[str]) -> list[str]:
    """The agent's written rules this provider cannot follow, for the agent page to show
    ("o provedor offline não segue estas regras"). A model reads them in its prompt; the
    offline provider answers from the knowledge base only, so it follows none of them."""
    if provider == OfflineBrain.provider:
        return [r for r in rules if r.strip()]
    return []


def _default_fallback(language: str) -> str:
    if language == "en":
        return "I'm not sure about that. Would you like to talk to a person from our team?"
    return "Não tenho certeza sobre isso. Quer falar com uma pessoa da nossa equipe?"


_CLASSIFY_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["intent", "wants_human", "sentiment", "confidence", "language", "lead"],
    "properties": {
        "intent": {"type": "string", "enum": [i.value for i in Intent]},
        "wants_human": {"type": "boolean"},
        "sentiment": {"type": "string", "enum": [s.value for s in Sentiment]},
        "confidence": {"type": "number"},
        "language": {"type": "string", "enum": ["pt-BR", "en"]},
        "lead": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "email", "phone", "company", "interest", "budget", "urgency",
                         "temperature", "reason"],
            "properties": {
                **{k: {"type": ["string", "null"]} for k in
                   ("name", "email", "phone", "company", "interest", "budget", "urgency")},
                "temperature": {"type": "string", "enum": [t.value for t in Temperature]},
                "reason": {"type": "string"},
            },
        },
    },
}
# The classification with the reply in it, for ``LLMBrain.turn``.
_TURN_SCHEMA: dict[str, Any] = {
    **_CLASSIFY_SCHEMA,
    "required": ["reply", "intent", "wants_human", "sentiment", "confidence", "language", "lead"],
    "properties": {"reply": {"type": "string"},
                   **_CLASSIFY_SCHEMA["properties"]},  # type: ignore[dict-item]
}
_SUGGEST_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["replies"],
                   "properties": {"replies": {"type": "array", "items": {"type": "string"}}}}


def _history_text(ctx: Context) -> str:
    names = {"customer": "Customer", "assistant": "Us"}
    return "\n".join(f"{names.get(t.role, t.role)}: {t.text}" for t in ctx.history) or "(none)"


def greeting_rule(ctx: Context) -> str:
    """The agent's greeting is said once: the web chat shows it before the first message,
    and on other channels the thread already holds the first answer after the first turn."""
    if ctx.channel != "web chat" and ctx.first_turn:
        return ""
    said = f' ("{ctx.agent.greeting}")' if ctx.agent.greeting else ""
    return (f"The customer has already been greeted{said}: do not greet again, answer "
            "directly.")


def _knowledge_text(hits: list[knowledge.Hit]) -> str:
    return "\n\n".join(f"[{h.passage.title}]\n{h.passage.text}" for h in hits) or "(none)"


class LLMBrain:
    provider = "openai"

    def __init__(self, chat: Chat) -> None:
        self.chat = chat

    def classify(self, ctx: Context) -> tuple[Classification, list[Usage]]:
        prompt = prompts.render("classify", organization=ctx.agent.organization_name,
                                history=_history_text(ctx), question=ctx.question)
        data, usage = self.chat.json([{"role": "user", "content": prompt}], name="classification",
                                     schema=_CLASSIFY_SCHEMA)
        return self._classification(data), [usage]

    @staticmethod
    def _classification(data: dict[str, Any]) -> Classification:
        lead = data.get("lead") or {}
        try:
            cls = Classification(
                intent=Intent(data["intent"]), wants_human=bool(data["wants_human"]),
                sentiment=Sentiment(data["sentiment"]),
                confidence=max(0.0, min(1.0, float(data["confidence"]))),
                language=data.get("language") or "pt-BR",
                lead=LeadSignals(**{k: lead.get(k) for k in ("name", "email", "phone", "company",
                                                             "interest", "budget", "urgency")},
                                 temperature=Temperature(lead.get("temperature", "cold")),
                                 reason=lead.get("reason") or ""))
        except (KeyError, ValueError, TypeError) as exc:
            from smarterchat.backend.ai.llm import LLMError

            raise LLMError(f"classification did not match its schema: {exc}") from exc
        return cls

    def answer(self, ctx: Context, cls: Classification) -> tuple[Answer, list[Usage]]:
        messages, hits, usages = self._reply_messages(ctx, cls.language)
        a = ctx.agent
        text, usage = self.chat.text(messages, temperature=a.temperature)
        usages.append(usage)
        return self._answer(ctx, text, hits, cls.language), usages

    def turn(self, ctx: Context) -> tuple[Classification, Answer, list[Usage]]:
        """Classify and reply in one structured-output call: half the model's latency
        and half the client's CPU of ``classify`` then ``answer``. When the decision is a
        handoff the reply is not sent."""
        messages, hits, usages = self._reply_messages(ctx, "the customer's")
        messages.append({"role": "system", "content": prompts.render("turn")})
        data, usage = self.chat.json(messages, name="turn", schema=_TURN_SCHEMA,
                                     temperature=ctx.agent.temperature)
        usages.append(usage)
        cls = self._classification(data)
        reply = data.get("reply")
        text = reply.strip() if isinstance(reply, str) else ""
        return cls, self._answer(ctx, text, hits, cls.language), usages

    def _reply_messages(self, ctx: Context, language: str
                        ) -> tuple[list[dict[str, Any]], list[knowledge.Hit], list[Usage]]:
        usages: list[Usage] = []
        embedding = None
        if any(p.embedding for p in ctx.passages):
            vectors, usage = self.chat.embed([ctx.question])
            embedding = vectors[0]
            usages.append(usage)
        hits = [h for h in _hits(ctx, embedding) if h.score >= MIN_KNOWLEDGE_SCORE / 2]
        a = ctx.agent
        system = prompts.render(
            "system", name=a.name, organization=a.organization_name, channel=ctx.channel,
            persona=a.persona, tone=a.tone or "friendly", language=language,
            system_message=a.system_message,
            rules="\n".join(f"{i}. {r}" for i, r in enumerate(a.rules, 1)) or "(none)",
            facts=a.business_facts or "(none)", memory=ctx.memory or "(nothing yet)",
            knowledge=_knowledge_text(hits), greeting=greeting_rule(ctx))
        messages = [{"role": "system", "content": system}]
        for turn in ctx.history:
            messages.append({"role": "user" if turn.role == "customer" else "assistant",
                             "content": turn.text})
        messages.append({"role": "user", "content": ctx.question})
        return messages, hits, usages

    @staticmethod
    def _answer(ctx: Context, text: str, hits: list[knowledge.Hit], language: str) -> Answer:
        a = ctx.agent
        if not text:
            return Answer(a.fallback_message or _default_fallback(language), [], True)
        return Answer(text, _sources(hits), not hits and not a.business_facts)

    def suggest(self, ctx: Context, count: int) -> tuple[list[str], list[Usage]]:
        prompt = prompts.render("suggest", organization=ctx.agent.organization_name, count=count,
                                language="pt-BR", knowledge=_knowledge_text(_hits(ctx)),
                                history=_history_text(ctx) + f"\nCustomer: {ctx.question}")
        data, usage = self.chat.json([{"role": "user", "content": prompt}], name="suggestions",
                                     schema=_SUGGEST_SCHEMA)
        replies = [r.strip() for r in data.get("replies", []) if isinstance(r, str) and r.strip()]
        return replies[:count], [usage]
