"""The home page's list of the consultant's follow-up tasks (due today or overdue)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import when_datetime
from smarterchat.components.i18n import t
from smarterchat.state.crm_lead import TaskItem
from smarterchat.state.crm_tasks import HomeTasksState


def _task(task: TaskItem) -> rx.Component:
    return rx.hstack(
        rx.checkbox(on_change=lambda _v: HomeTasksState.done(task.id)),
        rx.link(task.title, href="/crm/lead/" + task.lead_id, size="2", weight="medium"),
        rx.text(task.lead_name, size="1", color_scheme="gray"),
        rx.spacer(),
        rx.cond(task.overdue, rx.badge(t("lead.overdue"), color_scheme="red", size="1")),
        when_datetime(task.due),
        width="100%", align="center", spacing="2", wrap="wrap", data_testid="home-task",
    )


def due_tasks() -> rx.Component:
    """Loads itself when the home page shows it (the home page's own load stays as it was)."""
    return rx.box(
        rx.cond(
            HomeTasksState.due.length() > 0,
            rx.card(rx.vstack(rx.heading(t("home.tasks_due"), size="3"),
                              rx.foreach(HomeTasksState.due, _task), spacing="2",
                              width="100%"),
                    width="100%", data_testid="home-tasks"),
        ),
        on_mount=HomeTasksState.load,
        width="100%",
    )
