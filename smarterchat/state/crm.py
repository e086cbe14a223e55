"""CRM: leads by pipeline stage (read-only for now)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import overview
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
        return await self._load(overview.leads_by_stage, then=self._show)

    def _show(self, columns: list[overview.StageColumn]) -> None:
        self.stages = [
            StageItem(stage=c.stage, total=c.total, more=max(0, c.total - len(c.leads)), leads=[
                LeadItem(id=lead.id, name=lead.name, temperature=lead.temperature,
                         value=_money(lead.value_cents, self.lang), owner=lead.owner_name)
                for lead in c.leads
            ])
            for c in columns
        ]
        self.total = sum(c.total for c in columns)
