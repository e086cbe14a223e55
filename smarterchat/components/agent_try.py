"""The "try it" chat: the agent answers as configured on the screen, before saving, and
shows the decision behind each reply."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.agent_parts import intent_label, reason_label
from smarterchat.components.common import error_callout
from smarterchat.components.i18n import t
from smarterchat.state.agent_try import AgentTryState, TryTurn

S = AgentTryState  # the form's fields (dirty, min_confidence) are its parent's


def _bubble(text, mine: bool, **props) -> rx.Component:
    return rx.box(
        rx.text(text, size="2", style={"white_space": "pre-wrap", "overflow_wrap": "anywhere"}),
        background=rx.color("accent", 9) if mine else rx.color("gray", 3),
        color="white" if mine else rx.color("gray", 12),
        padding_x="12px",
        padding_y="8px",
        border_radius="14px",
        border_bottom_right_radius="4px" if mine else "14px",
        border_bottom_left_radius="14px" if mine else "4px",
        max_width="85%",
        align_self="flex-end" if mine else "flex-start",
        **props,
    )


def _decision(turn: TryTurn) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.cond(
                turn.handoff,
                rx.badge(rx.icon("user-round", size=12), t("agent.try_handoff"),
                         color_scheme="amber", variant="soft"),
                rx.badge(rx.icon("bot", size=12), t("agent.try_answered"),
                         color_scheme="grass", variant="soft"),
            ),
            rx.cond(turn.intent != "",
                    rx.badge(t("agent.try_intent"), ": ", intent_label(turn.intent),
                             variant="outline", color_scheme="gray")),
            rx.badge(t("agent.try_confidence"), ": ", turn.confidence.to_string(), "%",
                     variant="outline",
                     color_scheme=rx.cond(turn.confidence >= S.min_confidence, "gray", "red")),
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(turn.handoff & (turn.reason != ""),
                rx.text(t("agent.try_reason"), ": ", reason_label(turn.reason), size="1",
                        color_scheme="amber", data_testid="try-reason")),
        rx.cond(turn.sources.length() > 0,
                rx.text(rx.icon("book-open", size=12, display="inline", margin_right="4px"),
                        t("agent.try_sources"), ": ", turn.sources.join(" · "), size="1",
                        color_scheme="gray"),
                rx.cond(~turn.handoff, rx.text(t("agent.try_no_sources"), size="1",
                                               color_scheme="gray"))),
        spacing="1",
        align_self="flex-start",
        max_width="92%",
        data_testid="try-decision",
    )


def _turn(turn: TryTurn) -> rx.Component:
    return rx.vstack(
        _bubble(turn.customer, True),
        _bubble(turn.reply, False, data_testid="try-reply"),
        _decision(turn),
        spacing="2",
        width="100%",
        data_testid="try-turn",
    )


def _thinking() -> rx.Component:
    return rx.vstack(
        _bubble(S.try_pending, True),
        rx.hstack(rx.spinner(size="2"), rx.text(t("agent.try_thinking"), size="2",
                                                 color_scheme="gray"),
                  align="center", spacing="2", padding_x="4px", data_testid="try-thinking"),
        spacing="2",
        width="100%",
    )


def try_panel() -> rx.Component:
    chat = rx.auto_scroll(
        rx.cond(
            (S.try_turns.length() == 0) & (S.try_pending == ""),
            rx.center(
                rx.vstack(
                    rx.icon("message-square-dashed", size=28, color=rx.color("gray", 8)),
                    rx.text(t("agent.try_empty"), size="2", color_scheme="gray",
                            text_align="center"),
                    align="center",
                    spacing="2",
                ),
                height="100%",
                min_height="160px",
                padding="12px",
            ),
        ),
        rx.foreach(S.try_turns, _turn),
        rx.cond(S.try_pending != "", _thinking()),
        display="flex",
        flex_direction="column",
        gap="16px",
        # On wide screens the whole panel fits the window beside the form.
        height=rx.breakpoints(initial="340px", lg="clamp(220px, calc(100vh - 430px), 480px)"),
        padding="12px",
        border_radius="var(--radius-3)",
        background=rx.color("gray", 2),
        border=f"1px solid {rx.color('gray', 4)}",
        data_testid="try-chat",
    )
    composer = rx.form(
        rx.hstack(
            rx.input(name="message", placeholder=t("agent.try_placeholder"), size="3",
                     flex="1", max_length=1000, auto_complete="off",
                     disabled=S.try_busy | S.try_closed, data_testid="try-input"),
            rx.icon_button(rx.icon("send-horizontal", size=18), type="submit", size="3",
                           disabled=S.try_busy | S.try_closed, aria_label=t("agent.try_send"),
                           data_testid="try-send"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.try_send,
        reset_on_submit=True,
        width="100%",
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("flask-conical", size=18, color=rx.color("accent", 10)),
                rx.heading(t("agent.try_title"), size="4"),
                rx.spacer(),
                rx.button(rx.icon("rotate-ccw", size=14), t("agent.try_reset"), size="1",
                          variant="soft", color_scheme="gray", on_click=S.try_reset,
                          disabled=(S.try_turns.length() == 0) & ~S.try_busy
                          & (S.try_error == ""),
                          data_testid="try-reset"),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.text(t("agent.try_help"), size="1", color_scheme="gray"),
            rx.cond(S.dirty,
                    rx.badge(rx.icon("pencil", size=12), t("agent.try_uses_unsaved"),
                             color_scheme="amber", variant="soft")),
            chat,
            rx.cond(S.try_closed,
                    rx.callout.root(rx.callout.icon(rx.icon("user-round", size=16)),
                                    rx.callout.text(t("agent.try_closed")), color_scheme="amber",
                                    size="1", width="100%", data_testid="try-closed")),
            error_callout(S.try_error, data_testid="try-error"),
            composer,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="try-panel",
        data_testid="try-panel",
    )
