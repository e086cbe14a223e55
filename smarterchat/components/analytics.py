"""Pieces of the analytics page: the filter bar, headline cards and chart panels, each
with its definition behind a "?" and its CSV download."""

from __future__ import annotations

from typing import Any

import reflex as rx

from smarterchat.components.i18n import t
from smarterchat.state.analytics import ALL, AnalyticsState

S = AnalyticsState
PERIODS = (("today", "analytics.period.today"), ("7d", "analytics.period.7d"),
           ("30d", "analytics.period.30d"), ("month", "analytics.period.month"),
           ("custom", "analytics.period.custom"))


def _labelled(label_key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(t(label_key), size="1", weight="medium", color_scheme="gray"),
                     control, spacing="1", width="100%")


def _select(label_key: str, name: str, value: rx.Var, options: rx.Var) -> rx.Component:
    return _labelled(label_key, rx.select.root(
        rx.select.trigger(width="100%", data_testid=f"analytics-filter-{name}"),
        rx.select.content(
            rx.select.item(t("analytics.filter_all"), value=ALL),
            rx.foreach(options, lambda o: rx.select.item(o["name"], value=o["id"]))),
        value=value, on_change=lambda v: S.set_filter(name, v), size="2"))


def filters() -> rx.Component:
    period = _labelled("analytics.filter.period", rx.select.root(
        rx.select.trigger(width="100%", data_testid="analytics-filter-period"),
        rx.select.content(*[rx.select.item(t(key), value=value) for value, key in PERIODS]),
        value=S.period, on_change=S.set_period, size="2"))
    custom = rx.cond(S.period == "custom", rx.fragment(
        _labelled("analytics.filter.first", rx.input(
            type="date", value=S.first, on_change=lambda v: S.set_range("first", v),
            data_testid="analytics-first")),
        _labelled("analytics.filter.last", rx.input(
            type="date", value=S.last, on_change=lambda v: S.set_range("last", v),
            data_testid="analytics-last")),
    ))
    return rx.card(rx.vstack(
        rx.grid(
            period, custom,
            _select("analytics.filter.channel", "channel", S.channel, S.channels),
            _select("analytics.filter.agent", "agent", S.agent, S.agents),
            _select("analytics.filter.team", "team", S.team, S.teams),
            rx.cond(S.own_only, rx.fragment(),
                    _select("analytics.filter.consultant", "consultant", S.consultant,
                            S.consultants)),
            columns=rx.breakpoints(initial="1", xs="2", md="3", lg="6"), spacing="3",
            width="100%"),
        rx.flex(
            rx.hstack(rx.switch(checked=S.hours_only, on_change=S.set_hours_only,
                                data_testid="analytics-hours-only"),
                      rx.text(t("analytics.filter.hours_only"), size="2"), align="center"),
            rx.spacer(),
            rx.text(S.period_text, size="1", color_scheme="gray", data_testid="analytics-period"),
            rx.cond(S.busy, rx.spinner(size="2")),
            rx.button(rx.icon("download", size=14), t("analytics.download_conversations"),
                      on_click=S.download_conversations, variant="soft", size="2",
                      loading=S.busy, data_testid="analytics-download-conversations"),
            gap="3", align="center", wrap="wrap", width="100%"),
        spacing="3", width="100%"), width="100%")


def help_button(help_key: str) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(rx.icon_button(
            "circle-help", size="1", variant="ghost", color_scheme="gray",
            aria_label=t("analytics.how_computed"), data_testid="analytics-help")),
        rx.popover.content(rx.text(t(help_key), size="2"), max_width="320px"),
    )


def headline(card: Any) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.text(card["label"], size="2", color_scheme="gray"), rx.spacer(),
                  rx.popover.root(
                      rx.popover.trigger(rx.icon_button(
                          "circle-help", size="1", variant="ghost", color_scheme="gray",
                          aria_label=t("analytics.how_computed"))),
                      rx.popover.content(rx.text(card["help"], size="2"), max_width="320px")),
                  width="100%", align="center"),
        rx.text(card["value"], size="6", weight="bold", class_name="stat-value",
                data_testid="analytics-card-value"),
        rx.text(card["previous"], size="1", color_scheme="gray"),
        spacing="1", width="100%"), width="100%", data_testid="analytics-card")


def cards() -> rx.Component:
    return rx.grid(rx.foreach(S.cards, headline),
                   columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%")


def panel(key: str, body: rx.Component, *extra: rx.Component) -> rx.Component:
    """A chart's frame: title, "?", CSV, then the chart or what will appear and when."""
    return rx.card(rx.vstack(
        rx.hstack(
            rx.heading(t(f"analytics.chart.{key}"), size="3"), help_button(f"analytics.help.{key}"),
            rx.spacer(),
            rx.icon_button(rx.icon("download", size=14), size="1", variant="soft",
                           on_click=S.download(key), aria_label=t("analytics.download_csv"),
                           title=t("analytics.download_csv"), data_testid=f"analytics-csv-{key}"),
            width="100%", align="center"),
        *extra,
        rx.cond(S.empty[key],
                rx.center(rx.text(t(f"analytics.empty.{key}"), size="2", color_scheme="gray",
                                  text_align="center"),
                          min_height="120px", width="100%", padding="16px",
                          data_testid=f"analytics-empty-{key}"),
                rx.box(body, width="100%", data_testid=f"analytics-chart-{key}")),
        spacing="2", width="100%"), width="100%", min_width="0")


def plot(figure: rx.Var) -> rx.Component:
    return rx.plotly(data=figure, config={"displaylogo": False, "responsive": True},
                     use_resize_handler=True, width="100%")


def stats_line(chart: str) -> rx.Component:
    return rx.flex(
        rx.badge(t("analytics.series.people"), ": ", S.stats[f"{chart}.people"], color_scheme="teal",
                 variant="soft"),
        rx.badge(t("analytics.series.ai"), ": ", S.stats[f"{chart}.ai"], color_scheme="indigo",
                 variant="soft"),
        gap="2", wrap="wrap")


def _cell(value: rx.Var) -> rx.Component:
    return rx.table.cell(value, white_space="nowrap")


def leaderboard() -> rx.Component:
    heads = ("analytics.col.consultant", "analytics.col.handled", "analytics.col.first_median",
             "analytics.col.first_p90", "analytics.col.resolution_median",
             "analytics.col.resolution_p90")
    return rx.scroll_area(rx.table.root(
        rx.table.header(rx.table.row(
            *[rx.table.column_header_cell(t(h), white_space="nowrap") for h in heads],
            rx.cond(S.show_csat, rx.table.column_header_cell(t("analytics.col.csat"))))),
        rx.table.body(rx.foreach(S.leaderboard, lambda r: rx.table.row(
            _cell(r["name"]), _cell(r["handled"]), _cell(r["first_median"]),
            _cell(r["first_p90"]), _cell(r["resolution_median"]), _cell(r["resolution_p90"]),
            rx.cond(S.show_csat, _cell(r["csat"]))))),
        size="1", width="100%"), type="auto", scrollbars="horizontal", width="100%")


def funnel_table() -> rx.Component:
    heads = ("analytics.col.stage", "analytics.col.leads", "analytics.col.conversion",
             "temperature.hot", "temperature.warm", "temperature.cold", "analytics.col.value")
    return rx.scroll_area(rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(h), white_space="nowrap")
                                       for h in heads])),
        rx.table.body(rx.foreach(S.funnel_rows, lambda r: rx.table.row(
            _cell(r["stage"]), _cell(r["leads"]), _cell(r["conversion"]), _cell(r["hot"]),
            _cell(r["warm"]), _cell(r["cold"]), _cell(r["value"])))),
        size="1", width="100%"), type="auto", scrollbars="horizontal", width="100%")
