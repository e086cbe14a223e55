"""The installable app's hooks: the head tags (manifest, icons, service worker script) and
the hidden element that tells assets/pwa.js how many conversations are assigned to the
consultant, so it can notify while the tab is in the background."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.i18n import t
from smarterchat.state.badges import BadgeState


def pwa_head() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content="#0d9488"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.script(src="/pwa.js", defer=True),
    ]


def assigned_signal() -> rx.Component:
    mine = BadgeState.mine
    return rx.el.span(
        id="sc-assigned",
        hidden=True,
        data_count=mine,
        data_title="SmarterChat",
        data_body=t("shell.badge_mine", count=mine),  # the sidebar badge's own words
    )
