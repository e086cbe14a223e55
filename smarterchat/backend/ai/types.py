"""What the AI layer passes around: classifications, lead signals, replies, usage."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Intent(StrEnum):
    HUMAN_REQUEST = "human_request"  # asks for a person
    PURCHASE = "purchase"  # wants to buy, asks price, plans, availability to buy
    SUPPORT = "support"  # a question about the product/service the knowledge base answers
    COMPLAINT = "complaint"
    CANCELLATION = "cancellation"  # ends a plan, booking, contract, subscription or order
    GREETING = "greeting"
    OFF_TOPIC = "off_topic"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Temperature(StrEnum):
    HOT = "hot"  # ready to buy now: asks to close, pay, urgent with budget
    WARM = "warm"  # interested: asks prices, compares, plans
    COLD = "cold"  # curious, no buying signal


@dataclass
class LeadSignals:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    interest: str | None = None
    budget: str | None = None
    urgency: str | None = None  # e.g. "today", "this week"
    temperature: Temperature = Temperature.COLD
    reason: str = ""


@dataclass
class Classification:
    intent: Intent
    wants_human: bool
    sentiment: Sentiment
    confidence: float  # 0..1
    lead: LeadSignals = field(default_factory=LeadSignals)
    language: str = "pt-BR"  # "pt-BR" or "en"


@dataclass
class Usage:
    provider: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
