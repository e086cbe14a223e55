"""/crm/lead/<id>: one lead, its timeline, notes and follow-up tasks."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    TEMPERATURE_COLORS,
    color_of,
    error_callout,
    page_frame,
    when_datetime,
)
from smarterchat.components.i18n import label, t, temperature_label
from smarterchat.components.shell import app_shell
from smarterchat.state.crm_lead import FieldItem, LeadState, LineItem, TaskItem

S = LeadState
FIELD_KEYS = ["name", "email", "phone", "company", "interest", "budget", "urgency"]
KINDS = ["conversation", "created", "stage", "temperature", "owner", "value", "field", "note",
         "task", "merge", "merge_undone"]


def _section(title: rx.Var, *children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, size="3"), *children, spacing="3", width="100%"),
                   width="100%", **props)


def _header() -> rx.Component:
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(t("lead.back"), size="2"),
                          align="center", spacing="1"), href="/crm"),
        rx.flex(
            rx.heading(rx.cond(S.name != "", S.name, t("common.unnamed")), size="6",
                       data_testid="page-title", style={"overflow_wrap": "anywhere"}),
            rx.tooltip(rx.badge(temperature_label(S.temperature),
                                color_scheme=color_of(S.temperature, TEMPERATURE_COLORS)),
                       content=rx.cond(S.reason != "", S.reason, t("crm.no_reason"))),
            rx.cond(S.conversation_id != "",
                    rx.link(rx.button(rx.icon("message-circle", size=14),
                                      t("lead.open_conversation"), variant="soft", size="1"),
                            href="/inbox?c=" + S.conversation_id)),
            spacing="3", align="center", wrap="wrap",
        ),
        rx.text(S.phone, " ", S.email, size="2", color_scheme="gray"),
        spacing="2", width="100%", margin_bottom="16px",
    )


def _pipeline() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(t("lead.stage"), size="1", color_scheme="gray"),
            rx.select.root(rx.select.trigger(),
                           rx.select.content(rx.foreach(S.stages, lambda s: rx.select.item(
                               s.name, value=s.id))),
                           value=S.stage_id, on_change=S.change_stage,
                           data_testid="lead-stage"),
            spacing="1",
        ),
        rx.vstack(
            rx.text(t("lead.value"), size="1", color_scheme="gray"),
            rx.hstack(rx.input(value=S.value_input, on_change=S.set_value_input,
                               placeholder="0,00", inputmode="decimal", width="140px"),
                      rx.button(t("lead.save_value"), size="2", variant="soft",
                                on_click=S.save_value, loading=S.saving)),
            spacing="1",
        ),
        rx.vstack(rx.text(t("lead.owner"), size="1", color_scheme="gray"),
                  rx.text(rx.cond(S.owner != "", S.owner, t("crm.no_owner")), size="2"),
                  spacing="1"),
        spacing="4", wrap="wrap", width="100%",
    )


def _field(item: FieldItem) -> rx.Component:
    return rx.vstack(
        rx.text(label("lead.field", item.name, FIELD_KEYS), size="1", weight="medium"),
        rx.input(value=item.value, on_change=lambda v: S.set_field(item.name, v), width="100%"),
        rx.cond(item.source != "",
                rx.text(t("lead.from_message", text=item.source), size="1", color_scheme="gray",
                        style={"overflow_wrap": "anywhere"})),
        spacing="1", width="100%",
    )


def _line(line: LineItem) -> rx.Component:
    return rx.hstack(
        rx.box(width="8px", height="8px", border_radius="9999px", margin_top="6px",
               background=rx.color("accent", 9), flex_shrink="0"),
        rx.vstack(
            rx.hstack(rx.text(label("lead.kind", line.kind, KINDS), weight="bold", size="2"),
                      rx.cond(line.after != "",
                              rx.text(rx.cond(line.before != "", line.before + " → ", ""),
                                      line.after, size="2")),
                      spacing="2", wrap="wrap"),
            rx.cond(line.text != "", rx.text("“", line.text, "”", size="2",
                                             style={"overflow_wrap": "anywhere"})),
            rx.hstack(when_datetime(line.at),
                      rx.cond(line.who != "", rx.text("· ", line.who, size="1",
                                                      color_scheme="gray")), spacing="1"),
            spacing="0",
        ),
        align="start", spacing="2", width="100%", data_testid="lead-timeline-line",
    )


def _task(task: TaskItem) -> rx.Component:
    return rx.hstack(
        rx.checkbox(checked=task.done, on_change=lambda v: S.toggle_task(task.id, v)),
        rx.text(task.title, size="2", text_decoration=rx.cond(task.done, "line-through", "none")),
        rx.spacer(),
        rx.cond(task.overdue, rx.badge(t("lead.overdue"), color_scheme="red", size="1")),
        when_datetime(task.due),
        width="100%", align="center", spacing="2", wrap="wrap", data_testid="lead-task",
    )


def _content() -> rx.Component:
    return rx.vstack(
        _header(),
        error_callout(S.form_error),
        _pipeline(),
        rx.grid(
            rx.vstack(
                _section(t("lead.details"),
                         rx.grid(rx.foreach(S.fields, _field), columns=rx.breakpoints(
                             initial="1", sm="2"), spacing="3", width="100%"),
                         rx.button(t("lead.save"), on_click=S.save_fields, loading=S.saving,
                                   align_self="end")),
                _section(t("lead.tasks"),
                         rx.cond(S.tasks.length() > 0,
                                 rx.vstack(rx.foreach(S.tasks, _task), width="100%"),
                                 rx.text(t("lead.tasks_empty"), size="2", color_scheme="gray")),
                         rx.flex(rx.input(value=S.task_title, on_change=S.set_task_title,
                                          placeholder=t("lead.task_placeholder"), flex="1",
                                          min_width="200px"),
                                 rx.input(type="datetime-local", value=S.task_due,
                                          on_change=S.set_task_due),
                                 rx.button(t("lead.add_task"), on_click=S.add_task,
                                           loading=S.saving),
                                 spacing="2", wrap="wrap", width="100%")),
                spacing="3", width="100%",
            ),
            rx.vstack(
                _section(t("lead.notes"),
                         rx.text_area(value=S.note, on_change=S.set_note,
                                      placeholder=t("lead.note_placeholder"), width="100%"),
                         rx.button(t("lead.add_note"), on_click=S.add_note, loading=S.saving,
                                   align_self="end")),
                _section(t("lead.timeline"),
                         rx.cond(S.timeline.length() > 0,
                                 rx.vstack(rx.foreach(S.timeline, _line), spacing="3",
                                           width="100%"),
                                 rx.text(t("lead.timeline_empty"), size="2",
                                         color_scheme="gray"))),
                spacing="3", width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%",
        ),
        width="100%", spacing="3",
    )


def lead_page() -> rx.Component:
    return app_shell(page_frame(S, _content()), active="/crm")
