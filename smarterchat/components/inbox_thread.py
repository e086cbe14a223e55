"""The open conversation: its header and actions, the messages, WhatsApp's window.

Message text is always rendered as text (never HTML). The message column is laid out
bottom-up (``column-reverse``), so it opens at the newest message, stays there as
messages arrive, and keeps its place when older ones are loaded above.

Over 300 lines: the thread's header, its wide and narrow action bars and the messages
are one screen, built from the same small pieces (ticks, media, action buttons); the
transfer dialog and the labels editor live in ``inbox_transfer``.
"""

from __future__ import annotations

import reflex as rx

from smarterchat.components.agent_parts import REASONS
from smarterchat.components.common import (
    STATUS_COLORS,
    channel_icon,
    color_of,
    error_callout,
    when_short,
)
from smarterchat.components.i18n import status_label, t
from smarterchat.components.inbox_transfer import labels_editor, transfer_dialog
from smarterchat.state.inbox_composer import InboxComposerState as C
from smarterchat.state.inbox_items import MessageItem

S = C  # the composer state inherits every var of the inbox
WRAP = {"white_space": "pre-wrap", "overflow_wrap": "anywhere"}
ROLE_STYLE = {
    "contact": (rx.color("gray", 1), rx.color("gray", 12), rx.color("gray", 5)),
    "ai": (rx.color("violet", 3), rx.color("gray", 12), rx.color("violet", 6)),
    "consultant": (rx.color("teal", 3), rx.color("gray", 12), rx.color("teal", 6)),
}


def _tick(m: MessageItem) -> rx.Component:
    failed = rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(rx.icon("circle-alert", size=13), size="1", variant="ghost",
                           color_scheme="red", aria_label=t("inbox.delivery_failed"),
                           title=m.error, data_testid="tick-failed"),
        ),
        rx.popover.content(
            rx.text(t("inbox.delivery_failed"), weight="bold", size="1"),
            rx.text(rx.cond(m.error != "", m.error, t("inbox.delivery_failed_unknown")),
                    size="1", style=WRAP),
            max_width="260px",
        ),
    )
    return rx.match(
        m.status,
        ("pending", rx.icon("clock", size=12, color=rx.color("gray", 9),
                            aria_label=t("inbox.delivery_pending"), data_testid="tick-pending")),
        ("sent", rx.icon("check", size=13, color=rx.color("gray", 9),
                         aria_label=t("inbox.delivery_sent"), data_testid="tick-sent")),
        ("delivered", rx.icon("check-check", size=13, color=rx.color("gray", 9),
                              aria_label=t("inbox.delivery_delivered"),
                              data_testid="tick-delivered")),
        ("read", rx.icon("check-check", size=13, color=rx.color("blue", 10),
                         aria_label=t("inbox.delivery_read"), data_testid="tick-read")),
        ("failed", failed),
        rx.fragment(),
    )


def _media(m: MessageItem) -> rx.Component:
    download = rx.link(
        rx.hstack(
            rx.icon(rx.match(m.media_kind, ("audio", "audio-lines"), ("video", "film"),
                             ("document", "file-text"), "paperclip"), size=16),
            rx.text(rx.cond(m.media_name != "", m.media_name, rx.match(
                m.media_kind, ("audio", t("inbox.media_audio")), ("video", t("inbox.media_video")),
                ("document", t("inbox.media_document")), t("inbox.media_file"))),
                size="2", style={"overflow_wrap": "anywhere"}),
            rx.icon("download", size=14),
            align="center", spacing="2", padding="6px 10px",
            border_radius="var(--radius-2)", background=rx.color("gray", 3),
        ),
        href=m.media_url, is_external=True, download=True, underline="none",
        data_testid="media-download",
    )
    return rx.cond(
        m.media_url != "",
        rx.cond(
            m.media_kind == "image",
            rx.link(rx.image(src=m.media_url, alt=t("inbox.image"), max_width="100%",
                             max_height="260px", border_radius="var(--radius-2)",
                             loading="lazy", data_testid="media-image"),
                    href=m.media_url, is_external=True),
            download,
        ),
    )


def _bubble(m: MessageItem) -> rx.Component:
    inbound = m.kind == "contact"
    background = rx.match(m.kind, ("ai", ROLE_STYLE["ai"][0]),
                          ("consultant", ROLE_STYLE["consultant"][0]), ROLE_STYLE["contact"][0])
    border = rx.match(m.kind, ("ai", ROLE_STYLE["ai"][2]),
                      ("consultant", ROLE_STYLE["consultant"][2]), ROLE_STYLE["contact"][2])
    return rx.vstack(
        rx.hstack(
            rx.match(m.kind, ("ai", rx.icon("bot", size=12)),
                     ("consultant", rx.icon("headset", size=12)), rx.fragment()),
            rx.text(rx.match(m.kind, ("ai", t("inbox.author_ai")),
                             ("contact", rx.cond(m.author != "", m.author, S.current.contact)),
                             rx.cond(m.author != "", m.author, t("inbox.author_team"))),
                    size="1", weight="bold"),
            align="center", spacing="1", color=rx.color("gray", 11),
        ),
        _media(m),
        rx.cond(m.is_template,
                rx.badge(rx.icon("file-text", size=11), t("inbox.template_sent"), size="1",
                         color_scheme="green", variant="soft")),
        rx.cond(m.text != "", rx.text(m.text, size="2", style=WRAP)),
        rx.cond(m.sources != "",
                rx.text(rx.icon("book-open", size=11, display="inline", margin_right="3px"),
                        t("inbox.sources"), ": ", m.sources, size="1", color_scheme="gray",
                        data_testid="ai-sources")),
        rx.hstack(rx.cond(m.reaction != "",
                          rx.badge(m.reaction, size="1", variant="surface", radius="full",
                                   title=t("inbox.reaction"), data_testid="reaction")),
                  rx.text(when_short(m.at), size="1", color_scheme="gray"), _tick(m),
                  align="center", spacing="1", align_self="end"),
        spacing="1",
        max_width=rx.breakpoints(initial="88%", md="75%"),
        align_self=rx.cond(inbound, "flex-start", "flex-end"),
        padding="8px 12px",
        background=background,
        border_width="1px",
        border_style="solid",
        border_color=border,
        border_radius="14px",
        border_bottom_left_radius=rx.cond(inbound, "4px", "14px"),
        border_bottom_right_radius=rx.cond(inbound, "14px", "4px"),
        data_testid="message",
        data_kind=m.kind,
    )


def _note(m: MessageItem) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.icon("lock", size=12), rx.text(t("inbox.private_note"), size="1",
                                                    weight="bold"),
                  rx.text("· ", m.author, size="1"), align="center", spacing="1",
                  color=rx.color("amber", 11)),
        rx.text(m.text, size="2", style=WRAP),
        rx.text(when_short(m.at), size="1", color_scheme="gray", align_self="end"),
        spacing="1",
        max_width=rx.breakpoints(initial="88%", md="75%"),
        align_self="flex-end",
        padding="8px 12px",
        background=rx.color("amber", 3),
        border=f"1px dashed {rx.color('amber', 8)}",
        border_radius="10px",
        data_testid="message",
        data_kind="note",
    )


def _event(m: MessageItem) -> rx.Component:
    return rx.center(
        rx.text(m.text, " · ", when_short(m.at), size="1", color_scheme="gray", text_align="center",
                style=WRAP),
        align_self="center",
        max_width="90%",
        padding="3px 12px",
        background=rx.color("gray", 3),
        border_radius="9999px",
        data_testid="message",
        data_kind="system",
    )


def _message(m: MessageItem) -> rx.Component:
    return rx.match(m.kind, ("system", _event(m)), ("note", _note(m)), _bubble(m))


def messages() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.cond(
                S.has_older,
                rx.button(rx.cond(S.older_busy, rx.spinner(size="1"),
                                  rx.icon("history", size=14)),
                          t("inbox.load_older"), variant="soft", color_scheme="gray", size="1",
                          on_click=S.load_older, disabled=S.older_busy, align_self="center",
                          data_testid="load-older"),
            ),
            rx.foreach(S.messages, _message),
            spacing="3",
            width="100%",
            padding=rx.breakpoints(initial="12px", md="16px 20px"),
        ),
        key=S.selected_id,  # a new conversation opens at its newest message
        display="flex",
        flex_direction="column-reverse",
        overflow_y="auto",
        flex="1",
        min_height="0",
        background=rx.color("gray", 2),
        data_testid="thread-messages",
    )


def window_banner() -> rx.Component:
    """WhatsApp only answers freely for 24 hours after the customer's last message."""
    return rx.cond(
        S.is_whatsapp,
        rx.cond(
            S.contact.window_open,
            rx.hstack(
                rx.icon("timer", size=14),
                rx.text(t("inbox.window_open"), " ", when_short(S.contact.window_closes_at), size="1"),
                align="center", spacing="2", padding="6px 12px", width="100%",
                background=rx.color("grass", 2), color=rx.color("grass", 11),
                border_bottom=f"1px solid {rx.color('grass', 5)}", data_testid="window-open",
            ),
            rx.hstack(
                rx.icon("timer-off", size=14),
                rx.text(t("inbox.window_closed"), size="1"),
                align="center", spacing="2", padding="6px 12px", width="100%",
                background=rx.color("amber", 2), color=rx.color("amber", 11),
                border_bottom=f"1px solid {rx.color('amber', 5)}", data_testid="window-closed",
            ),
        ),
    )


# ------------------------------------------------------------------ header and actions


def _action(icon: str, key: str, handler, test_id: str, **props) -> rx.Component:
    return rx.button(rx.icon(icon, size=14), t(key), size="1", on_click=handler,
                     data_testid=test_id, **props)


def _menu_item(icon: str, key: str, handler, test_id: str) -> rx.Component:
    return rx.dropdown_menu.item(rx.hstack(rx.icon(icon, size=14), t(key), align="center",
                                           spacing="2"),
                                 on_select=handler, data_testid=test_id)


def _flags():
    status = S.current.status
    open_ = status != "resolved"
    return (open_ & ~((status == "human") & S.current.mine) & S.can_act,  # take over
            open_ & (status != "bot") & S.can_act,  # return to the AI
            open_ & S.can_act,  # transfer, resolve
            ~open_)  # reopen


def toolbar() -> rx.Component:
    """Wide screens: every action as a button, under the header."""
    take, give_back, act, closed = _flags()
    return rx.flex(
        rx.cond(take, _action("hand", "inbox.take_over", C.take_over, "action-take-over")),
        rx.cond(give_back, _action("bot", "inbox.return_to_ai", C.return_to_ai, "action-return",
                                   variant="soft", color_scheme="violet")),
        rx.cond(act, _action("arrow-right-left", "inbox.transfer", C.set_transfer_open(True),
                             "action-transfer", variant="soft", color_scheme="gray")),
        labels_editor(rx.button(rx.icon("tags", size=14), t("inbox.labels"), variant="soft",
                                color_scheme="gray", size="1", data_testid="labels-button")),
        rx.cond(act, _action("circle-check", "inbox.resolve", C.resolve, "action-resolve",
                             variant="soft", color_scheme="grass")),
        rx.cond(closed, _action("rotate-ccw", "inbox.reopen", C.reopen, "action-reopen")),
        gap="2", wrap="wrap", align="center", width="100%",
        display=rx.breakpoints(initial="none", md="flex"),
        data_testid="thread-actions",
    )


def _narrow_actions() -> rx.Component:
    """Phones: the likely next step as a button, the rest in a menu."""
    take, give_back, act, closed = _flags()
    return rx.hstack(
        rx.cond(take, _action("hand", "inbox.take_over", C.take_over, "action-take-over-narrow")),
        rx.cond(closed, _action("rotate-ccw", "inbox.reopen", C.reopen, "action-reopen-narrow")),
        labels_editor(rx.icon_button(rx.icon("tags", size=16), variant="soft",
                                     color_scheme="gray", size="2",
                                     aria_label=t("inbox.labels"))),
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.icon_button(rx.icon("ellipsis-vertical", size=16), variant="soft",
                               color_scheme="gray", size="2", aria_label=t("inbox.more_actions"),
                               data_testid="actions-menu"),
            ),
            rx.dropdown_menu.content(
                rx.cond(give_back, _menu_item("bot", "inbox.return_to_ai", C.return_to_ai,
                                              "menu-return")),
                rx.cond(act, _menu_item("arrow-right-left", "inbox.transfer",
                                        C.set_transfer_open(True), "menu-transfer")),
                rx.cond(act, _menu_item("circle-check", "inbox.resolve", C.resolve,
                                        "menu-resolve")),
                _menu_item("user-round", "inbox.contact_details", S.set_view("contact"),
                           "menu-contact"),
            ),
        ),
        spacing="2", align="center", flex_shrink="0",
        display=rx.breakpoints(initial="flex", md="none"),
    )


def header() -> rx.Component:
    c = S.current
    return rx.vstack(
        rx.flex(
            rx.icon_button(rx.icon("arrow-left", size=18), variant="ghost", color_scheme="gray",
                           on_click=S.set_view("list"), aria_label=t("common.back"),
                           display=rx.breakpoints(initial="flex", md="none"),
                           data_testid="thread-back"),
            rx.vstack(
                rx.hstack(
                    rx.text(c.contact, weight="bold", size="3", style={
                        "overflow": "hidden", "text_overflow": "ellipsis",
                        "white_space": "nowrap"}, data_testid="thread-contact"),
                    channel_icon(c.channel_kind, 14),
                    align="center", spacing="2", min_width="0", max_width="100%",
                ),
                rx.flex(
                    rx.badge(status_label(c.status),
                             color_scheme=color_of(c.status, STATUS_COLORS), size="1",
                             data_testid="thread-status"),
                    rx.cond(c.assignee != "",
                            rx.text(rx.icon("user-round", size=11, display="inline",
                                            margin_right="2px"), c.assignee, size="1",
                                    color_scheme="gray", data_testid="thread-assignee")),
                    rx.cond((c.status == "waiting_human") & (c.handoff_reason != ""),
                            rx.text(t("inbox.handoff_because"), " ", rx.match(
                                c.handoff_reason,
                                *[(r, t(f"inbox.reason_{r}")) for r in REASONS],
                                c.handoff_reason), size="1", color_scheme="amber")),
                    gap="2", align="center", wrap="wrap",
                ),
                spacing="1", min_width="0", flex="1",
            ),
            _narrow_actions(),
            rx.tooltip(
                rx.icon_button(rx.icon("panel-right", size=16), variant="ghost",
                               color_scheme="gray", on_click=S.toggle_panel,
                               aria_label=t("inbox.contact_details"),
                               display=rx.breakpoints(initial="none", lg="flex")),
                content=t("inbox.contact_details"),
            ),
            align="center", gap="3", width="100%",
        ),
        toolbar(),
        transfer_dialog(),
        spacing="2",
        padding=rx.breakpoints(initial="8px 10px", md="10px 16px"),
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 1),
        width="100%",
        data_testid="thread-header",
    )


def action_error() -> rx.Component:
    return rx.box(error_callout(S.action_error, data_testid="action-error"), padding="8px 12px",
                  display=rx.cond(S.action_error != "", "block", "none"))
