"""CRM: leads by pipeline stage (read-only for now)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.state.session import Leave, PageState


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
        try:
            columns = await self._guarded(overview.leads_by_stage)
        except Leave as leave:
            return leave.event
        if columns is not None:
            self.stages = [
                StageItem(c.stage, c.total, max(0, c.total - len(c.leads)), [
                    LeadItem(lead.id, lead.name, lead.temperature,
                             _money(lead.value_cents, self.lang), lead.owner_name)
                    for lead in c.leads
                ])
                for c in columns
            ]
            self.total = sum(c.total for c in columns)
        self.loaded = True
        return None
