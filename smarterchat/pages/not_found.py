"""The page for an address that leads nowhere: said in the reader's language, with a way on."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.i18n import t


def not_found_page() -> rx.Component:
    return auth_layout(
        auth_card(
            rx.center(
                rx.box(rx.icon("map-pin-off", size=28, color=rx.color("accent", 10)),
                       background=rx.color("accent", 3), border_radius="9999px",
                       padding="14px"),
                width="100%",
            ),
            rx.heading(t("notfound.title"), size="5", as_="h1", text_align="center",
                       width="100%"),
            rx.text(t("notfound.body"), size="2", color_scheme="gray", text_align="center"),
            rx.link(rx.button(rx.icon("house", size=16), t("notfound.home"), size="3",
                              width="100%"),
                    href="/", width="100%", underline="none", data_testid="not-found-home"),
        ),
    )
