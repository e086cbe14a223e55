"""/inbox: where consultants work all day. List, thread and contact side by side on
wide screens; on phones one at a time (list -> thread -> contact)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import error_callout, loading_block, refusal
from smarterchat.components.i18n import t
from smarterchat.components.inbox_composer import composer
from smarterchat.components.inbox_list import availability_dot, conversation_list, search_bar, tabs
from smarterchat.components.inbox_panel import contact_panel
from smarterchat.components.inbox_thread import action_error, header, messages, window_banner
from smarterchat.components.shell import SIDEBAR_WIDTH, restoring, sidebar, topbar
from smarterchat.state.badges import BadgeState
from smarterchat.state.inbox import InboxState as S
from smarterchat.state.session import AppState

LINE = f"1px solid {rx.color('gray', 4)}"
ASK_PERMISSION = "('Notification' in window) ? Notification.requestPermission() : 'unsupported'"
READ_PERMISSION = "('Notification' in window) ? Notification.permission : 'unsupported'"


def inbox_frame(content: rx.Component, active: str) -> rx.Component:
    """The app's sidebar and phone top bar around a page that fills the screen's height."""
    return rx.cond(
        AppState.signed_in,
        rx.box(
            sidebar(active),
            rx.flex(
                topbar(active),
                content,
                direction="column",
                height="100dvh",
                margin_left=rx.breakpoints(initial="0", sm=SIDEBAR_WIDTH),
            ),
            background=rx.color("gray", 2),
        ),
        restoring(),
    )


def _availability() -> rx.Component:
    def item(value: str) -> rx.Component:
        return rx.select.item(rx.hstack(availability_dot(value), t(f"availability.{value}"),
                                        align="center", spacing="2"), value=value)

    return rx.select.root(
        rx.select.trigger(variant="soft", color_scheme=rx.match(
            S.availability, ("online", "grass"), ("away", "amber"), "gray"),
            aria_label=t("inbox.availability"), data_testid="availability"),
        rx.select.content(item("online"), item("away"), item("offline")),
        value=S.availability,
        on_change=S.set_availability,
        size="2",
    )


def _notify_button() -> rx.Component:
    return rx.cond(
        S.notify_permission == "default",
        rx.button(rx.icon("bell-ring", size=14),
                  rx.text(t("inbox.notify_enable"), display=rx.breakpoints(initial="none",
                                                                           lg="inline")),
                  variant="soft", color_scheme="gray", size="2",
                  on_click=rx.call_script(ASK_PERMISSION, callback=S.set_notify_permission),
                  aria_label=t("inbox.notify_enable"), data_testid="notify-enable"),
        rx.cond(S.notify_permission == "denied",
                rx.tooltip(rx.icon("bell-off", size=16, color=rx.color("gray", 9)),
                           content=t("inbox.notify_denied"))),
    )


def _page_header() -> rx.Component:
    return rx.flex(
        rx.heading(t("inbox.title"), size="5", weight="bold", data_testid="page-title"),
        rx.hstack(
            rx.badge(t("inbox.tab_mine"), " ", BadgeState.mine, color_scheme="teal", variant="soft",
                     data_testid="count-mine"),
            rx.badge(t("inbox.tab_waiting"), " ", BadgeState.waiting,
                     color_scheme=rx.cond(BadgeState.waiting > 0, "amber", "gray"), variant="soft",
                     data_testid="count-waiting"),
            spacing="1", display=rx.breakpoints(initial="none", sm="flex"),
        ),
        rx.spacer(),
        _notify_button(),
        rx.cond(S.can_assign,
                rx.link(rx.button(rx.icon("users", size=14),
                                  rx.text(t("inbox.queue_link"),
                                          display=rx.breakpoints(initial="none", lg="inline")),
                                  variant="soft", color_scheme="gray", size="2",
                                  aria_label=t("inbox.queue_link")),
                        href="/inbox/queue", data_testid="queue-link")),
        _availability(),
        align="center",
        gap="2",
        padding=rx.breakpoints(initial="8px 12px", md="12px 20px"),
        border_bottom=LINE,
        background=rx.color("gray", 1),
        display=rx.breakpoints(initial=rx.cond(S.view == "list", "flex", "none"), md="flex"),
        on_mount=rx.call_script(READ_PERMISSION, callback=S.set_notify_permission),
    )


def _list_column() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.flex(tabs(), gap="2", width="100%", align="center"),
            search_bar(),
            error_callout(S.error),
            spacing="2",
            padding="12px",
            border_bottom=LINE,
            width="100%",
        ),
        rx.box(conversation_list(), overflow_y="auto", flex="1", min_height="0", padding="8px"),
        direction="column",
        width=rx.breakpoints(initial="100%", md="320px", xl="360px"),
        flex_shrink="0",
        min_height="0",
        border_right=LINE,
        background=rx.color("gray", 1),
        display=rx.breakpoints(initial=rx.cond(S.view == "list", "flex", "none"), md="flex"),
    )


def _no_selection() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("messages-square", size=32, color=rx.color("accent", 9)),
            rx.text(t("inbox.pick_title"), weight="bold", size="3"),
            rx.text(t("inbox.pick_body"), size="2", color_scheme="gray", text_align="center",
                    max_width="320px"),
            align="center", spacing="2",
        ),
        flex="1",
    )


def _thread_column() -> rx.Component:
    return rx.flex(
        rx.cond(
            S.selected_id != "",
            rx.flex(header(), action_error(), window_banner(), messages(), composer(),
                    direction="column", flex="1", min_height="0", width="100%"),
            _no_selection(),
        ),
        direction="column",
        flex="1",
        min_width="0",
        min_height="0",
        display=rx.breakpoints(
            initial=rx.cond(S.view == "thread", "flex", "none"),
            md=rx.cond(S.view == "contact", "none", "flex"),
            lg="flex",
        ),
        data_testid="thread",
    )


def _panel_column() -> rx.Component:
    return rx.box(
        rx.cond(S.selected_id != "", contact_panel()),
        width=rx.breakpoints(initial="100%", md="100%", lg="300px"),
        flex_shrink="0",
        overflow_y="auto",
        min_height="0",
        border_left=LINE,
        background=rx.color("gray", 1),
        display=rx.breakpoints(
            initial=rx.cond(S.view == "contact", "block", "none"),
            lg=rx.cond(S.panel_open & (S.selected_id != ""), "block", "none"),
        ),
    )


def _workspace() -> rx.Component:
    return rx.cond(
        S.forbidden,
        rx.box(refusal(), padding="24px"),
        rx.cond(
            S.loaded,
            rx.flex(
                _page_header(),
                rx.flex(_list_column(), _thread_column(), _panel_column(), flex="1",
                        min_height="0", width="100%"),
                direction="column",
                flex="1",
                min_height="0",
                data_testid="inbox",
            ),
            rx.box(loading_block(), padding="24px"),
        ),
    )


def inbox_page() -> rx.Component:
    return inbox_frame(_workspace(), active="/inbox")
