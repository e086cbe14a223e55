"""/agents: the AI agents and the channels each answers."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import channel_icon, empty_state, page_frame, page_header
from smarterchat.components.i18n import channel_label, t
from smarterchat.components.shell import app_shell
from smarterchat.state.agents import AgentItem, AgentsState, ChannelItem


def _channel(c: ChannelItem) -> rx.Component:
    return rx.badge(
        channel_icon(c.kind, 14),
        c.name,
        rx.text("(", channel_label(c.kind), ")", size="1", color_scheme="gray"),
        variant="surface",
        color_scheme=rx.cond(c.active, "teal", "gray"),
        size="2",
    )


def _agent(a: AgentItem) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.box(rx.icon("bot", size=20, color=rx.color("accent", 11)),
                       background=rx.color("accent", 3), padding="8px",
                       border_radius="var(--radius-3)", line_height="0"),
                rx.heading(a.name, size="4"),
                rx.spacer(),
                rx.badge(rx.cond(a.active, t("common.active"), t("common.inactive")),
                         color_scheme=rx.cond(a.active, "grass", "gray")),
                align="center",
                spacing="3",
                width="100%",
            ),
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
                rx.flex(rx.foreach(a.channels, _channel), gap="2", wrap="wrap"),
                rx.text(t("agents.no_channels"), size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="agent-card",
    )


def _content() -> rx.Component:
    return rx.cond(
        AgentsState.agents.length() > 0,
        rx.vstack(
            rx.grid(rx.foreach(AgentsState.agents, _agent),
                    columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%"),
            rx.cond(
                AgentsState.loose_channels.length() > 0,
                rx.vstack(
                    rx.heading(t("agents.channels_without_agent"), size="3"),
                    rx.flex(rx.foreach(AgentsState.loose_channels, _channel), gap="2",
                            wrap="wrap"),
                    spacing="2",
                ),
            ),
            width="100%",
            spacing="4",
        ),
        empty_state("bot", t("agents.empty_title"), t("agents.empty_body")),
    )


def agents_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("agents.title"), t("agents.subtitle")),
            page_frame(AgentsState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/agents",
    )
