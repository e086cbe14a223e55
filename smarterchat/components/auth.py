"""The frame of the signed-out pages (login, sign-up)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.i18n import t
from smarterchat.components.shell import brand, language_switch


def auth_layout(*children: rx.Component) -> rx.Component:
    return rx.box(
        rx.flex(
            brand(),
            rx.spacer(),
            language_switch(),
            align="center",
            width="100%",
            max_width="440px",
            margin_x="auto",
            padding_bottom="20px",
        ),
        rx.vstack(
            *children,
            rx.text(t("app.tagline"), size="1", color_scheme="gray", text_align="center",
                    padding_top="8px"),
            width="100%",
            max_width="440px",
            margin_x="auto",
            spacing="4",
            align="center",
        ),
        min_height="100vh",
        width="100%",
        padding_x="16px",
        padding_y=rx.breakpoints(initial="24px", sm="64px"),
        background=f"linear-gradient(160deg, {rx.color('accent', 3)} 0%, {rx.color('gray', 1)} 55%)",
    )


def auth_card(*children: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(*children, spacing="4", width="100%"),
        size="3",
        width="100%",
    )
