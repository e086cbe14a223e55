"""Plotly figures and display texts from the analytics DTOs, in the reader's language.

Pure functions: the page state calls them with what the service returned; nothing here
reads the database or decides a figure.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]

from smarterchat.backend.services.analytics.dto import (
    Budget,
    Card,
    Chart,
    ConsultantRow,
    FunnelRow,
    Stats,
)
from smarterchat.backend.services.transitions import handoff_reason_text
from smarterchat.i18n import TABLE, translate

PALETTE = ("#0d9488", "#6366f1", "#f59e0b", "#ec4899", "#0ea5e9", "#84cc16", "#a855f7")
_LAYOUT: dict[str, Any] = {
    "margin": {"l": 40, "r": 10, "t": 10, "b": 40}, "height": 280, "autosize": True,
    "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
    "legend": {"orientation": "h", "y": -0.25}, "font": {"size": 11},
}


def series_name(name: str, locale: str) -> str:
    key = f"analytics.series.{name}"
    return translate(key, locale) if key in TABLE else name


def _figure(traces: list[Any], **layout: Any) -> go.Figure:
    return go.Figure(data=traces, layout={**_LAYOUT, **layout})


def time_chart(chart: Chart, locale: str) -> go.Figure:
    """Bars (stacked) and lines over the period's hours or days."""
    traces: list[Any] = []
    for index, series in enumerate(chart.series):
        color = PALETTE[index % len(PALETTE)]
        name = series_name(series.name, locale)
        if series.kind == "line":
            traces.append(go.Scatter(x=chart.x, y=series.values, name=name, mode="lines+markers",
                                     line={"color": color}))
        else:
            traces.append(go.Bar(x=chart.x, y=series.values, name=name, marker_color=color))
    return _figure(traces, barmode="stack")


def bar_chart(chart: Chart, locale: str, labels: list[str] | None = None) -> go.Figure:
    x = labels or chart.x
    traces = [go.Bar(x=x, y=s.values, name=series_name(s.name, locale),
                     marker_color=PALETTE[i % len(PALETTE)]) for i, s in enumerate(chart.series)]
    return _figure(traces, barmode="group")


def handoff_labels(chart: Chart, locale: str) -> list[str]:
    return [handoff_reason_text(reason, locale) or reason for reason in chart.x]


def heatmap(chart: Chart, locale: str) -> go.Figure:
    days = [translate(f"analytics.{s.name}", locale) for s in chart.series]
    trace = go.Heatmap(z=[s.values for s in chart.series], x=chart.x, y=days,
                       colorscale="Teal", hoverongaps=False)
    return _figure([trace], yaxis={"autorange": "reversed"})


def funnel(rows: list[FunnelRow], locale: str) -> go.Figure:
    way = [row for row in rows if row.kind != "lost"]
    trace = go.Funnel(y=[row.stage for row in way],
                      x=[row.reached for row in way], textinfo="value+percent initial",
                      marker={"color": PALETTE[0]})
    return _figure([trace], margin={"l": 110, "r": 10, "t": 10, "b": 20})


def duration(seconds: float | None, locale: str) -> str:
    """'45 s', '12 min', '3 h 05 min', '2 d 4 h'; a dash when there is nothing to show."""
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    if whole < 86_400:
        return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
    return f"{whole // 86_400} d {whole % 86_400 // 3600} h"


def number(value: float, locale: str, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    if locale == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def card_value(unit: str, value: float | None, locale: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{number(value, locale, 1)} %"
    if unit == "seconds":
        return duration(value, locale)
    if unit == "usd":
        return f"US$ {number(value, locale, 2)}"
    return number(value, locale)


def card(card: Card, locale: str) -> dict[str, str]:
    return {
        "key": card.key,
        "label": translate(f"analytics.card.{card.key}", locale),
        "help": translate(f"analytics.help.card.{card.key}", locale),
        "value": card_value(card.unit, card.value, locale),
        "previous": translate("analytics.previous", locale,
                              value=card_value(card.unit, card.previous, locale)),
    }


def stats_text(stats: Stats, locale: str) -> str:
    if not stats.count:
        return translate("analytics.no_values", locale)
    return translate("analytics.stats", locale, count=stats.count,
                     median=duration(stats.median, locale), p90=duration(stats.p90, locale))


def budget_text(budget: Budget, locale: str) -> str:
    spent = budget.month_spend_micro_usd / 1_000_000
    if budget.monthly_budget_cents is None:
        return translate("analytics.budget_none", locale, spent=number(spent, locale, 2))
    limit = budget.monthly_budget_cents / 100
    share = 100 * spent / limit if limit else 0.0
    return translate("analytics.budget", locale, spent=number(spent, locale, 2),
                     budget=number(limit, locale, 2), share=number(share, locale, 0))


def leaderboard_rows(rows: list[ConsultantRow], locale: str) -> list[dict[str, str]]:
    return [{
        "name": row.name, "handled": number(row.handled, locale),
        "first_median": duration(row.first_response.median, locale),
        "first_p90": duration(row.first_response.p90, locale),
        "resolution_median": duration(row.resolution.median, locale),
        "resolution_p90": duration(row.resolution.p90, locale),
        "csat": "—" if row.csat is None else number(row.csat, locale, 1),
    } for row in rows]


def funnel_rows(rows: list[FunnelRow], locale: str) -> list[dict[str, str]]:
    return [{
        "stage": row.stage, "leads": number(row.leads, locale),
        "conversion": "—" if row.conversion is None else f"{number(row.conversion, locale, 1)} %",
        "hot": number(row.by_temperature.get("hot", 0), locale),
        "warm": number(row.by_temperature.get("warm", 0), locale),
        "cold": number(row.by_temperature.get("cold", 0), locale),
        "value": f"R$ {number(row.value_cents / 100, locale, 2)}",
    } for row in rows]
