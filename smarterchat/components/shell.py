"""The signed-in frame: sidebar on wide screens, a drawer on phones.

Just over 300 lines: the sidebar and the drawer share their menu, badges and account
pieces, which keeps both in one module."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import ROLE_COLORS, VISUALLY_HIDDEN, color_of
from smarterchat.components.i18n import role_label, t
from smarterchat.components.pwa import assigned_signal
from smarterchat.state.badges import BadgeState
from smarterchat.state.session import AppState

SIDEBAR_WIDTH = "248px"
WIDE = rx.breakpoints(initial="none", sm="flex")
NARROW = rx.breakpoints(initial="flex", sm="none")


def brand(size: str = "4") -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.icon("messages-square", size=18, color="white"),
            background=rx.color("accent", 9),
            border_radius="var(--radius-3)",
            padding="6px",
            line_height="0",
        ),
        rx.heading("SmarterChat", size=size, weight="bold"),
        align="center",
        spacing="2",
    )


def _count(value: rx.Var, color: str, label: rx.Var, test_id: str) -> rx.Component:
    """A number in a pill, named for screen readers ("3 atribuídas a você"); none at zero."""
    return rx.cond(
        value > 0,
        rx.badge(value, color_scheme=color, variant="solid", radius="full", size="1",
                 role="img", aria_label=label, title=label, data_testid=test_id),
    )


def inbox_badges() -> rx.Component:
    """Mine in teal, the queue in amber: the colours of the inbox's own tabs."""
    mine = BadgeState.mine
    return rx.hstack(
        _count(mine, "teal", t("shell.badge_mine", count=mine), "nav-badge-mine"),
        _count(BadgeState.waiting, "amber", t("shell.badge_waiting", count=BadgeState.waiting),
               "nav-badge-waiting"),
        spacing="1",
        margin_left="auto",
        align="center",
    )


def _nav_link(icon: str, key: str, href: str, active: str, test_id: str,
              extra: rx.Component | None = None) -> rx.Component:
    is_active = active == href
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(t(key), size="2", weight="medium"),
            extra,
            align="center",
            spacing="3",
            padding_x="12px",
            padding_y="9px",
            border_radius="var(--radius-3)",
            width="100%",
            background=rx.color("accent", 4) if is_active else "transparent",
            color=rx.color("accent", 11) if is_active else rx.color("gray", 12),
            _hover={"background": rx.color("accent", 3)},
        ),
        href=href,
        underline="none",
        width="100%",
        on_click=AppState.toggle_menu(False),
        data_testid=test_id,
        aria_current="page" if is_active else None,
    )


def _section(key: str) -> rx.Component:
    return rx.text(t(key), size="1", weight="bold", color_scheme="gray",
                   padding_x="12px", padding_top="14px", padding_bottom="4px",
                   text_transform="uppercase", letter_spacing="0.04em")


def nav_items(active: str) -> rx.Component:
    org_nav = rx.vstack(
        _nav_link("layout-dashboard", "nav.home", "/", active, "nav-home"),
        _nav_link("inbox", "nav.inbox", "/inbox", active, "nav-inbox", inbox_badges()),
        _nav_link("contact", "nav.crm", "/crm", active, "nav-crm"),
        _nav_link("bot", "nav.agents", "/agents", active, "nav-agents"),
        rx.cond(AppState.show_analytics,
                _nav_link("chart-column", "nav.analytics", "/analytics", active, "nav-analytics")),
        _section("nav.settings"),
        _nav_link("building-2", "nav.organization", "/settings", active, "nav-settings"),
        rx.cond(AppState.show_users,
                _nav_link("users", "nav.users", "/settings/users", active, "nav-users")),
        rx.cond(AppState.show_users,  # the same roles see channels (channels.view)
                _nav_link("radio-tower", "nav.channels", "/settings/channels", active,
                          "nav-channels")),
        _nav_link("user-round-cog", "nav.profile", "/profile", active, "nav-profile"),
        spacing="1",
        width="100%",
    )
    platform_nav = rx.vstack(
        _section("nav.platform"),
        _nav_link("building", "nav.organizations", "/admin/organizations", active,
                  "nav-organizations"),
        rx.cond(~AppState.has_org,
                _nav_link("user-round-cog", "nav.profile", "/profile", active, "nav-profile")),
        spacing="1",
        width="100%",
    )
    return rx.vstack(
        rx.cond(AppState.has_org, org_nav),
        rx.cond(AppState.is_superadmin, platform_nav),
        spacing="1",
        width="100%",
    )


def language_switch() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("PT", value="pt-BR", data_testid="lang-pt"),
        rx.segmented_control.item("EN", value="en", data_testid="lang-en"),
        value=AppState.lang,
        on_change=AppState.set_locale,
        size="1",
        aria_label=t("common.language"),
    )


def user_block() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.avatar(fallback=AppState.initials, size="3", radius="full", color_scheme="teal"),
            rx.vstack(
                rx.text(AppState.me_name, size="2", weight="bold", trim="both",
                        data_testid="shell-user-name"),
                rx.text(
                    rx.cond(AppState.has_org, AppState.org_name, t("nav.platform_admin")),
                    size="1", color_scheme="gray", data_testid="shell-org-name",
                ),
                spacing="1",
                min_width="0",
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            rx.cond(
                AppState.role != "",
                rx.badge(role_label(AppState.role), color_scheme=color_of(AppState.role, ROLE_COLORS),
                         data_testid="shell-role"),
            ),
            rx.cond(AppState.is_superadmin,
                    rx.badge(t("role.superadmin"), color_scheme="crimson",
                             data_testid="shell-superadmin")),
            rx.spacer(),
            language_switch(),
            width="100%",
            align="center",
            wrap="wrap",
            spacing="2",
        ),
        rx.button(
            rx.icon("log-out", size=16),
            t("nav.logout"),
            on_click=AppState.logout,
            variant="soft",
            color_scheme="gray",
            width="100%",
            data_testid="logout",
        ),
        spacing="3",
        width="100%",
        padding="12px",
        border_radius="var(--radius-4)",
        background=rx.color("gray", 2),
        border=f"1px solid {rx.color('gray', 4)}",
    )


def sidebar_body(active: str) -> rx.Component:
    return rx.vstack(
        rx.box(brand(), padding_x="8px", padding_y="6px"),
        rx.scroll_area(nav_items(active), type="auto", scrollbars="vertical", flex="1"),
        user_block(),
        height="100%",
        width="100%",
        spacing="4",
        padding="12px",
    )


def sidebar(active: str) -> rx.Component:
    return rx.box(
        sidebar_body(active),
        assigned_signal(),  # every signed-in frame has the sidebar: the app's notification
        display=WIDE,
        position="fixed",
        top="0",
        left="0",
        height="100vh",
        width=SIDEBAR_WIDTH,
        border_right=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 1),
        z_index="10",
        data_testid="sidebar",
    )


def _menu_dot() -> rx.Component:
    """On phones the badges sit in the closed drawer: a dot on its button says to look
    (the drawer's badges carry the words for screen readers)."""
    return rx.cond(
        BadgeState.attention > 0,
        rx.box(position="absolute", top="3px", right="3px", width="9px", height="9px",
               border_radius="50%", pointer_events="none",
               background=rx.cond(BadgeState.mine > 0, rx.color("teal", 9), rx.color("amber", 9)),
               border=f"2px solid {rx.color('gray', 1)}", aria_hidden="true",
               data_testid="menu-dot"),
    )


def topbar(active: str) -> rx.Component:
    return rx.flex(
        rx.drawer.root(
            rx.drawer.trigger(
                rx.icon_button(rx.icon("menu", size=20), _menu_dot(), variant="soft",
                               color_scheme="gray", size="2", aria_label=t("nav.menu"),
                               position="relative", data_testid="menu-button"),
            ),
            rx.drawer.overlay(z_index="40"),
            rx.drawer.portal(
                rx.drawer.content(
                    rx.drawer.title(t("nav.menu"), style=VISUALLY_HIDDEN),
                    sidebar_body(active),
                    height="100%",
                    width="min(300px, 86vw)",
                    top="0",
                    left="0",
                    position="fixed",
                    background=rx.color("gray", 1),
                    z_index="50",
                    data_testid="drawer",
                ),
            ),
            direction="left",
            open=AppState.menu_open,
            on_open_change=AppState.toggle_menu,
        ),
        brand("3"),
        rx.spacer(),
        rx.avatar(fallback=AppState.initials, size="2", radius="full", color_scheme="teal"),
        display=NARROW,
        align="center",
        spacing="3",
        padding_x="12px",
        padding_y="10px",
        position="sticky",
        top="0",
        z_index="20",
        background=rx.color("gray", 1),
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def restoring() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.spinner(size="3"),
            rx.text(t("shell.restoring"), color_scheme="gray", size="2"),
            align="center",
            spacing="3",
        ),
        height="100vh",
        width="100%",
    )


def app_shell(content: rx.Component, active: str) -> rx.Component:
    """Shown once the session is resolved; a spinner until then."""
    return rx.cond(
        AppState.signed_in,
        rx.box(
            sidebar(active),
            rx.box(
                topbar(active),
                rx.box(
                    content,
                    max_width="1120px",
                    margin_x="auto",
                    padding_x=rx.breakpoints(initial="16px", sm="32px"),
                    padding_y=rx.breakpoints(initial="20px", sm="32px"),
                    width="100%",
                ),
                margin_left=rx.breakpoints(initial="0", sm=SIDEBAR_WIDTH),
                min_height="100vh",
            ),
            background=rx.color("gray", 2),
            min_height="100vh",
            # Each page mounts its own shell: the newest follow replaces the last page's.
            on_mount=BadgeState.follow,
        ),
        restoring(),
    )
