"""The CRM board's pieces: columns that take dropped cards, cards that can be dragged,
the "move to" menu (keyboard and phone), the won/lost dialog and the filters.

Drag and drop uses the browser's own HTML5 drag events on plain elements (``DragArea``):
no extra JavaScript package, and the "move to" menu works without it.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventHandler, no_args_event_spec

from smarterchat.components.common import TEMPERATURE_COLORS, channel_icon, color_of, field
from smarterchat.components.i18n import t, temperature_label
from smarterchat.state.crm import CHANNEL_KINDS, PERIODS, CrmState, LeadItem, StageItem


class DragArea(rx.el.Div):
    """A div that hears the HTML5 drag events (Reflex's elements do not declare them)."""

    on_drag_start: EventHandler[no_args_event_spec]  # type: ignore[valid-type,type-arg]
    on_drag_end: EventHandler[no_args_event_spec]  # type: ignore[valid-type,type-arg]
    on_drag_over: EventHandler[no_args_event_spec]  # type: ignore[valid-type,type-arg]
    on_drop: EventHandler[no_args_event_spec]  # type: ignore[valid-type,type-arg]


def _move_menu(lead: LeadItem) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(rx.icon("arrow-right-left", size=14), variant="ghost", size="1",
                           aria_label=t("crm.move_to"), data_testid="crm-move-menu"),
        ),
        rx.dropdown_menu.content(
            rx.text(t("crm.move_to"), size="1", color_scheme="gray", padding_x="8px"),
            rx.foreach(CrmState.stages, lambda stage: rx.dropdown_menu.item(
                stage.stage, on_select=CrmState.move_to(lead.id, stage.id),
                data_testid="crm-move-option")),
        ),
    )


def _card(lead: LeadItem, stage: StageItem) -> rx.Component:
    return DragArea.create(
        rx.card(
            rx.vstack(
                rx.hstack(
                    channel_icon(lead.channel, size=14),
                    rx.link(rx.cond(lead.name != "", lead.name, t("common.unnamed")),
                            href="/crm/lead/" + lead.id, weight="bold", size="2",
                            data_testid="crm-card-name"),
                    rx.spacer(),
                    rx.cond(lead.conversation_id != "",
                            rx.link(rx.icon_button(rx.icon("message-circle", size=14),
                                                   variant="ghost", size="1",
                                                   aria_label=t("lead.open_conversation")),
                                    href="/inbox?c=" + lead.conversation_id,
                                    data_testid="crm-card-conversation")),
                    _move_menu(lead),
                    align="center", spacing="2", width="100%",
                ),
                rx.hstack(
                    rx.tooltip(
                        rx.badge(temperature_label(lead.temperature),
                                 color_scheme=color_of(lead.temperature, TEMPERATURE_COLORS),
                                 size="1"),
                        content=rx.cond(lead.reason != "", lead.reason, t("crm.no_reason")),
                    ),
                    rx.cond(lead.value != "", rx.text(lead.value, size="1", weight="medium")),
                    rx.cond(lead.stale, rx.badge(rx.icon("clock", size=12), t("crm.stale"),
                                                 color_scheme="amber", variant="soft",
                                                 size="1", data_testid="crm-stale")),
                    spacing="2", align="center", wrap="wrap",
                ),
                rx.cond(lead.window_hours >= 0,
                        rx.text(t("crm.window_closes", hours=lead.window_hours), size="1",
                                color_scheme=rx.cond(lead.window_hours < 3, "red", "gray"))),
                rx.hstack(
                    rx.text(rx.cond(lead.owner != "", lead.owner, t("crm.no_owner")), size="1",
                            color_scheme="gray"),
                    rx.spacer(),
                    rx.moment(lead.activity, from_now=True, locale=CrmState.lang, size="1",
                              color=rx.color("gray", 10), font_size="12px"),
                    width="100%",
                ),
                spacing="1",
            ),
            size="1",
            width="100%",
        ),
        draggable=True,
        on_drag_start=CrmState.drag(lead.id),
        on_drag_over=rx.prevent_default,
        on_drop=CrmState.drop(stage.id, lead.id).stop_propagation,
        cursor="grab",
        width="100%",
        data_testid="crm-card",
        data_lead=lead.id,
    )


def _column(stage: StageItem) -> rx.Component:
    return DragArea.create(
        rx.vstack(
            rx.hstack(
                rx.box(width="8px", height="8px", border_radius="9999px",
                       background=rx.color(stage.color, 9)),
                rx.text(stage.stage, weight="bold", size="2"),
                rx.badge(stage.total, variant="soft", color_scheme="gray", size="1",
                         data_testid="crm-stage-count"),
                rx.spacer(),
                rx.cond(stage.value != "", rx.text(stage.value, size="1", color_scheme="gray",
                                                   data_testid="crm-stage-value")),
                align="center", spacing="2", width="100%",
            ),
            rx.cond(
                stage.total > 0,
                rx.vstack(rx.foreach(stage.leads, lambda lead: _card(lead, stage)), spacing="2",
                          width="100%"),
                rx.text(t("crm.stage_empty"), size="1", color_scheme="gray", padding_y="8px"),
            ),
            rx.cond(stage.more > 0,
                    rx.button(t("crm.more", count=stage.more), variant="ghost", size="1",
                              on_click=CrmState.more(stage.id), data_testid="crm-more")),
            spacing="2",
            width="100%",
        ),
        on_drag_over=rx.prevent_default,
        on_drop=CrmState.drop(stage.id, ""),
        min_width="260px",
        width="260px",
        flex_shrink="0",
        padding="10px",
        border_radius="var(--radius-4)",
        background=rx.color("gray", 3),
        min_height="200px",
        data_testid="crm-stage",
        data_stage=stage.stage,
    )


def filters() -> rx.Component:
    return rx.flex(
        rx.input(rx.input.slot(rx.icon("search", size=14)), placeholder=t("crm.search"),
                 value=CrmState.search, on_change=CrmState.set_search.debounce(300),
                 width=["100%", "260px"], data_testid="crm-search"),
        rx.select.root(
            rx.select.trigger(placeholder=t("crm.temperature")),
            rx.select.content(
                rx.select.item(t("crm.all_temperatures"), value="all"),
                *[rx.select.item(temperature_label(rx.Var.create(k)), value=k)
                  for k in ("hot", "warm", "cold")],
            ),
            value=rx.cond(CrmState.temperature != "", CrmState.temperature, "all"),
            on_change=CrmState.set_temperature,
        ),
        rx.select.root(
            rx.select.trigger(),
            rx.select.content(
                rx.select.item(t("crm.all_owners"), value="all"),
                rx.select.item(t("crm.mine"), value="me"),
                rx.select.item(t("crm.no_owner"), value="none"),
            ),
            value=rx.cond(CrmState.owner != "", CrmState.owner, "all"),
            on_change=CrmState.set_owner,
        ),
        rx.select.root(
            rx.select.trigger(),
            rx.select.content(
                rx.select.item(t("crm.all_channels"), value="all"),
                *[rx.select.item(t(f"crm.channel.{kind}"), value=kind)
                  for kind in CHANNEL_KINDS],
            ),
            value=rx.cond(CrmState.channel_kind != "", CrmState.channel_kind, "all"),
            on_change=CrmState.set_channel_kind,
        ),
        rx.select.root(
            rx.select.trigger(),
            rx.select.content(
                rx.select.item(t("crm.any_time"), value="all"),
                *[rx.select.item(t(f"crm.created_last_{days}"), value=days) for days in PERIODS],
            ),
            value=rx.cond(CrmState.period_days != "", CrmState.period_days, "all"),
            on_change=CrmState.set_period_days,
        ),
        rx.cond(CrmState.pipeline_options.length() > 1, rx.select.root(
            rx.select.trigger(),
            rx.select.content(rx.foreach(CrmState.pipeline_options,
                                         lambda p: rx.select.item(p.name, value=p.id))),
            value=CrmState.pipeline_id,
            on_change=CrmState.set_pipeline,
        )),
        rx.checkbox(t("crm.stale_only"), checked=CrmState.stale_only,
                    on_change=CrmState.set_stale_only),
        spacing="3", wrap="wrap", align="center", width="100%",
    )


def move_dialog() -> rx.Component:
    """Won asks the sale's value; lost asks the reason (the list, or free text)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(CrmState.pending_kind == "won", t("crm.won_title"),
                                    t("crm.lost_title"))),
            rx.vstack(
                rx.cond(
                    CrmState.pending_kind == "won",
                    field(t("crm.value"), rx.input(value=CrmState.pending_value,
                                                   on_change=CrmState.set_pending_value,
                                                   placeholder="1.500,00", inputmode="decimal",
                                                   data_testid="crm-won-value")),
                    rx.vstack(
                        rx.flex(rx.foreach(CrmState.reasons, lambda r: rx.button(
                            r.name, size="1", type="button",
                            variant=rx.cond(CrmState.pending_reason == r.name, "solid", "soft"),
                            on_click=CrmState.set_pending_reason(r.name))),
                            spacing="2", wrap="wrap"),
                        field(t("crm.reason"), rx.text_area(
                            value=CrmState.pending_reason, on_change=CrmState.set_pending_reason,
                            data_testid="crm-lost-reason")),
                        width="100%",
                    ),
                ),
                rx.cond(CrmState.move_error != "",
                        rx.text(CrmState.move_error, color_scheme="red", size="2",
                                role="alert")),
                rx.hstack(
                    rx.button(t("common.cancel"), variant="soft", color_scheme="gray",
                              on_click=CrmState.cancel_move),
                    rx.button(t("crm.confirm_move"), loading=CrmState.moving,
                              on_click=CrmState.confirm_move, data_testid="crm-confirm-move"),
                    justify="end", width="100%", spacing="2",
                ),
                spacing="3",
            ),
            max_width="420px",
        ),
        open=CrmState.pending_lead != "",
        on_open_change=lambda _open: CrmState.cancel_move(),
    )


def board() -> rx.Component:
    return rx.scroll_area(
        rx.hstack(rx.foreach(CrmState.stages, _column), spacing="3", align="start",
                  padding_bottom="12px"),
        type="auto",
        scrollbars="horizontal",
        width="100%",
    )
