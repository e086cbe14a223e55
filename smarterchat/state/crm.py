"""CRM: leads by pipeline stage (read-only for now)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services.crm import board
from smarterchat.state.session import PageState


@dataclasses.dataclass
class LeadItem:
    id: str = ""
    name: str = ""
    temperature: str = ""
    value: str = ""
    owner: str = ""


@dataclasses.dataclass
class StageItem:
    stage: str = ""
    total: int = 0
    more: int = 0
    leads: list[LeadItem] = dataclasses.field(default_factory=list)


def _money(cents: int | None, locale: str) -> str:
    if cents is None:
        return ""
    whole, frac = divmod(int(cents), 100)
    grouped = f"{whole:,}"
    if locale == "en":
        return f"R$ {grouped}.{frac:02d}"
    return f"R$ {grouped.replace(',', '.')},{frac:02d}"


class CrmState(PageState):
    stages: list[StageItem] = []
    total: int = 0

    @rx.event
    async def load(self):
        return await self._load(board.board, board.BoardFilters(), then=self._show)

    def _show(self, found: board.Board) -> None:
        self.stages = [
            StageItem(stage=c.name, total=c.count, more=max(0, c.count - len(c.cards)), leads=[
                LeadItem(id=card.id, name=card.name, temperature=card.temperature,
                         value=_money(card.value_cents, self.lang), owner=card.owner_name)
                for card in c.cards
            ])
            for c in found.columns
        ]
        self.total = sum(c.count for c in found.columns)
