"""/crm/settings: pipelines, stages, lost reasons and lead distribution (admins)."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services.crm.pipelines import COLORS
from smarterchat.components.common import field, notice_callout, page_frame, page_header
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.crm_settings import CrmSettingsState as S
from smarterchat.state.crm_settings import StageRow

KINDS = ["open", "won", "lost"]
RULES = ["off", "round_robin", "least_open", "team"]


def _stage(row: StageRow) -> rx.Component:
    return rx.flex(
        rx.box(width="10px", height="10px", border_radius="9999px",
               background=rx.color(row.color, 9), flex_shrink="0"),
        rx.input(value=row.name, on_change=lambda v: S.edit_stage(row.id, "name", v),
                 min_width="140px", flex="1"),
        rx.select.root(rx.select.trigger(),
                       rx.select.content(*[rx.select.item(t(f"crm.kind.{k}"), value=k)
                                           for k in KINDS]),
                       value=row.kind, on_change=lambda v: S.edit_stage(row.id, "kind", v)),
        rx.select.root(rx.select.trigger(),
                       rx.select.content(*[rx.select.item(c, value=c) for c in COLORS]),
                       value=row.color, on_change=lambda v: S.edit_stage(row.id, "color", v)),
        rx.input(value=row.stale, on_change=lambda v: S.edit_stage(row.id, "stale", v),
                 placeholder=t("crm.stale_days"), width="110px", inputmode="numeric"),
        rx.icon_button(rx.icon("arrow-up", size=14), variant="ghost", size="1",
                       on_click=S.move_stage(row.id, -1), aria_label=t("crm.move_up")),
        rx.icon_button(rx.icon("arrow-down", size=14), variant="ghost", size="1",
                       on_click=S.move_stage(row.id, 1), aria_label=t("crm.move_down")),
        rx.button(t("crm.save"), size="1", variant="soft", on_click=S.save_stage(row.id)),
        rx.icon_button(rx.icon("trash-2", size=14), variant="ghost", color_scheme="red",
                       size="1", on_click=S.delete_stage(row.id), aria_label=t("crm.delete")),
        spacing="2", align="center", wrap="wrap", width="100%", data_testid="crm-settings-stage",
    )


def _pipelines() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("crm.pipelines"), size="3"),
        rx.flex(
            rx.select.root(rx.select.trigger(),
                           rx.select.content(rx.foreach(S.pipeline_options, lambda p:
                                                        rx.select.item(p.name, value=p.id))),
                           value=S.pipeline_id, on_change=S.pick_pipeline),
            rx.input(value=S.new_pipeline, on_change=lambda v: S.set_text("new_pipeline", v),
                     placeholder=t("crm.new_pipeline")),
            rx.button(t("crm.add"), variant="soft", on_click=S.add_pipeline, loading=S.busy),
            spacing="2", wrap="wrap",
        ),
        rx.foreach(S.stages, _stage),
        rx.flex(rx.input(value=S.new_stage, on_change=lambda v: S.set_text("new_stage", v),
                         placeholder=t("crm.new_stage")),
                rx.button(t("crm.add"), variant="soft", on_click=S.add_stage, loading=S.busy),
                spacing="2"),
        spacing="3", width="100%",
    ), width="100%")


def _reasons() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("crm.lost_reasons"), size="3"),
        rx.flex(rx.foreach(S.reasons, lambda r: rx.badge(
            r.name, rx.icon("x", size=12, cursor="pointer", on_click=S.remove_reason(r.id)),
            variant="soft", size="2")), spacing="2", wrap="wrap"),
        rx.flex(rx.input(value=S.new_reason, on_change=lambda v: S.set_text("new_reason", v),
                         placeholder=t("crm.new_reason")),
                rx.button(t("crm.add"), variant="soft", on_click=S.add_reason, loading=S.busy),
                spacing="2"),
        spacing="3", width="100%",
    ), width="100%")


def _distribution() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("crm.distribution"), size="3"),
        field(t("crm.distribution_rule"), rx.select.root(
            rx.select.trigger(width="100%"),
            rx.select.content(*[rx.select.item(t(f"crm.rule.{r}"), value=r) for r in RULES]),
            value=S.rule, on_change=lambda v: S.set_text("rule", v))),
        rx.cond(S.rule == "team", field(t("crm.distribution_team"), rx.select.root(
            rx.select.trigger(width="100%"),
            rx.select.content(rx.foreach(S.team_options, lambda x: rx.select.item(
                x.name, value=x.id))),
            value=S.team_id, on_change=lambda v: S.set_text("team_id", v)))),
        field(t("crm.lead_cap"), rx.input(value=S.cap, on_change=lambda v: S.set_text("cap", v),
                                          inputmode="numeric", placeholder="—")),
        rx.checkbox(t("crm.see_unassigned"), checked=S.see_unassigned,
                    on_change=lambda v: S.set_flag("see_unassigned", v)),
        rx.checkbox(t("crm.follows_assignee"), checked=S.follows_assignee,
                    on_change=lambda v: S.set_flag("follows_assignee", v)),
        rx.button(t("crm.save"), on_click=S.save_distribution, loading=S.busy, align_self="end"),
        spacing="3", width="100%",
    ), width="100%")


def crm_settings_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("crm.settings"), t("crm.settings_subtitle")),
            page_frame(S, rx.vstack(notice_callout(S.notice), _pipelines(), _reasons(),
                                    _distribution(), spacing="3", width="100%")),
            width="100%", spacing="0",
        ),
        active="/crm",
    )

