"""/analytics: service, AI and sales figures with their definitions (managers and admins see
the organisation, consultants their own conversations)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components import analytics as ui
from smarterchat.components.common import empty_state, page_frame, page_header
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.analytics import AnalyticsState

S = AnalyticsState


def _section(title_key: str, *panels: rx.Component, wide: bool = False) -> rx.Component:
    return rx.vstack(
        rx.heading(t(title_key), size="4"),
        rx.grid(*panels, columns=rx.breakpoints(initial="1", lg="1" if wide else "2"),
                spacing="3", width="100%"),
        width="100%", spacing="2")


def _content() -> rx.Component:
    return rx.vstack(
        ui.filters(),
        rx.cond(S.own_only, rx.callout(t("analytics.own_only"), icon="user", size="1",
                                       width="100%")),
        rx.cond(~S.has_data,
                empty_state("chart-column", t("analytics.empty_title"), t("analytics.empty_body"))),
        ui.cards(),
        _section("analytics.section.volume",
                 ui.panel("volume", ui.plot(S.fig_volume)),
                 ui.panel("contacts", ui.plot(S.fig_contacts))),
        _section("analytics.section.ai",
                 ui.panel("ai_share", ui.plot(S.fig_ai_share)),
                 ui.panel("handoffs", ui.plot(S.fig_handoffs)),
                 ui.panel("ai_answers", ui.plot(S.fig_ai_answers)),
                 ui.panel("ai_cost", ui.plot(S.fig_ai_cost),
                          rx.text(S.budget_text, size="2", color_scheme="gray",
                                  data_testid="analytics-budget")),
                 ui.panel("whatsapp", ui.plot(S.fig_whatsapp))),
        _section("analytics.section.time",
                 ui.panel("first_response", ui.plot(S.fig_first_response),
                          ui.stats_line("first_response")),
                 ui.panel("resolution", ui.plot(S.fig_resolution), ui.stats_line("resolution")),
                 ui.panel("heatmap", ui.plot(S.fig_heatmap))),
        _section("analytics.section.people", ui.panel("leaderboard", ui.leaderboard()), wide=True),
        _section("analytics.section.sales",
                 ui.panel("funnel", ui.plot(S.fig_funnel), ui.funnel_table()), wide=True),
        width="100%", spacing="5")


def analytics_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("analytics.title"), t("analytics.subtitle")),
            page_frame(AnalyticsState, _content()),
            width="100%", spacing="0"),
        active="/analytics")
