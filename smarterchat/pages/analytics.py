"""/analytics: the organisation's numbers (managers and admins)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import empty_state, page_frame, page_header, stat_card
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.analytics import AnalyticsState

S = AnalyticsState


def _group(title_key: str, *cards: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.heading(t(title_key), size="3"),
        rx.grid(*cards, columns=rx.breakpoints(initial="1", xs="2", md="4"), spacing="3",
                width="100%"),
        width="100%",
        spacing="2",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(~S.has_data,
                empty_state("chart-column", t("analytics.empty_title"), t("analytics.empty_body"))),
        _group(
            "analytics.conversations_by_status",
            stat_card("bot", t("status.bot"), S.by_status["bot"], "violet"),
            stat_card("hand", t("status.waiting_human"), S.by_status["waiting_human"], "amber"),
            stat_card("headset", t("status.human"), S.by_status["human"], "blue"),
            stat_card("circle-check", t("status.resolved"), S.by_status["resolved"], "gray"),
        ),
        _group(
            "analytics.messages_7d",
            stat_card("arrow-down-left", t("analytics.inbound"), S.inbound_7d, "teal"),
            stat_card("arrow-up-right", t("analytics.outbound"), S.outbound_7d, "blue"),
            stat_card("sparkles", t("analytics.by_ai"), S.ai_7d, "violet"),
            stat_card("wallet", t("analytics.ai_cost"), S.ai_cost, "gray"),
        ),
        _group(
            "analytics.leads_by_temperature",
            stat_card("flame", t("temperature.hot"), S.by_temperature["hot"], "red"),
            stat_card("thermometer", t("temperature.warm"), S.by_temperature["warm"], "orange"),
            stat_card("snowflake", t("temperature.cold"), S.by_temperature["cold"], "cyan"),
            stat_card("users", t("analytics.team_online"),
                      rx.text(S.team_online, " / ", S.team_total), "grass"),
        ),
        width="100%",
        spacing="5",
    )


def analytics_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("analytics.title"), t("analytics.subtitle")),
            page_frame(AnalyticsState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/analytics",
    )
