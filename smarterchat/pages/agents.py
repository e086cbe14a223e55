"""/agents: the AI agents, the channels each answers and the AI provider that replies."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.agent_parts import provider_badge
from smarterchat.components.common import (
    channel_icon,
    dialog_buttons,
    empty_state,
    error_callout,
    field,
    page_frame,
    page_header,
)
from smarterchat.components.i18n import channel_label, t
from smarterchat.components.shell import app_shell
from smarterchat.state.agents import AgentItem, AgentsState, ChannelItem

S = AgentsState


def _channel(c: ChannelItem) -> rx.Component:
    return rx.badge(
        channel_icon(c.kind, 14),
        c.name,
        rx.text("(", channel_label(c.kind), ")", size="1", color_scheme="gray"),
        variant="surface",
        color_scheme=rx.cond(c.active, "teal", "gray"),
        size="2",
        data_testid="agent-channel",
    )


def _agent(a: AgentItem) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.box(rx.icon("bot", size=20, color=rx.color("accent", 11)),
                       background=rx.color("accent", 3), padding="8px",
                       border_radius="var(--radius-3)", line_height="0"),
                rx.link(rx.heading(a.name, size="4", style={"overflow_wrap": "anywhere"}),
                        href=f"/agents/{a.id}", color="inherit", underline="hover",
                        data_testid="agent-name"),
                rx.spacer(),
                rx.badge(rx.cond(a.active, t("common.active"), t("common.inactive")),
                         color_scheme=rx.cond(a.active, "grass", "gray"),
                         data_testid="agent-status"),
                align="center",
                spacing="3",
                width="100%",
            ),
            provider_badge(S.provider, a.model),
            rx.cond(a.greeting != "",
                    rx.blockquote(a.greeting, size="2", color_scheme="gray")),
            rx.hstack(
                rx.cond(a.tone != "",
                        rx.text(rx.text.strong(t("agents.tone")), ": ", a.tone, size="2")),
                rx.badge(t("agents.rules", count=a.rules), variant="soft", color_scheme="gray"),
                spacing="3",
                wrap="wrap",
                align="center",
            ),
            rx.text(t("agents.channels"), size="2", weight="bold"),
            rx.cond(
                a.channels.length() > 0,
                rx.flex(rx.foreach(a.channels, _channel), spacing="2", wrap="wrap"),
                rx.text(t("agents.no_channels"), size="2", color_scheme="gray"),
            ),
            rx.flex(
                rx.link(
                    rx.button(rx.cond(S.can_manage, rx.icon("settings-2", size=16),
                                      rx.icon("eye", size=16)),
                              rx.cond(S.can_manage, t("agents.configure"), t("agents.view")),
                              variant="soft"),
                    href=f"/agents/{a.id}",
                    data_testid="agent-open",
                ),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="agent-card",
    )


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("agents.create_title")),
            rx.dialog.description(t("agents.create_help"), size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    error_callout(S.create_error, data_testid="create-agent-error"),
                    field(t("agent.name"),
                          rx.input(name="name", max_length=80, width="100%", size="3",
                                   data_testid="create-agent-name")),
                    field(t("agent.persona"),
                          rx.text_area(name="persona", width="100%", rows="3",
                                       placeholder=t("agent.persona_placeholder"))),
                    field(t("agent.tone"),
                          rx.input(name="tone", width="100%", size="3",
                                   placeholder=t("agent.tone_placeholder"))),
                    dialog_buttons(t("agents.create_submit"), S.create_busy,
                                      data_testid="create-agent-submit"),
                    spacing="3",
                    width="100%",
                    padding_top="12px",
                ),
                on_submit=S.create,
                width="100%",
            ),
            max_width="480px",
        ),
        open=S.create_open,
        on_open_change=S.set_create_open,
    )


def _content() -> rx.Component:
    listing = rx.cond(
        S.agents.length() > 0,
        rx.vstack(
            rx.grid(rx.foreach(S.agents, _agent),
                    columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%"),
            rx.cond(
                S.loose_channels.length() > 0,
                rx.vstack(
                    rx.heading(t("agents.channels_without_agent"), size="3"),
                    rx.flex(rx.foreach(S.loose_channels, _channel), spacing="2", wrap="wrap"),
                    spacing="2",
                ),
            ),
            width="100%",
            spacing="4",
        ),
        empty_state("bot", t("agents.empty_title"), t("agents.empty_body"),
                    rx.cond(S.can_manage,
                            rx.button(rx.icon("plus", size=16), t("agents.create"),
                                      on_click=S.set_create_open(True)))),
    )
    return rx.vstack(
        rx.cond(~S.can_manage,
                rx.callout.root(rx.callout.icon(rx.icon("eye", size=16)),
                                rx.callout.text(t("agents.read_only")), color_scheme="blue",
                                size="1", width="100%", data_testid="agents-read-only")),
        listing,
        _create_dialog(),
        width="100%",
        spacing="3",
    )


def agents_page() -> rx.Component:
    add = rx.cond(
        S.can_manage & ~S.forbidden,
        rx.button(rx.icon("plus", size=16), t("agents.create"),
                  on_click=S.set_create_open(True), data_testid="create-agent"),
    )
    return app_shell(
        rx.vstack(
            page_header(t("agents.title"), t("agents.subtitle"), add),
            page_frame(S, _content()),
            width="100%",
            spacing="0",
        ),
        active="/agents",
    )
