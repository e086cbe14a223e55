"""Pieces of the channel page: a titled section and a read-only value with a copy button."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.i18n import t


def section(icon: str, title, *children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=18, color=rx.color("accent", 10)),
                      rx.heading(title, size="4"), align="center", spacing="2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        **props,
    )


def copy_field(label_text, value, test_id: str, copy_label=None) -> rx.Component:
    """A value to paste elsewhere: shown whole (wrapping on phones) with a copy button."""
    return rx.vstack(
        rx.text(label_text, size="2", weight="medium"),
        rx.flex(
            rx.code(value, variant="ghost", size="2", data_testid=test_id,
                    style={"overflow_wrap": "anywhere", "white_space": "pre-wrap", "flex": "1",
                           "min_width": "0", "max_height": "180px", "overflow_y": "auto"}),
            rx.button(rx.icon("copy", size=14), copy_label if copy_label is not None
                      else t("common.copy"),
                      on_click=[rx.set_clipboard(value), rx.toast.success(t("common.copied"))],
                      variant="soft", size="2", type="button", flex_shrink="0",
                      data_testid=f"{test_id}-copy"),
            spacing="3",
            align="start",
            width="100%",
            padding="10px",
            border_radius="var(--radius-3)",
            background=rx.color("gray", 2),
            border=f"1px solid {rx.color('gray', 5)}",
        ),
        spacing="1",
        width="100%",
    )
