"""The inbox's left column: tabs with counts, search, filters and the conversations."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import STATUS_COLORS, channel_icon, color_of, when_short
from smarterchat.components.i18n import status_label, t
from smarterchat.state.badges import BadgeState
from smarterchat.state.inbox import ALL, InboxState
from smarterchat.state.inbox_items import ConsultantItem, ConversationItem

S = InboxState
TABS = [("mine", "inbox.tab_mine"), ("waiting", "inbox.tab_waiting"), ("bot", "inbox.tab_bot"),
        ("all", "inbox.tab_all"), ("resolved", "inbox.tab_resolved")]
COUNTS = {"mine": BadgeState.mine, "waiting": BadgeState.waiting}
CLAMP_ONE = {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}


def _count(value: rx.Var, color: str) -> rx.Component:
    return rx.cond(value > 0, rx.badge(value, color_scheme=color, variant="solid", size="1",
                                       radius="full"))


def _chip(value: str, key: str) -> rx.Component:
    active = S.status_filter == value
    count = COUNTS.get(value)
    return rx.button(
        t(key),
        _count(count, "amber" if value == "waiting" else "teal") if count is not None else None,
        size="1",
        variant=rx.cond(active, "solid", "soft"),
        color_scheme=rx.cond(active, "teal", "gray"),
        radius="full",
        on_click=S.set_filter(value),
        data_testid=f"tab-{value}",
        aria_pressed=rx.cond(active, "true", "false"),
    )


def _tab_select() -> rx.Component:
    """Phones: one select instead of five chips."""
    return rx.select.root(
        rx.select.trigger(width="100%", data_testid="inbox-filter-select"),
        rx.select.content(*[
            rx.select.item(
                rx.cond(COUNTS[value] > 0, t(key) + " (" + COUNTS[value].to_string() + ")",
                        t(key)) if value in COUNTS else t(key),
                value=value)
            for value, key in TABS]),
        value=S.status_filter,
        on_change=S.set_filter,
        size="2",
    )


def tabs() -> rx.Component:
    return rx.fragment(
        rx.flex(*[_chip(v, k) for v, k in TABS], gap="2", wrap="wrap",
                display=rx.breakpoints(initial="none", md="flex"), data_testid="inbox-tabs"),
        rx.box(_tab_select(), display=rx.breakpoints(initial="block", md="none"), flex="1",
               min_width="0"),
    )


def _filter_select(label_key: str, value: rx.Var, on_change, options: rx.Component,
                   test_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(t(label_key), size="1", weight="medium", color_scheme="gray"),
        rx.select.root(
            rx.select.trigger(width="100%", data_testid=test_id),
            rx.select.content(rx.select.item(t("inbox.filter_any"), value=ALL), options),
            value=value, on_change=on_change, size="2",
        ),
        spacing="1", width="100%",
    )


def _filters() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("sliders-horizontal", size=14),
                rx.cond(S.filters_active > 0, S.filters_active.to_string(), ""),
                variant=rx.cond(S.filters_active > 0, "solid", "soft"), color_scheme="gray",
                size="2", aria_label=t("inbox.filters"), data_testid="inbox-filters",
            ),
        ),
        rx.popover.content(
            rx.vstack(
                _filter_select("inbox.filter_channel", S.channel_filter, S.set_channel_filter,
                               rx.foreach(S.channels, lambda c: rx.select.item(
                                   c.label, value=c.value)), "filter-channel"),
                _filter_select("inbox.filter_agent", S.agent_filter, S.set_agent_filter,
                               rx.foreach(S.agents, lambda a: rx.select.item(
                                   a.label, value=a.value)), "filter-agent"),
                _filter_select("inbox.filter_assignee", S.assignee_filter,
                               S.set_assignee_filter,
                               rx.foreach(S.people, lambda p: rx.select.item(
                                   p.name, value=p.user_id)), "filter-assignee"),
                _filter_select("inbox.filter_label", S.label_filter, S.set_label_filter,
                               rx.foreach(S.labels, lambda label: rx.select.item(
                                   label, value=label)), "filter-label"),
                _filter_select("crm.inbox_stage", S.stage_filter, S.set_stage_filter,
                               rx.foreach(S.stages, lambda st: rx.select.item(
                                   st.label, value=st.value)), "filter-stage"),
                rx.button(t("inbox.clear_filters"), variant="ghost", size="1",
                          on_click=S.clear_filters, align_self="end"),
                spacing="3", width="240px",
            ),
            align="start",
        ),
    )


def search_bar() -> rx.Component:
    return rx.hstack(
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            value=S.search,
            on_change=S.set_search,
            debounce_timeout=400,
            placeholder=t("inbox.search_placeholder"),
            size="2",
            flex="1",
            type="search",
            data_testid="inbox-search",
        ),
        _filters(),
        spacing="2",
        width="100%",
        align="center",
    )


def _labels(labels: rx.Var) -> rx.Component:
    return rx.foreach(labels, lambda label: rx.badge(label, variant="outline", size="1",
                                                     color_scheme="gray"))


def _row(c: ConversationItem) -> rx.Component:
    selected = S.selected_id == c.id
    return rx.box(
        rx.flex(
            rx.avatar(fallback=c.initial, size="3", radius="full", color_scheme="gray",
                      flex_shrink="0"),
            rx.vstack(
                rx.flex(
                    rx.text(c.contact, weight="bold", size="2", style=CLAMP_ONE, flex="1",
                            min_width="0"),
                    rx.text(when_short(c.last_at), size="1",
                            color_scheme="gray", white_space="nowrap", flex_shrink="0"),
                    gap="2", align="center", width="100%",
                ),
                rx.flex(
                    rx.text(rx.cond(c.preview != "", c.preview, t("inbox.no_messages")),
                            size="2", color_scheme="gray", style=CLAMP_ONE, flex="1",
                            min_width="0"),
                    rx.cond(c.unread > 0,
                            rx.badge(c.unread, color_scheme="red", variant="solid", size="1",
                                     radius="full", flex_shrink="0",
                                     aria_label=t("inbox.unread_label"),
                                     data_testid="unread-badge")),
                    gap="2", align="center", width="100%",
                ),
                rx.flex(
                    channel_icon(c.channel_kind, 13),
                    rx.badge(status_label(c.status),
                             color_scheme=color_of(c.status, STATUS_COLORS), size="1"),
                    rx.cond(c.assignee != "",
                            rx.text(rx.icon("user-round", size=11, display="inline",
                                            margin_right="2px"),
                                    c.assignee, size="1", color_scheme="gray", style=CLAMP_ONE,
                                    max_width="130px")),
                    rx.cond((c.team != "") & (c.status == "waiting_human"),
                            rx.badge(rx.icon("users", size=11), c.team, size="1",
                                     variant="outline", color_scheme="amber",
                                     data_testid="row-team")),
                    rx.cond(c.stage != "", rx.badge(rx.icon("kanban", size=11), c.stage,
                                                    size="1", variant="soft",
                                                    color_scheme="violet",
                                                    data_testid="inbox-row-stage")),
                    _labels(c.labels),
                    gap="1", align="center", wrap="wrap", width="100%",
                ),
                spacing="1", min_width="0", flex="1",
            ),
            gap="3", align="start", width="100%",
        ),
        width="100%",
        padding="10px 12px",
        border_radius="var(--radius-3)",
        background=rx.cond(selected, rx.color("accent", 4), "transparent"),
        _hover={"background": rx.cond(selected, rx.color("accent", 4), rx.color("gray", 3))},
        cursor="pointer",
        on_click=S.open_conversation(c.id),
        role="button",
        tab_index=0,
        aria_current=rx.cond(selected, "true", "false"),
        data_testid="conversation-row",
        data_conversation=c.id,
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("inbox", size=28, color=rx.color("accent", 10)),
            rx.text(t("inbox.empty_title"), weight="bold", size="2", text_align="center"),
            rx.text(t("inbox.empty_list"), size="1", color_scheme="gray", text_align="center"),
            align="center", spacing="2", max_width="260px",
        ),
        padding_y="40px", width="100%", class_name="empty-state",
    )


def conversation_list() -> rx.Component:
    return rx.vstack(
        rx.cond(S.list_busy, rx.progress(size="1", duration="1s", width="100%")),
        rx.cond(
            S.items.length() > 0,
            rx.vstack(rx.foreach(S.items, _row), spacing="1", width="100%"),
            _empty(),
        ),
        rx.cond(S.has_more,
                rx.button(t("inbox.load_more"), variant="soft", color_scheme="gray", size="2",
                          width="100%", on_click=S.load_more, data_testid="inbox-load-more")),
        rx.cond(S.total > 0,
                rx.text(t("inbox.showing", shown=S.items.length(), total=S.total), size="1",
                        color_scheme="gray", text_align="center", width="100%")),
        spacing="2",
        width="100%",
        data_testid="conversation-list",
    )


def availability_dot(value: rx.Var, size: str = "8px") -> rx.Component:
    return rx.box(width=size, height=size, border_radius="9999px", flex_shrink="0",
                  background=rx.match(value, ("online", rx.color("grass", 9)),
                                      ("away", rx.color("amber", 9)), rx.color("gray", 8)))


def person_label(p: ConsultantItem) -> rx.Component:
    return rx.hstack(availability_dot(p.availability), rx.text(p.name, size="2"),
                     align="center", spacing="2")
