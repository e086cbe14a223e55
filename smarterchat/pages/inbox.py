"""/inbox: conversations from every channel, newest first."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    STATUS_COLORS,
    channel_icon,
    color_of,
    empty_state,
    page_frame,
    page_header,
    when_datetime,
)
from smarterchat.components.i18n import status_label, t
from smarterchat.components.shell import NARROW, WIDE, app_shell
from smarterchat.state.inbox import ConversationItem, InboxState


def _row(c: ConversationItem) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.avatar(fallback=c.initial, size="3", radius="full", color_scheme="gray",
                      flex_shrink="0"),
            rx.vstack(
                rx.hstack(
                    rx.text(rx.cond(c.contact != "", c.contact, t("common.unnamed")),
                            weight="bold", size="2"),
                    rx.badge(status_label(c.status), color_scheme=color_of(c.status, STATUS_COLORS),
                             size="1"),
                    rx.cond(c.unread > 0,
                            rx.badge(t("inbox.unread", count=c.unread), color_scheme="red",
                                     variant="solid", size="1")),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(rx.cond(c.preview != "", c.preview, t("inbox.no_messages")),
                        size="2", color_scheme="gray",
                        style={"overflow": "hidden", "display": "-webkit-box",
                               "-webkit-line-clamp": "2", "-webkit-box-orient": "vertical"}),
                rx.flex(
                    rx.hstack(channel_icon(c.channel_kind, 14),
                              rx.text(c.channel_name, size="1", color_scheme="gray"),
                              align="center", spacing="1"),
                    rx.hstack(rx.icon("user-round", size=14, color=rx.color("gray", 9)),
                              rx.text(rx.cond(c.assignee != "", c.assignee,
                                              t("inbox.unassigned")),
                                      size="1", color_scheme="gray"),
                              align="center", spacing="1"),
                    align="center",
                    gap="3",
                    wrap="wrap",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.text(when_datetime(c.last_at), size="1", color_scheme="gray", white_space="nowrap"),
            gap="3",
            align="start",
            width="100%",
        ),
        width="100%",
        data_testid="conversation-row",
    )


FILTERS = [("open", "inbox.filter_open"), ("waiting_human", "inbox.filter_waiting"),
           ("resolved", "inbox.filter_resolved"), ("all", "inbox.filter_all")]


def _filters() -> rx.Component:
    """Segments on wide screens; a select on phones, where four segments do not fit."""
    return rx.fragment(
        rx.segmented_control.root(
            *[rx.segmented_control.item(t(key), value=value) for value, key in FILTERS],
            value=InboxState.status_filter,
            on_change=InboxState.set_filter,
            display=WIDE,
        ),
        rx.box(
            rx.select.root(
                rx.select.trigger(width="100%", data_testid="inbox-filter-select"),
                rx.select.content(*[rx.select.item(t(key), value=value)
                                    for value, key in FILTERS]),
                value=InboxState.status_filter,
                on_change=InboxState.set_filter,
                size="3",
            ),
            display=NARROW,
            width="100%",
        ),
    )


def _content() -> rx.Component:
    return rx.vstack(
        _filters(),
        rx.cond(
            InboxState.items.length() > 0,
            rx.vstack(rx.foreach(InboxState.items, _row), width="100%", spacing="2"),
            empty_state("inbox", t("inbox.empty_title"), t("inbox.empty_body")),
        ),
        width="100%",
        spacing="4",
    )


def inbox_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("inbox.title"), t("inbox.subtitle")),
            page_frame(InboxState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/inbox",
    )
