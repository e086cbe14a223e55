"""Analytics: the dashboard's filters, figures and CSV downloads.

Every figure comes from ``services.analytics.dashboard`` for the signed-in actor (managers
and admins see the organisation, a consultant their own conversations); this state keeps
the last result as a backend-only value (for the CSV downloads) and what the page draws.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go  # type: ignore[import-untyped]
import reflex as rx

from smarterchat.backend.services.analytics import Dashboard, Filters, dashboard, export
from smarterchat.backend.services.analytics.options import FilterOptions, filter_options
from smarterchat.backend.services.analytics.periods import PeriodKind
from smarterchat.state import analytics_figures as figures
from smarterchat.state.session import PageState

ALL = "all"  # the select's value for "no filter"
CHARTS = ("volume", "contacts", "ai_share", "handoffs", "ai_answers", "ai_cost", "whatsapp",
          "first_response", "resolution", "heatmap", "leaderboard", "funnel")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class AnalyticsState(PageState):
    period: str = PeriodKind.LAST_7_DAYS.value
    first: str = ""
    last: str = ""
    channel: str = ALL
    agent: str = ALL
    team: str = ALL
    consultant: str = ALL
    hours_only: bool = False
    busy: bool = False

    channels: list[dict[str, str]] = []
    agents: list[dict[str, str]] = []
    teams: list[dict[str, str]] = []
    consultants: list[dict[str, str]] = []
    own_only: bool = False

    period_text: str = ""
    has_data: bool = False
    cards: list[dict[str, str]] = []
    empty: dict[str, bool] = {}
    stats: dict[str, str] = {}
    budget_text: str = ""
    leaderboard: list[dict[str, str]] = []
    show_csat: bool = False
    funnel_rows: list[dict[str, str]] = []

    fig_volume: go.Figure = go.Figure()
    fig_contacts: go.Figure = go.Figure()
    fig_ai_share: go.Figure = go.Figure()
    fig_handoffs: go.Figure = go.Figure()
    fig_ai_answers: go.Figure = go.Figure()
    fig_ai_cost: go.Figure = go.Figure()
    fig_whatsapp: go.Figure = go.Figure()
    fig_first_response: go.Figure = go.Figure()
    fig_resolution: go.Figure = go.Figure()
    fig_heatmap: go.Figure = go.Figure()
    fig_funnel: go.Figure = go.Figure()

    _board: Dashboard | None = None

    def _filters(self) -> Filters:
        def chosen(value: str) -> str | None:
            return None if value in ("", ALL) else value

        return Filters(period=self.period, first=_day(self.first), last=_day(self.last),
                       channel_id=chosen(self.channel), agent_id=chosen(self.agent),
                       team_id=chosen(self.team), consultant_id=chosen(self.consultant),
                       business_hours_only=self.hours_only)

    @rx.event
    async def load(self):
        return await self._load(filter_options, then=self._options)

    async def _options(self, options: FilterOptions) -> None:
        def listed(items: list) -> list[dict[str, str]]:
            return [{"id": item.id, "name": item.name} for item in items]

        self.channels, self.agents = listed(options.channels), listed(options.agents)
        self.teams, self.consultants = listed(options.teams), listed(options.consultants)
        self.own_only = options.own_only
        await self._reload()

    async def _reload(self) -> None:
        self.busy = True
        try:
            data = await self._guarded(dashboard, self._filters())
        finally:
            self.busy = False
        if data is not None:
            self._show(data)

    def _show(self, board: Dashboard) -> None:
        self._board = board
        lang = self.lang
        self.period_text = self._t("analytics.period_text", first=board.period.first_day,
                                   last=board.period.last_day, zone=board.period.zone)
        self.has_data = board.has_data
        self.cards = [figures.card(card, lang) for card in board.cards]
        self.fig_volume = figures.time_chart(board.volume, lang)
        self.fig_contacts = figures.time_chart(board.contacts, lang)
        self.fig_ai_share = figures.time_chart(board.ai_share, lang)
        self.fig_handoffs = figures.bar_chart(board.handoffs, lang,
                                              figures.handoff_labels(board.handoffs, lang))
        self.fig_ai_answers = figures.time_chart(board.ai_answers, lang)
        self.fig_ai_cost = figures.time_chart(board.ai_cost, lang)
        self.fig_whatsapp = figures.bar_chart(board.whatsapp, lang)
        self.fig_first_response = figures.bar_chart(board.first_response.chart, lang)
        self.fig_resolution = figures.bar_chart(board.resolution.chart, lang)
        self.fig_heatmap = figures.heatmap(board.heatmap, lang)
        self.fig_funnel = figures.funnel(board.funnel, lang)
        self.empty = {
            "volume": board.volume.is_empty, "contacts": board.contacts.is_empty,
            "ai_share": board.ai_share.is_empty, "handoffs": board.handoffs.is_empty,
            "ai_answers": board.ai_answers.is_empty, "ai_cost": board.ai_cost.is_empty,
            "whatsapp": board.whatsapp.is_empty,
            "first_response": board.first_response.chart.is_empty,
            "resolution": board.resolution.chart.is_empty, "heatmap": board.heatmap.is_empty,
            "leaderboard": not board.leaderboard,
            "funnel": not any(row.leads for row in board.funnel),
        }
        self.stats = {f"{chart}.{clock}": figures.stats_text(stats, lang)
                      for chart, dist in (("first_response", board.first_response),
                                          ("resolution", board.resolution))
                      for clock, stats in dist.stats.items()}
        self.budget_text = figures.budget_text(board.budget, lang)
        self.leaderboard = figures.leaderboard_rows(board.leaderboard, lang)
        self.show_csat = any(row.csat is not None for row in board.leaderboard)
        self.funnel_rows = figures.funnel_rows(board.funnel, lang)

    @rx.event
    async def set_period(self, value: str):
        self.period = value
        if value != PeriodKind.CUSTOM:
            await self._reload()

    @rx.event
    async def set_range(self, which: str, value: str):
        setattr(self, "first" if which == "first" else "last", value)
        if self.period == PeriodKind.CUSTOM and self.first and self.last:
            await self._reload()

    @rx.event
    async def set_filter(self, name: str, value: str):
        if name in ("channel", "agent", "team", "consultant"):
            setattr(self, name, value)
            await self._reload()

    @rx.event
    async def set_hours_only(self, value: bool):
        self.hours_only = bool(value)
        await self._reload()

    def _file(self, key: str) -> str:
        board = self._board
        span = f"{board.period.first_day}_{board.period.last_day}" if board else "period"
        return f"smarterchat-{key}-{span}.csv"

    @rx.event
    def download(self, key: str):
        board = self._board
        if board is None or key not in CHARTS:
            return None
        if key == "leaderboard":
            data = export.leaderboard_csv(board.leaderboard)
        elif key == "funnel":
            data = export.funnel_csv(board.funnel)
        else:
            chart = getattr(board, key)
            data = export.chart_csv(getattr(chart, "chart", chart))
        return rx.download(data=data, filename=self._file(key))

    @rx.event
    def download_conversations(self):
        return self._action(export.conversations_csv, self._filters(), busy="busy",
                            then=lambda data: rx.download(data=data,
                                                          filename=self._file("conversations")))
