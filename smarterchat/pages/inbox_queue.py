"""/inbox/queue: the waiting queue and the team's load, for managers; distribution
mode and capacities, for admins."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    channel_icon,
    empty_state,
    error_callout,
    notice_callout,
    page_frame,
    page_header,
    stat_card,
    when_short,
)
from smarterchat.components.i18n import t
from smarterchat.components.inbox_list import availability_dot
from smarterchat.components.shell import app_shell
from smarterchat.state.inbox_items import ConversationItem
from smarterchat.state.inbox_queue import InboxQueueState as S
from smarterchat.state.inbox_queue import LoadItem


def _availability_text(value: rx.Var) -> rx.Var:
    return rx.match(value, ("online", t("availability.online")),
                    ("away", t("availability.away")), t("availability.offline"))


def _person(p: LoadItem) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.hstack(
                availability_dot(p.availability, "10px"),
                rx.vstack(
                    rx.hstack(
                        rx.text(p.name, weight="bold", size="2"),
                        rx.cond(p.team != "", rx.badge(p.team, variant="soft", color_scheme="gray",
                                                       size="1", data_testid="consultant-team")),
                        align="center", spacing="2", wrap="wrap",
                    ),
                    rx.text(_availability_text(p.availability), size="1", color_scheme="gray"),
                    spacing="0",
                ),
                align="center", spacing="3", min_width="160px", flex="1",
            ),
            rx.vstack(
                rx.text(t("queue.load", load=p.load, capacity=p.capacity), size="1",
                        color_scheme="gray", data_testid="consultant-load"),
                rx.progress(value=p.percent, max=100, size="2",
                            color_scheme=rx.cond(p.percent >= 100, "red", "teal")),
                spacing="1", flex="1", min_width="140px",
            ),
            rx.cond(
                S.can_configure,
                rx.hstack(
                    rx.text(t("queue.capacity"), size="1", color_scheme="gray"),
                    rx.input(name="cap_" + p.user_id, default_value=p.capacity.to_string(),
                             type="number", min=0, max=100, size="1", width="64px",
                             data_testid="capacity-input"),
                    align="center", spacing="2",
                ),
            ),
            gap="4", align="center", wrap="wrap", width="100%",
        ),
        width="100%",
        data_testid="consultant-row",
    )


def _waiting(c: ConversationItem) -> rx.Component:
    return rx.link(
        rx.card(
            rx.flex(
                channel_icon(c.channel_kind, 16),
                rx.vstack(
                    rx.hstack(
                        rx.text(c.contact, weight="bold", size="2"),
                        rx.cond(c.team != "", rx.badge(rx.icon("users", size=11), c.team,
                                                       variant="soft", color_scheme="blue",
                                                       size="1", data_testid="waiting-team")),
                        align="center", spacing="2", wrap="wrap",
                    ),
                    rx.text(rx.cond(c.preview != "", c.preview, t("inbox.no_messages")),
                            size="1", color_scheme="gray", width="100%", style={
                                "overflow": "hidden", "text_overflow": "ellipsis",
                                "white_space": "nowrap"}),
                    spacing="0", min_width="0", flex="1",
                ),
                rx.text(when_short(c.last_at), size="1",
                        color_scheme="gray", white_space="nowrap"),
                gap="3", align="center", width="100%",
            ),
            width="100%",
        ),
        href="/inbox?c=" + c.id,
        underline="none",
        color="inherit",
        width="100%",
        data_testid="waiting-row",
    )


def _mode() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(t("queue.mode"), weight="bold", size="2"),
                rx.text(rx.cond(S.mode == "round_robin", t("queue.mode_round_robin_help"),
                                t("queue.mode_manual_help")), size="1", color_scheme="gray"),
                spacing="1", flex="1", min_width="200px",
            ),
            rx.select.root(
                rx.select.trigger(data_testid="mode-select"),
                rx.select.content(rx.select.item(t("queue.mode_manual"), value="manual"),
                                  rx.select.item(t("queue.mode_round_robin"),
                                                 value="round_robin")),
                value=S.mode, on_change=S.set_mode, disabled=~S.can_configure,
            ),
            gap="3", align="center", wrap="wrap", width="100%",
        ),
        width="100%",
    )


def _content() -> rx.Component:
    return rx.vstack(
        notice_callout(S.notice),
        error_callout(S.save_error),
        rx.grid(
            stat_card("hourglass", t("queue.waiting"), S.waiting_total.to_string(), "amber"),
            stat_card("timer", t("queue.oldest"),
                      rx.cond(S.oldest_minutes >= 0,
                              t("queue.minutes", minutes=S.oldest_minutes), "—"), "red"),
            stat_card("user-check", t("queue.online"), S.online.to_string(), "grass"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        _mode(),
        rx.heading(t("queue.team"), size="4", margin_top="8px"),
        rx.form(
            rx.vstack(
                rx.cond(S.people.length() > 0,
                        rx.vstack(rx.foreach(S.people, _person), spacing="2", width="100%"),
                        rx.text(t("queue.no_consultants"), size="2", color_scheme="gray")),
                rx.cond(S.can_configure & (S.people.length() > 0),
                        rx.button(t("queue.save_capacities"), type="submit",
                                  data_testid="save-capacities", align_self="end")),
                spacing="3", width="100%",
            ),
            on_submit=S.save_capacities,
            width="100%",
        ),
        rx.heading(t("queue.waiting_list"), size="4", margin_top="8px"),
        rx.cond(S.waiting.length() > 0,
                rx.vstack(rx.foreach(S.waiting, _waiting), spacing="2", width="100%"),
                empty_state("coffee", t("queue.empty_title"), t("queue.empty_body"))),
        spacing="4",
        width="100%",
    )


def inbox_queue_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("queue.title"), t("queue.subtitle"),
                        rx.link(rx.button(rx.icon("inbox", size=16), t("nav.inbox"),
                                          variant="soft"), href="/inbox")),
            page_frame(S, _content()),
            width="100%",
            spacing="0",
        ),
        active="/inbox",
    )
