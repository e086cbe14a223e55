"""CRM board: a column per stage with its count and value total, cards moved by drag and
drop or by the "move to" menu (won asks the value, lost a reason), filters and search,
and other people's moves seen live through the organisation's real-time notices."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from datetime import datetime

import reflex as rx

from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.crm import actions, board, pipelines
from smarterchat.backend.services.errors import ServiceError
from smarterchat.state import inbox_live
from smarterchat.state.session import PageState, SignedOut

log = logging.getLogger(__name__)


@dataclasses.dataclass
class LeadItem:
    id: str = ""
    name: str = ""
    channel: str = ""
    temperature: str = ""
    reason: str = ""
    value: str = ""
    owner: str = ""
    activity: str = ""  # ISO time of the last activity
    stale: bool = False
    window_hours: int = -1  # hours until WhatsApp's window closes; -1: no open window
    conversation_id: str = ""


@dataclasses.dataclass
class StageItem:
    id: str = ""
    stage: str = ""
    kind: str = ""
    color: str = "gray"
    total: int = 0
    value: str = ""
    more: int = 0
    leads: list[LeadItem] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Option:
    id: str = ""
    name: str = ""


def _money(cents: int | None, locale: str) -> str:
    if cents is None:
        return ""
    whole, frac = divmod(int(cents), 100)
    grouped = f"{whole:,}"
    if locale == "en":
        return f"R$ {grouped}.{frac:02d}"
    return f"R$ {grouped.replace(',', '.')},{frac:02d}"


def _cents(text: str) -> int | None:
    """R$ typed the Brazilian way ("1.499,90") or plainly ("1499.90"); None if not a number."""
    cleaned = text.replace("R$", "").strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        return round(float(cleaned) * 100) if cleaned else None
    except ValueError:
        return None


def _hours_left(closes: datetime | None) -> int:
    if closes is None:
        return -1
    return max(0, int((closes - utcnow()).total_seconds() // 3600))


def given_to(notices: list[dict], me: str) -> list[dict]:
    """The notices of leads someone else (or the distribution) just gave to ``me``."""
    return [n for n in notices if n.get("event") == "LeadOwnerChanged"
            and n.get("owner_id") == me and n.get("actor_id") != me]


CHANNEL_KINDS = ("whatsapp", "instagram", "webchat")
PERIODS = ("7", "30", "90")  # leads created in the last N days


class CrmState(PageState):
    stages: list[StageItem] = []
    total: int = 0
    pipeline_id: str = ""
    pipeline_options: list[Option] = []
    reasons: list[Option] = []
    search: str = ""
    temperature: str = ""
    owner: str = ""
    channel_kind: str = ""
    period_days: str = ""
    stale_only: bool = False
    dragging: str = ""
    # The move waiting for a value (won) or a reason (lost).
    pending_lead: str = ""
    pending_stage: str = ""
    pending_kind: str = ""
    pending_value: str = ""
    pending_reason: str = ""
    moving: bool = False
    move_error: str = ""
    _org: str = ""
    _me: str = ""

    def _filters(self) -> board.BoardFilters:
        return board.BoardFilters(pipeline_id=self.pipeline_id, search=self.search,
                                  temperature=self.temperature, owner=self.owner,
                                  channel_kind=self.channel_kind,
                                  period_days=int(self.period_days) if self.period_days else None,
                                  stale_only=self.stale_only)

    @rx.event
    async def load(self):
        follow = await self._load(board.board, self._filters(), then=self._show)
        await self._reread(pipelines.lost_reasons, then=self._take_reasons)
        return follow or CrmState.follow

    def _take_reasons(self, found: list[pipelines.ReasonInfo]) -> None:
        self.reasons = [Option(id=r.id, name=r.name) for r in found]

    def _show(self, found: board.Board) -> None:
        self._org, self._me = found.organization_id, found.viewer_id
        self.pipeline_id = found.pipeline_id
        self.pipeline_options = [Option(id=i, name=n) for i, n in found.pipelines]
        self.stages = [
            StageItem(id=c.stage_id, stage=c.name, kind=c.kind, color=c.color, total=c.count,
                      value=_money(c.total_cents, self.lang) if c.total_cents else "",
                      more=max(0, c.count - len(c.cards)),
                      leads=[self._item(card) for card in c.cards])
            for c in found.columns
        ]
        self.total = sum(c.count for c in found.columns)

    def _item(self, card: board.Card) -> LeadItem:
        return LeadItem(id=card.id, name=card.name, channel=card.channel_kind,
                        temperature=card.temperature, reason=card.temperature_reason,
                        value=_money(card.value_cents, self.lang), owner=card.owner_name,
                        activity=card.last_activity_at.isoformat(), stale=card.stale,
                        window_hours=_hours_left(card.window_closes_at),
                        conversation_id=card.conversation_id)

    async def _reload_board(self) -> None:
        await self._reread(board.board, self._filters(), then=self._show)

    # ------------------------------------------------------------ filters

    @rx.event
    async def set_search(self, value: str):
        self.search = str(value)[:board.SEARCH_MAX]
        await self._reload_board()

    @rx.event
    async def set_temperature(self, value: str):
        self.temperature = "" if value == "all" else value
        await self._reload_board()

    @rx.event
    async def set_owner(self, value: str):
        self.owner = "" if value == "all" else value
        await self._reload_board()

    @rx.event
    async def set_channel_kind(self, value: str):
        self.channel_kind = value if value in CHANNEL_KINDS else ""
        await self._reload_board()

    @rx.event
    async def set_period_days(self, value: str):
        self.period_days = value if value in PERIODS else ""
        await self._reload_board()

    @rx.event
    async def set_stale_only(self, value: bool):
        self.stale_only = bool(value)
        await self._reload_board()

    @rx.event
    async def set_pipeline(self, value: str):
        self.pipeline_id = value
        await self._reload_board()

    @rx.event
    async def more(self, stage_id: str):
        """The next page of one column."""
        column = next((s for s in self.stages if s.id == stage_id), None)
        if column is None:
            return
        cards = await self._guarded(board.column_page, stage_id, self._filters(),
                                    offset=len(column.leads))
        if cards:
            column.leads = [*column.leads, *(self._item(c) for c in cards)]
            column.more = max(0, column.total - len(column.leads))
            self.stages = list(self.stages)

    # ------------------------------------------------------------ moves

    @rx.event
    def drag(self, lead_id: str):
        self.dragging = lead_id

    @rx.event
    async def drop(self, stage_id: str, before_id: str = ""):
        """A card was dropped on a column (at its end) or on a card (just above it)."""
        lead_id, self.dragging = self.dragging, ""
        if lead_id and lead_id != before_id:
            async for step in self._move(lead_id, stage_id, before_id):
                yield step

    @rx.event
    async def move_to(self, lead_id: str, stage_id: str):
        """The "move to" menu: the top of the chosen column."""
        async for step in self._move(lead_id, stage_id, "", to_top=True):
            yield step

    async def _move(self, lead_id: str, stage_id: str, before_id: str, *, to_top: bool = False):
        stage = next((s for s in self.stages if s.id == stage_id), None)
        current = next((s for s in self.stages if any(c.id == lead_id for c in s.leads)), None)
        if stage is not None and stage.kind in ("won", "lost") and current is not stage:
            self.pending_lead, self.pending_stage, self.pending_kind = lead_id, stage_id, stage.kind
            self.pending_value = self.pending_reason = self.move_error = ""
            return
        async for step in self._action(actions.move, lead_id, stage_id,
                                       before_id=before_id or None, to_top=to_top,
                                       busy="moving", then=self._moved):
            yield step

    async def _moved(self, _placed: actions.Placed) -> None:
        self.pending_lead = self.pending_stage = self.pending_kind = ""
        await self._reload_board()

    @rx.event
    def set_pending_value(self, value: str):
        self.pending_value = value

    @rx.event
    def set_pending_reason(self, value: str):
        self.pending_reason = value

    @rx.event
    def cancel_move(self):
        self.pending_lead = self.pending_stage = self.pending_kind = self.move_error = ""

    @rx.event
    async def confirm_move(self):
        value = _cents(self.pending_value) if self.pending_kind == "won" else None
        if self.pending_kind == "won" and self.pending_value.strip() and value is None:
            self.move_error = self._t("error.invalid_lead_value")
            return
        async for step in self._action(actions.move, self.pending_lead, self.pending_stage,
                                       to_top=True, value_cents=value,
                                       lost_reason=self.pending_reason, busy="moving",
                                       error="move_error", then=self._moved):
            yield step

    # ------------------------------------------------------------ live

    @rx.event(background=True, supersedes=True)
    async def follow(self):
        """Reload the board when anyone's lead changes, while this tab shows it."""
        async with self:
            token = self.router.session.client_token
            org = self._org
        if not org:
            return
        async with contextlib.aclosing(inbox_live.batches(org)) as stream:
            async for notices in stream:
                if not await inbox_live.connected(token):
                    return
                async with self:
                    if self.router.url.path.rstrip("/") != "/crm":
                        return
                if not any(n.get("type") in ("lead", "resubscribed") for n in notices):
                    continue
                try:
                    found = await self._unlocked(board.board, self._filters())
                except (SignedOut, ServiceError):
                    return
                except Exception:  # noqa: BLE001 - a database hiccup: the next notice retries
                    log.exception("board refresh failed")
                    continue
                async with self:
                    self._show(found)
                    me = self._me
                if given_to(notices, me):
                    yield rx.toast.info(self._t("crm.lead_given_to_you"))
