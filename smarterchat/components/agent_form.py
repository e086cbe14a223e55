"""The agent page's configuration form: identity, instructions, rules, messages, handoff,
model and channels, each field bound to the form state as typed."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.agent_parts import provider_badge, section
from smarterchat.components.common import channel_icon
from smarterchat.components.i18n import channel_label, t
from smarterchat.state.agent_detail import AgentDetailState
from smarterchat.state.agent_form import AgentFormState, ChannelOption

P = AgentDetailState  # the page: found, role, provider
S = AgentFormState
RO = ~P.can_manage  # read-only for managers and consultants
WRAP = {"white_space": "pre-wrap", "overflow_wrap": "anywhere"}


def _field(name: str, label_key: str, control: rx.Component, help_key: str | None = None,
           **help_params) -> rx.Component:
    """A labelled control; the save error shows under the field it is about."""
    return rx.vstack(
        rx.text(t(label_key), as_="label", size="2", weight="medium"),
        control,
        rx.text(t(help_key, **help_params), size="1", color_scheme="gray") if help_key
        else rx.fragment(),
        rx.cond(S.save_field == name,
                rx.text(S.save_error, size="1", color_scheme="red", data_testid=f"error-{name}")),
        spacing="1",
        width="100%",
    )


def _input(name: str, **props) -> rx.Component:
    return rx.input(value=getattr(S, name), on_change=lambda v: S.set_text(name, v),
                    read_only=RO, width="100%", size="3", data_testid=f"agent-{name}",
                    **props)


def _area(name: str, rows: str = "3", **props) -> rx.Component:
    return rx.text_area(value=getattr(S, name), on_change=lambda v: S.set_text(name, v),
                        read_only=RO, width="100%", rows=rows, resize="vertical",
                        data_testid=f"agent-{name}", **props)


def _switch_row(name: str, label_key: str, help_key: str) -> rx.Component:
    return rx.flex(
        rx.vstack(rx.text(t(label_key), size="2", weight="medium"),
                  rx.text(t(help_key), size="1", color_scheme="gray"), spacing="0", flex="1"),
        rx.switch(checked=getattr(S, name), on_change=lambda v: S.set_switch(name, v),
                  disabled=RO, aria_label=t(label_key), data_testid=f"agent-{name}"),
        spacing="3",
        align="center",
        width="100%",
    )


# ------------------------------------------------------------------ sections

def identity() -> rx.Component:
    return section(
        "id-card", t("agent.identity"),
        _switch_row("is_active", "agent.active", "agent.active_help"),
        _field("name", "agent.name", _input("name", max_length=80)),
        _field("persona", "agent.persona", _area("persona", "3",
                                                 placeholder=t("agent.persona_placeholder"))),
        _field("tone", "agent.tone", _input("tone", placeholder=t("agent.tone_placeholder"))),
    )


def instructions() -> rx.Component:
    return section(
        "scroll-text", t("agent.instructions"),
        _field("system_message", "agent.system_message", _area("system_message", "5"),
               "agent.system_message_help"),
        _field("business_facts", "agent.business_facts", _area("business_facts", "5"),
               "agent.business_facts_help"),
    )


def _rule(rule: rx.Var, index: rx.Var) -> rx.Component:
    last = index == S.rules.length() - 1
    return rx.flex(
        rx.vstack(
            rx.badge((index + 1).to_string(), variant="soft", radius="full", margin_top="8px"),
            rx.cond(S.rules_not_followed.contains(rule),
                    rx.tooltip(rx.icon("eye-off", size=14, color=rx.color("amber", 10),
                                       data_testid="rule-not-followed"),
                               content=t("agent.rule_not_followed"))),
            spacing="1",
            align="center",
        ),
        rx.text_area(value=rule, on_change=lambda v: S.set_rule(index, v), read_only=RO,
                     rows="2", resize="vertical", flex="1", data_testid="rule-text"),
        rx.cond(
            P.can_manage,
            rx.vstack(
                rx.icon_button(rx.icon("arrow-up", size=14), size="1", variant="soft",
                               color_scheme="gray", disabled=index == 0,
                               on_click=S.move_rule(index, -1), aria_label=t("agent.rule_up"),
                               data_testid="rule-up"),
                rx.icon_button(rx.icon("arrow-down", size=14), size="1", variant="soft",
                               color_scheme="gray", disabled=last,
                               on_click=S.move_rule(index, 1), aria_label=t("agent.rule_down"),
                               data_testid="rule-down"),
                rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="soft",
                               color_scheme="red", on_click=S.remove_rule(index),
                               aria_label=t("agent.rule_remove"), data_testid="rule-remove"),
                spacing="1",
            ),
        ),
        spacing="2",
        align="start",
        width="100%",
        data_testid="rule-row",
    )


def _not_followed() -> rx.Component:
    """Rules the provider now answering cannot follow, said rather than silently dropped."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert", size=16)),
        rx.vstack(
            rx.callout.text(t("agent.rules_not_followed"), weight="medium"),
            rx.el.ul(rx.foreach(S.rules_not_followed,
                                lambda r: rx.el.li(rx.text(r, size="2", style=WRAP))),
                     padding_left="1.2em", margin="0"),
            rx.callout.text(t("agent.rules_not_followed_help"), size="1"),
            spacing="1",
            width="100%",
        ),
        color_scheme="amber",
        width="100%",
        data_testid="rules-not-followed",
    )


def rules() -> rx.Component:
    adder = rx.flex(
        rx.text_area(value=S.new_rule, on_change=S.set_new_rule, rows="2", flex="1",
                     width="100%", placeholder=t("agent.rule_placeholder"),
                     data_testid="rule-new"),
        rx.button(rx.icon("plus", size=16), t("agent.rule_add"), on_click=S.add_rule,
                  variant="soft", disabled=S.new_rule.strip() == "", data_testid="rule-add"),
        spacing="2",
        align=rx.breakpoints(initial="stretch", sm="end"),
        width="100%",
        direction=rx.breakpoints(initial="column", sm="row"),
    )
    return section(
        "list-ordered", t("agent.rules"),
        rx.cond(S.rules_not_followed.length() > 0, _not_followed()),
        rx.cond(S.rules.length() > 0,
                rx.vstack(rx.foreach(S.rules, _rule), spacing="2", width="100%"),
                rx.text(t("agent.rules_empty"), size="2", color_scheme="gray")),
        rx.cond(P.can_manage, adder),
        rx.cond(S.save_field == "rules",
                rx.text(S.save_error, size="1", color_scheme="red", data_testid="error-rules")),
        help_text=t("agent.rules_help"),
    )


def messages() -> rx.Component:
    return section(
        "message-circle", t("agent.messages"),
        _field("greeting", "agent.greeting", _area("greeting", "2"), "agent.greeting_help"),
        _field("fallback_message", "agent.fallback_message", _area("fallback_message", "2"),
               "agent.fallback_message_help"),
    )


def _word(field: str, word: rx.Var) -> rx.Component:
    return rx.badge(
        word,
        rx.cond(P.can_manage,
                rx.icon("x", size=12, cursor="pointer", on_click=S.remove_word(field, word),
                        aria_label=t("agent.word_remove"))),
        variant="surface",
        size="2",
        data_testid=f"{field}-word",
    )


def _words(field: str, key: str) -> rx.Component:
    """An editable list of words (handoff keywords, cancellation exceptions): badges, and a
    form that adds several separated by commas."""
    adder = rx.form(
        rx.hstack(
            rx.input(name="word", placeholder=t(f"{key}_placeholder"), flex="1", size="2",
                     aria_label=t(key), data_testid=f"{field}-input"),
            rx.button(rx.icon("plus", size=14), t("agent.keyword_add"), type="submit",
                      variant="soft", size="2", data_testid=f"{field}-add"),
            spacing="2",
            width="100%",
        ),
        on_submit=lambda form: S.add_words(field, form),
        reset_on_submit=True,
        width="100%",
    )
    values = getattr(S, field)
    return rx.vstack(
        rx.text(t(key), size="2", weight="medium"),
        rx.cond(values.length() > 0,
                rx.flex(rx.foreach(values, lambda w: _word(field, w)), spacing="2",
                        wrap="wrap"),
                rx.text(t(f"{key}_empty"), size="1", color_scheme="gray")),
        rx.cond(P.can_manage, adder),
        rx.text(t(f"{key}_help"), size="1", color_scheme="gray"),
        spacing="2",
        width="100%",
    )


def handoff() -> rx.Component:
    return section(
        "user-round-check", t("agent.handoff"),
        _switch_row("on_request", "agent.on_request", "agent.on_request_help"),
        _switch_row("cancellation", "agent.cancellation", "agent.cancellation_help"),
        rx.cond(S.cancellation, _words("cancellation_exceptions", "agent.exceptions")),
        _switch_row("negative_sentiment", "agent.negative_sentiment",
                    "agent.negative_sentiment_help"),
        _switch_row("hot_lead", "agent.hot_lead", "agent.hot_lead_help"),
        _switch_row("business_hours_only", "agent.business_hours_only",
                    "agent.business_hours_only_help"),
        rx.divider(),
        _words("keywords", "agent.keywords"),
        rx.vstack(
            rx.flex(rx.text(t("agent.min_confidence"), size="2", weight="medium"), rx.spacer(),
                    rx.badge(S.min_confidence.to_string(), "%", variant="soft",
                             data_testid="min-confidence-value"),
                    width="100%", align="center"),
            rx.slider(value=[S.min_confidence], on_change=S.set_min_confidence, min=0, max=100,
                      step=5, disabled=RO, aria_label=t("agent.min_confidence"),
                      data_testid="agent-min-confidence"),
            rx.text(t("agent.min_confidence_help"), size="1", color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
        _field("max_turns", "agent.max_turns",
               rx.input(value=S.max_turns.to_string(), on_change=S.set_max_turns,
                        type="number", min=0, max=20, read_only=RO, size="3", width="120px",
                        data_testid="agent-max-turns"),
               "agent.max_turns_help"),
        _field("handoff_message", "agent.handoff_message", _area("handoff_message", "2"),
               "agent.handoff_message_help"),
        _field("outside_hours_message", "agent.outside_hours_message",
               _area("outside_hours_message", "2"), "agent.outside_hours_message_help"),
    )


def model() -> rx.Component:
    return section(
        "cpu", t("agent.model_section"),
        rx.hstack(rx.text(t("agent.provider_now"), size="2"),
                  provider_badge(P.provider, rx.cond(S.model != "", S.model, P.default_model)),
                  align="center", spacing="2", wrap="wrap"),
        rx.cond(P.provider == "offline",
                rx.text(t("agent.offline_note"), size="1", color_scheme="gray")),
        _field("model", "agent.model",
               _input("model", max_length=100,
                      placeholder=rx.cond(P.default_model != "", P.default_model,
                                          "gpt-4o-mini")),
               "agent.model_help"),
        rx.vstack(
            rx.flex(rx.text(t("agent.temperature"), size="2", weight="medium"), rx.spacer(),
                    rx.badge(S.temperature_label, variant="soft"), width="100%",
                    align="center"),
            rx.slider(value=[S.temperature], on_change=S.set_temperature, min=0, max=2,
                      step=0.1, disabled=RO, aria_label=t("agent.temperature"),
                      data_testid="agent-temperature"),
            rx.text(t("agent.temperature_help"), size="1", color_scheme="gray"),
            rx.cond(S.save_field == "temperature",
                    rx.text(S.save_error, size="1", color_scheme="red")),
            spacing="2",
            width="100%",
        ),
    )


def _channel(option: ChannelOption) -> rx.Component:
    row = rx.flex(
        rx.checkbox(checked=S.channel_ids.contains(option.id),
                    on_change=lambda v: S.toggle_channel(option.id, v), disabled=RO,
                    size="2", data_testid="channel-check"),
        channel_icon(option.kind, 16),
        rx.vstack(
            rx.text(option.name, size="2", weight="medium"),
            rx.text(channel_label(option.kind),
                    rx.cond(~option.active, rx.text.span(" · ", t("common.inactive"))),
                    size="1", color_scheme="gray"),
            rx.cond((option.other_agent != "") & S.channel_ids.contains(option.id),
                    rx.text(t("agent.channel_moves", agent=option.other_agent), size="1",
                            color_scheme="amber")),
            rx.cond((option.other_agent != "") & ~S.channel_ids.contains(option.id),
                    rx.text(t("agent.channel_taken", agent=option.other_agent), size="1",
                            color_scheme="gray")),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        spacing="3",
        align="center",
        width="100%",
        cursor=rx.cond(P.can_manage, "pointer", "default"),
        data_testid="channel-option",
    )
    return rx.el.label(row, width="100%")  # the whole row ticks the box


def channels() -> rx.Component:
    return section(
        "radio-tower", t("agent.channels"),
        rx.cond(S.channel_options.length() > 0,
                rx.vstack(rx.foreach(S.channel_options, _channel), spacing="3", width="100%"),
                rx.text(t("agent.channels_none"), size="2", color_scheme="gray")),
        help_text=t("agent.channels_help"),
    )
