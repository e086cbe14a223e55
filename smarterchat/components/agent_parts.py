"""Small pieces of the agent pages: the provider, knowledge statuses, the AI's decisions."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.i18n import label, t

REASONS = ["asked_for_human", "cancellation", "keyword", "negative_sentiment", "low_confidence",
           "no_progress", "hot_lead", "outside_hours", "budget_exhausted", "ai_unavailable", "no_agent"]
INTENTS = ["human_request", "purchase", "support", "complaint", "cancellation", "greeting",
           "off_topic"]
KNOWLEDGE_STATUSES = ["processing", "ready", "failed"]
KNOWLEDGE_COLORS = {"processing": "amber", "ready": "grass", "failed": "red"}


def provider_badge(provider: rx.Var, model: rx.Var) -> rx.Component:
    """Which AI answers: "OpenAI (modelo X)" or "Offline (sem custo)"."""
    return rx.badge(
        rx.cond(provider == "openai", rx.icon("sparkles", size=12), rx.icon("cpu", size=12)),
        rx.cond(provider == "openai", t("agent.provider_openai", model=model),
                t("agent.provider_offline")),
        color_scheme=rx.cond(provider == "openai", "violet", "gray"),
        variant="soft",
        data_testid="agent-provider",
    )


def reason_label(value: rx.Var) -> rx.Var:
    return label("agent.reason", value, REASONS)


def intent_label(value: rx.Var) -> rx.Var:
    return label("agent.intent", value, INTENTS)


def knowledge_badge(status: rx.Var) -> rx.Component:
    return rx.badge(
        rx.cond(status == "processing", rx.spinner(size="1"), rx.fragment()),
        label("agent.kb_status", status, KNOWLEDGE_STATUSES),
        color_scheme=rx.match(status, *KNOWLEDGE_COLORS.items(), "gray"),
        variant="soft",
        data_testid="kb-status",
    )


def section(icon: str, title, *children: rx.Component, help_text=None, **props) -> rx.Component:
    head = [rx.hstack(rx.icon(icon, size=18, color=rx.color("accent", 10)),
                      rx.heading(title, size="4"), align="center", spacing="2")]
    if help_text is not None:
        head.append(rx.text(help_text, size="2", color_scheme="gray"))
    return rx.card(
        rx.vstack(*head, *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )
