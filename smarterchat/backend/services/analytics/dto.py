"""What the analytics functions return: plain values, built with keyword arguments, the same
for the dashboard page, the CSV exports and the public API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stats:
    """A distribution's size, median and 90th percentile (nearest rank), in seconds."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True)
class Card:
    key: str  # names the figure (i18n ``analytics.card.<key>``)
    unit: str  # count, percent, seconds, usd
    value: float | None
    previous: float | None


@dataclass(frozen=True)
class Series:
    name: str  # a channel's name, or a key the page translates (``analytics.series.<name>``)
    values: list[float]
    kind: str = "bar"  # bar or line


@dataclass(frozen=True)
class Chart:
    key: str  # ``analytics.chart.<key>`` titles it, ``analytics.help.<key>`` defines it
    x: list[str]
    series: list[Series] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)


@dataclass(frozen=True)
class Distribution:
    chart: Chart  # counts per duration bin, one series per clock
    stats: dict[str, Stats]  # per clock: "ai", "people"


@dataclass(frozen=True)
class ConsultantRow:
    user_id: str
    name: str
    handled: int
    first_response: Stats
    resolution: Stats
    csat: float | None  # average rating 1-5 when the organisation collects it


@dataclass(frozen=True)
class FunnelRow:
    stage: str  # the stage's name, as the organisation calls it
    kind: str  # open, won, lost
    leads: int
    reached: int  # leads now at this stage or a later one of the way to "won"
    conversion: float | None  # reached / all leads of the period
    by_temperature: dict[str, int]
    value_cents: int


@dataclass(frozen=True)
class Budget:
    month_spend_micro_usd: int
    monthly_budget_cents: int | None


@dataclass(frozen=True)
class PeriodInfo:
    first_day: str  # local ISO dates, both included
    last_day: str
    zone: str
    hourly: bool


@dataclass(frozen=True)
class Dashboard:
    period: PeriodInfo
    own_only: bool  # a consultant's own figures
    cards: list[Card]
    volume: Chart
    contacts: Chart
    ai_share: Chart
    handoffs: Chart
    ai_answers: Chart
    ai_cost: Chart
    whatsapp: Chart
    first_response: Distribution
    resolution: Distribution
    heatmap: Chart
    leaderboard: list[ConsultantRow]
    funnel: list[FunnelRow]
    budget: Budget

    @property
    def has_data(self) -> bool:
        return any(card.value for card in self.cards if card.unit == "count")
