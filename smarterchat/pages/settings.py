"""/settings: the organisation's details and the places to manage it."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import page_frame, page_header, when_date
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.session import AppState
from smarterchat.state.settings import OrgSettingsState

S = OrgSettingsState


def _item(key: str, value) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(t(key)),
        rx.data_list.value(value),
    )


def _link_card(icon: str, title_key: str, body_key: str, href: str, test_id: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=22, color=rx.color("accent", 10), flex_shrink="0"),
                rx.vstack(rx.text(t(title_key), weight="bold", size="3"),
                          rx.text(t(body_key), size="2", color_scheme="gray"), spacing="1"),
                rx.spacer(),
                rx.icon("chevron-right", size=18, color=rx.color("gray", 9), flex_shrink="0"),
                align="center",
                spacing="3",
            ),
            width="100%",
        ),
        href=href,
        underline="none",
        color="inherit",
        width="100%",
        data_testid=test_id,
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.data_list.root(
                _item("settings.org_name", S.name),
                _item("settings.org_slug", rx.code(S.slug, variant="ghost")),
                _item("settings.org_timezone", S.timezone),
                _item("settings.org_locale", S.default_locale),
                _item("settings.org_members", S.members),
                _item("settings.org_created", when_date(S.created_at)),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            width="100%",
        ),
        rx.cond(AppState.show_users,
                _link_card("users", "nav.users", "settings.users_card", "/settings/users",
                           "settings-users-link")),
        rx.cond(AppState.show_users,  # the same roles see channels (channels.view)
                _link_card("radio-tower", "nav.channels", "settings.channels_card",
                           "/settings/channels", "settings-channels-link")),
        rx.cond(AppState.role == "admin",  # api_keys.manage and webhooks.manage
                _link_card("webhook", "nav.api", "settings.api_card", "/settings/api",
                           "settings-api-link")),
        _link_card("user-round-cog", "nav.profile", "settings.profile_card", "/profile",
                   "settings-profile-link"),
        width="100%",
        spacing="3",
    )


def settings_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("settings.title"), t("settings.subtitle")),
            page_frame(OrgSettingsState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/settings",
    )
