"""/crm: leads by pipeline stage."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    TEMPERATURE_COLORS,
    color_of,
    empty_state,
    page_frame,
    page_header,
)
from smarterchat.components.i18n import t, temperature_label
from smarterchat.components.shell import app_shell
from smarterchat.state.crm import CrmState, LeadItem, StageItem


def _lead(lead: LeadItem) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(rx.cond(lead.name != "", lead.name, t("common.unnamed")), weight="bold",
                    size="2"),
            rx.hstack(
                rx.badge(temperature_label(lead.temperature),
                         color_scheme=color_of(lead.temperature, TEMPERATURE_COLORS), size="1"),
                rx.cond(lead.value != "", rx.text(lead.value, size="1", color_scheme="gray")),
                spacing="2",
                align="center",
            ),
            rx.cond(lead.owner != "", rx.text(lead.owner, size="1", color_scheme="gray")),
            spacing="1",
        ),
        size="1",
        width="100%",
    )


def _column(stage: StageItem) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(stage.stage, weight="bold", size="2"),
            rx.badge(stage.total, variant="soft", color_scheme="gray", size="1"),
            align="center",
            spacing="2",
        ),
        rx.cond(
            stage.total > 0,
            rx.vstack(rx.foreach(stage.leads, _lead), spacing="2", width="100%"),
            rx.text(t("crm.stage_empty"), size="1", color_scheme="gray", padding_y="8px"),
        ),
        rx.cond(stage.more > 0,
                rx.text(t("crm.more", count=stage.more), size="1", color_scheme="gray")),
        min_width="220px",
        width="220px",
        flex_shrink="0",
        padding="10px",
        spacing="2",
        border_radius="var(--radius-4)",
        background=rx.color("gray", 3),
        data_testid="crm-stage",
    )


def _content() -> rx.Component:
    return rx.cond(
        CrmState.total > 0,
        rx.scroll_area(
            rx.hstack(rx.foreach(CrmState.stages, _column), spacing="3", align="start",
                      padding_bottom="12px"),
            type="auto",
            scrollbars="horizontal",
            width="100%",
        ),
        empty_state("contact", t("crm.empty_title"), t("crm.empty_body")),
    )


def crm_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("crm.title"), t("crm.subtitle")),
            page_frame(CrmState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/crm",
    )
