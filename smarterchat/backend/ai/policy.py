"""The AI's decisions about a conversation, as pure functions of what was said.

Whether a person takes over (and why), whether the customer's question went unanswered,
and what the lead looks like: no database, no clock, no provider, so the pipeline, the
agent page's "try it" panel and the evaluation harness (`evals/`) decide the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smarterchat.backend.ai.types import Classification, Intent, Sentiment, Temperature


@dataclass
class Decision:
    handoff: bool
    reason: str | None = None
    intent: str | None = None
    confidence: float | None = None
    sentiment: str | None = None
    sources: list[dict] = field(default_factory=list)
    fallback: bool = False


def decide(rules: dict, cls: Classification, question: str, history: list, *,
           open_now: bool) -> Decision:
    decision = Decision(handoff=False, intent=cls.intent.value,
                        confidence=round(cls.confidence, 2), sentiment=cls.sentiment.value)
    text = question.lower()
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
            decision.handoff, decision.reason = True, reason
            return decision
    limit = int(rules.get("max_turns_without_progress") or 0)
    if limit and fallback_streak(history) >= limit:
        decision.handoff, decision.reason = True, "no_progress"
    return decision


def fallback_streak(history: list) -> int:
    """How many of the AI's latest answers in a row found nothing to say."""
    streak = 0
    for turn in reversed(history):
        if turn.role != "assistant":
            continue
        if not turn.fallback:
            break
        streak += 1
    return streak


def after_answer(rules: dict, decision: Decision, fallback: bool, history: list) -> Decision:
    limit = int(rules.get("max_turns_without_progress") or 0)
    if fallback and limit and fallback_streak(history) + 1 >= limit:
        decision.handoff, decision.reason = True, "no_progress"
    return decision


def lead_after_handoff(customer_texts: list[str]):
    return None
