"""Small pieces every page uses: headers, empty states, messages, stat cards."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar, Var

from smarterchat.components.i18n import t
from smarterchat.state.session import AppState

ROLE_COLORS = {"admin": "purple", "manager": "blue", "consultant": "teal"}
STATUS_COLORS = {"bot": "violet", "waiting_human": "amber", "human": "blue", "resolved": "gray"}
TEMPERATURE_COLORS = {"hot": "red", "warm": "orange", "cold": "cyan"}



def refused_files(files: Var) -> Var:
    """What a handler needs of the files an upload's dropzone refused (the File objects
    themselves would be sent as bytes): "name<TAB>codes" each, codes being react-dropzone's
    (file-too-large, file-invalid-type, too-many-files)."""

    def one(entry: Var) -> Var:
        entry = entry.to(ObjectVar, dict[str, Any])
        codes = entry["errors"].to(ArrayVar, list[dict[str, Any]]).map(
            lambda e: e.to(ObjectVar, dict[str, Any])["code"])
        # An f-string of Vars is a template string that Reflex reads back as a Var.
        return f"{entry['file'].to(ObjectVar, dict[str, Any])['name']}\t{codes.join(',')}"  # type: ignore[return-value]

    return files.to(ArrayVar, list[dict[str, Any]]).map(one)


def color_of(value: rx.Var, colors: dict[str, str], default: str = "gray") -> rx.Var:
    return rx.match(value, *colors.items(), default)


def channel_icon(kind: rx.Var, size: int = 16) -> rx.Component:
    return rx.match(
        kind,
        ("whatsapp", rx.icon("message-circle", size=size, color=rx.color("grass", 10))),
        ("instagram", rx.icon("camera", size=size, color=rx.color("pink", 10))),
        rx.icon("globe", size=size, color=rx.color("blue", 10)),
    )


def page_header(title: rx.Var | str, subtitle: rx.Var | str | None = None,
                *actions: rx.Component) -> rx.Component:
    heading = [rx.heading(title, size="6", weight="bold", data_testid="page-title")]
    if subtitle is not None:
        heading.append(rx.text(subtitle, color_scheme="gray", size="2"))
    return rx.flex(
        rx.vstack(*heading, spacing="1"),
        rx.spacer(),
        rx.hstack(*actions, spacing="2", wrap="wrap") if actions else rx.fragment(),
        width="100%",
        align="end",
        spacing="3",
        wrap="wrap",
        margin_bottom="24px",
    )


def empty_state(icon: str, title: rx.Var | str, body: rx.Var | str,
                *actions: rx.Component) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(
                rx.icon(icon, size=28, color=rx.color("accent", 10)),
                background=rx.color("accent", 3),
                border_radius="9999px",
                padding="14px",
            ),
            rx.heading(title, size="4", text_align="center"),
            rx.text(body, color_scheme="gray", size="2", text_align="center", max_width="440px"),
            *actions,
            align="center",
            spacing="3",
        ),
        padding_y="48px",
        padding_x="16px",
        width="100%",
        border=f"1px dashed {rx.color('gray', 6)}",
        border_radius="var(--radius-4)",
        class_name="empty-state",
    )


def error_callout(message: rx.Var, **props) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert", size=16)),
            rx.callout.text(message),
            color_scheme="red",
            role="alert",
            size="1",
            width="100%",
            **props,
        ),
    )


def notice_callout(message: rx.Var, **props) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check", size=16)),
            rx.callout.text(message),
            color_scheme="grass",
            role="status",
            size="1",
            width="100%",
            **props,
        ),
    )


def stat_card(icon: str, label: rx.Var, value: rx.Var, color: str = "teal",
              href: str | None = None) -> rx.Component:
    card = rx.card(
        rx.hstack(
            rx.box(
                rx.icon(icon, size=20, color=rx.color(color, 11)),
                background=rx.color(color, 3),
                border_radius="var(--radius-3)",
                padding="10px",
            ),
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.text(value, size="6", weight="bold", class_name="stat-value"),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )
    if href:
        return rx.link(card, href=href, underline="none", color="inherit", width="100%")
    return card


def loading_block() -> rx.Component:
    return rx.vstack(
        rx.skeleton(height="72px", width="100%"),
        rx.skeleton(height="72px", width="100%"),
        rx.skeleton(height="72px", width="100%"),
        width="100%",
        spacing="3",
    )


def refusal() -> rx.Component:
    return empty_state(
        "shield-x",
        t("forbidden.title"),
        t("forbidden.body"),
        rx.link(rx.button(rx.icon("house", size=16), t("forbidden.home"), variant="soft"),
                href="/"),
    )


def field(label_text: rx.Var, control: rx.Component, help_text: rx.Var | None = None
          ) -> rx.Component:
    """A labelled control: the label element wraps it, so the label names the control for
    screen readers (and ``get_by_label``) and a click on it focuses the control."""
    return rx.el.label(
        rx.text(label_text, size="2", weight="medium"),
        control,
        rx.text(help_text, size="1", color_scheme="gray") if help_text is not None
        else rx.fragment(),
        style={"display": "flex", "flex_direction": "column", "gap": "var(--space-1)",
               "width": "100%"},
    )


def submit_button(text: rx.Var, busy: rx.Var, **props) -> rx.Component:
    """A submit button that shows a spinner and refuses clicks while work runs."""
    return rx.button(
        rx.cond(busy, rx.spinner(size="2"), rx.fragment()),
        text,
        type="submit",
        disabled=busy,
        **props,
    )


def dialog_buttons(text: rx.Var, busy: rx.Var, **props) -> rx.Component:
    """A dialog form's footer: cancel (closes, submits nothing) and the submit button."""
    return rx.flex(
        rx.dialog.close(rx.button(t("common.cancel"), variant="soft", color_scheme="gray",
                                  type="button")),
        submit_button(text, busy, **props),
        spacing="3",
        justify="end",
        width="100%",
    )


def when_datetime(iso: rx.Var) -> rx.Component:
    """A timestamp in the viewer's own time zone and date style."""
    return rx.moment(
        iso,
        format=rx.cond(AppState.lang == "en", "MMM D, YYYY HH:mm", "DD/MM/YYYY HH:mm"),
        local=True,
    )


def when_short(iso: rx.Var) -> rx.Component:
    """Day, month and time, for lists and threads: 30/11 15:46, Nov 30, 15:46."""
    return rx.moment(
        iso,
        format=rx.cond(AppState.lang == "en", "MMM D, HH:mm", "DD/MM HH:mm"),
        local=True,
    )


def when_date(iso: rx.Var) -> rx.Component:
    return rx.moment(
        iso,
        format=rx.cond(AppState.lang == "en", "MMM D, YYYY", "DD/MM/YYYY"),
        local=True,
    )


VISUALLY_HIDDEN = {
    "position": "absolute", "width": "1px", "height": "1px", "padding": "0", "margin": "-1px",
    "overflow": "hidden", "clip": "rect(0, 0, 0, 0)", "white_space": "nowrap", "border": "0",
}


def page_frame(state: type, content: rx.Component) -> rx.Component:
    """Refusal, error and first-load skeleton around a page's content."""
    return rx.cond(
        state.forbidden,
        refusal(),
        rx.vstack(
            error_callout(state.error),
            rx.cond(state.loaded, content, loading_block()),
            width="100%",
            spacing="4",
        ),
    )
