"""/: greeting and the organisation's counts."""

from __future__ import annotations

import reflex as rx

from smarterchat.components import crm_tasks
from smarterchat.components.common import page_frame, page_header, stat_card
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.badges import BadgeState
from smarterchat.state.dashboard import DashboardState
from smarterchat.state.session import AppState


def _step(icon: str, title_key: str, body_key: str, href: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=20, color=rx.color("accent", 10), flex_shrink="0"),
                rx.vstack(
                    rx.text(t(title_key), weight="bold", size="2"),
                    rx.text(t(body_key), size="2", color_scheme="gray"),
                    spacing="1",
                ),
                rx.spacer(),
                rx.icon("chevron-right", size=18, color=rx.color("gray", 9), flex_shrink="0"),
                align="center",
                spacing="3",
            ),
            width="100%",
        ),
        href=href,
        underline="none",
        color="inherit",
        width="100%",
    )


def _content() -> rx.Component:
    s = DashboardState
    return rx.vstack(
        rx.cond(
            s.ai_budget_exhausted,
            rx.callout(t("home.ai_budget_exhausted"), icon="triangle-alert", color_scheme="red",
                       width="100%", data_testid="ai-budget-alert"),
        ),
        rx.grid(
            stat_card("messages-square", t("home.open_conversations"), s.open_conversations,
                      "teal", "/inbox"),
            stat_card("hand", t("home.waiting_human"), BadgeState.waiting, "amber", "/inbox"),
            stat_card("contact", t("home.leads"), s.leads, "violet", "/crm"),
            stat_card("radio-tower", t("home.channels"), s.channels, "blue", "/agents"),
            columns=rx.breakpoints(initial="1", xs="2", md="4"),
            spacing="3",
            width="100%",
            data_testid="dashboard-counts",
        ),
        rx.hstack(
            rx.badge(rx.icon("user-check", size=14), t("home.my_open"), ": ", BadgeState.mine,
                     variant="soft", size="2", data_testid="home-mine"),
            rx.badge(rx.icon("bot", size=14), t("home.agents"), ": ", s.agents, variant="soft",
                     size="2", color_scheme="gray"),
            wrap="wrap",
            spacing="2",
        ),
        crm_tasks.due_tasks(),
        rx.heading(t("home.next_steps"), size="4", margin_top="12px"),
        rx.vstack(
            _step("inbox", "nav.inbox", "home.step_inbox", "/inbox"),
            _step("bot", "nav.agents", "home.step_agents", "/agents"),
            rx.cond(AppState.show_users,
                    _step("users", "nav.users", "home.step_users", "/settings/users")),
            width="100%",
            spacing="2",
        ),
        width="100%",
        spacing="4",
    )


def dashboard_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("home.greeting", name=AppState.me_name),
                        t("home.subtitle", org=AppState.org_name)),
            page_frame(DashboardState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/",
    )
