"""The AI's decisions about a conversation, as pure functions of what was said.

Whether a person takes over (and why), whether the customer's question went unanswered,
and what the lead looks like: no database, no clock, no provider, so the pipeline, the
agent page's "try it" panel and the evaluation harness (`evals/`) decide the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from smarterchat.backend.ai import rules as text_rules
from smarterchat.backend.ai.types import (
    Classification,
    Intent,
    LeadSignals,
    Sentiment,
    Temperature,
)

if TYPE_CHECKING:
    from smarterchat.backend.ai.brain import Turn


@dataclass
class Decision:
    handoff: bool
    reason: str | None = None
    intent: str | None = None
    confidence: float | None = None
    sentiment: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    fallback: bool = False


def decide(rules: dict[str, Any], cls: Classification, question: str, history: list[Turn], *,
           open_now: bool) -> Decision:
    """Whether a person takes over before the AI answers, and the first reason that holds.

    ``history`` is the thread before ``question`` (``brain.Turn``: role, text, fallback)."""
    decision = Decision(handoff=False, intent=cls.intent.value,
                        confidence=round(cls.confidence, 2), sentiment=cls.sentiment.value)
    limit = int(rules.get("max_turns_without_progress") or 0)
    checks: list[tuple[str, Callable[[], object]]] = [
        ("outside_hours", lambda: rules.get("business_hours_only") and not open_now),
        ("asked_for_human", lambda: rules.get("on_request") and (
            cls.wants_human or cls.intent == Intent.HUMAN_REQUEST
            or accepted_offer(history, question))),
        ("cancellation", lambda: rules.get("cancellation", True)
         and cls.intent == Intent.CANCELLATION and not excepted(rules, question)),
        ("keyword", lambda: any(text_rules.mentions(k, question)
                                for k in rules.get("keywords") or [] if k.strip())),
        # before sentiment: "você não respondeu" is unhappy because it went unanswered
        ("no_progress", lambda: limit and unanswered(history, question) >= limit),
        ("negative_sentiment", lambda: rules.get("negative_sentiment")
         and cls.sentiment == Sentiment.NEGATIVE and cls.intent not in CALM),
        ("hot_lead", lambda: rules.get("hot_lead") and cls.lead.temperature == Temperature.HOT),
        ("low_confidence", lambda: cls.confidence < float(rules.get("min_confidence") or 0)
         and cls.intent not in CALM),
    ]
    for reason, holds in checks:
        if holds():
            decision.handoff, decision.reason = True, reason
            return decision
    return decision


# A greeting or a question about the bot is no reason to hand off, whatever its wording.
CALM = (Intent.GREETING, Intent.OFF_TOPIC)


def unanswered(history: list[Turn], question: str) -> int:
    """How many times in a row the customer came back because the question was not
    answered: the same need asked again, or a complaint that the answer did not help."""
    asked = [t.text for t in history if t.role == "customer"] + [question]
    count = 0
    for i in range(len(asked) - 1, 0, -1):
        if not (text_rules.answer_did_not_help(asked[i])
                or text_rules.same_need(asked[i], asked[i - 1])):
            break
        count += 1
    return count


def accepted_offer(history: list[Turn], question: str) -> bool:
    """The AI's last answer was the fallback, which offers a person, and the customer said yes."""
    last = next((t for t in reversed(history) if t.role == "assistant"), None)
    return bool(last and last.fallback and text_rules.accepts(question))


def excepted(rules: dict[str, Any], question: str) -> bool:
    """A cancellation the admin said the agent handles itself ("reserva", "aula experimental")."""
    return any(text_rules.mentions(e, question)
               for e in rules.get("cancellation_exceptions") or [] if e.strip())


def lead_after_handoff(customer_texts: list[str]) -> LeadSignals:
    """A consultant answers now, and the lead keeps learning from every customer message
    (a name or e-mail given to the consultant must reach the lead); the offline rules do it
    whatever the provider, at no cost."""
    return text_rules.extract_lead(customer_texts)


LEAD_FIELDS = ("name", "email", "phone", "company", "interest", "budget", "urgency")


def merged_fields(known: dict[str, Any], signals: LeadSignals) -> dict[str, Any]:
    """What a lead's details become after a reading: known fields are kept unless a new value
    arrives (as stored, 300 characters at most). The temperature and its reason are the
    reading's own (``extract_lead`` already follows the latest message), so a lead cools."""
    fields = dict(known)
    for name in LEAD_FIELDS:
        value = getattr(signals, name)
        if value:
            fields[name] = str(value)[:300]
    return fields
