"""/crm/settings (admins): pipelines and their stages (name, kind, colour, days before a
lead is stale, order), the lost reasons, and who gets new leads."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import teams
from smarterchat.backend.services.crm import pipelines
from smarterchat.state.crm import Option
from smarterchat.state.session import PageState


@dataclasses.dataclass
class StageRow:
    id: str = ""
    name: str = ""
    kind: str = "open"
    color: str = "gray"
    stale: str = ""


def _stale(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


class CrmSettingsState(PageState):
    pipeline_options: list[Option] = []
    pipeline_id: str = ""
    stages: list[StageRow] = []
    reasons: list[Option] = []
    team_options: list[Option] = []
    new_pipeline: str = ""
    new_stage: str = ""
    new_reason: str = ""
    see_unassigned: bool = True
    rule: str = "off"
    team_id: str = ""
    cap: str = ""
    follows_assignee: bool = False
    busy: bool = False
    notice: str = ""
    _all: list[pipelines.PipelineInfo] = []

    @rx.event
    async def load(self):
        follow = await self._load(pipelines.list_pipelines, then=self._take)
        await self._reread(pipelines.lost_reasons, then=self._take_reasons)
        await self._reread(pipelines.read_settings, then=self._take_settings)
        await self._reread(teams.list_teams, then=self._take_teams)
        return follow

    def _take(self, found: list[pipelines.PipelineInfo]) -> None:
        self._all = found
        self.pipeline_options = [Option(id=p.id, name=p.name) for p in found]
        if self.pipeline_id not in {p.id for p in found}:
            self.pipeline_id = found[0].id if found else ""
        self._show_stages()

    def _show_stages(self) -> None:
        current = next((p for p in self._all if p.id == self.pipeline_id), None)
        self.stages = [StageRow(id=s.id, name=s.name, kind=s.kind, color=s.color,
                                stale=str(s.stale_days or "")) for s in
                       (current.stages if current else [])]

    def _take_reasons(self, found: list[pipelines.ReasonInfo]) -> None:
        self.reasons = [Option(id=r.id, name=r.name) for r in found]

    def _take_settings(self, found: pipelines.SettingsInfo) -> None:
        self.see_unassigned, self.rule = found.consultants_see_unassigned, found.distribution_rule
        self.team_id, self.follows_assignee = (found.distribution_team_id,
                                               found.owner_follows_assignee)
        self.cap = str(found.lead_cap or "")

    def _take_teams(self, found: list[teams.TeamInfo]) -> None:
        self.team_options = [Option(id=t.id, name=t.name) for t in found]

    async def _reload(self, _result: object = None) -> None:
        await self._reread(pipelines.list_pipelines, then=self._take)
        await self._reread(pipelines.lost_reasons, then=self._take_reasons)
        self.notice = self._t("crm.settings_saved")

    @rx.event
    def pick_pipeline(self, value: str):
        self.pipeline_id = value
        self._show_stages()

    @rx.event
    def edit_stage(self, stage_id: str, key: str, value: str):
        if key in ("name", "kind", "color", "stale"):
            self.stages = [dataclasses.replace(s, **{key: value}) if s.id == stage_id else s
                           for s in self.stages]

    @rx.event
    async def save_stage(self, stage_id: str):
        row = next((s for s in self.stages if s.id == stage_id), None)
        if row is None:
            return
        async for step in self._action(pipelines.save_stage, self.pipeline_id, stage_id=row.id,
                                       name=row.name, kind=row.kind, color=row.color,
                                       stale_days=_stale(row.stale), busy="busy",
                                       then=self._reload):
            yield step

    @rx.event
    async def move_stage(self, stage_id: str, step_by: int):
        order = [s.id for s in self.stages]
        i = order.index(stage_id) if stage_id in order else -1
        j = i + int(step_by)
        if i < 0 or not 0 <= j < len(order):
            return
        order[i], order[j] = order[j], order[i]
        async for step in self._action(pipelines.reorder_stages, self.pipeline_id, order,
                                       busy="busy", then=self._reload):
            yield step

    @rx.event
    async def delete_stage(self, stage_id: str):
        async for step in self._action(pipelines.delete_stage, stage_id, busy="busy",
                                       then=self._reload):
            yield step

    @rx.event
    def set_text(self, key: str, value: str):
        if key in ("new_pipeline", "new_stage", "new_reason", "cap", "rule", "team_id"):
            setattr(self, key, value)

    @rx.event
    def set_flag(self, key: str, value: bool):
        if key in ("see_unassigned", "follows_assignee"):
            setattr(self, key, bool(value))

    @rx.event
    async def add_stage(self):
        async for step in self._action(pipelines.save_stage, self.pipeline_id,
                                       name=self.new_stage, busy="busy", then=self._added):
            yield step

    @rx.event
    async def add_pipeline(self):
        async for step in self._action(pipelines.create_pipeline, self.new_pipeline,
                                       busy="busy", then=self._pipeline_added):
            yield step

    async def _pipeline_added(self, pipeline_id: str) -> None:
        self.pipeline_id, self.new_pipeline = pipeline_id, ""
        await self._reload()

    async def _added(self, _result: object) -> None:
        self.new_stage = self.new_reason = ""
        await self._reload()

    @rx.event
    async def add_reason(self):
        async for step in self._action(pipelines.add_lost_reason, self.new_reason, busy="busy",
                                       then=self._added):
            yield step

    @rx.event
    async def remove_reason(self, reason_id: str):
        async for step in self._action(pipelines.remove_lost_reason, reason_id, busy="busy",
                                       then=self._reload):
            yield step

    @rx.event
    async def save_distribution(self):
        cap = self.cap.strip()
        if cap and not cap.isdigit():
            self.error = self._t("error.invalid_lead_cap")
            return
        async for step in self._action(pipelines.save_settings,
                                       consultants_see_unassigned=self.see_unassigned,
                                       distribution_rule=self.rule,
                                       distribution_team_id=self.team_id or None,
                                       lead_cap=int(cap) if cap else None,
                                       owner_follows_assignee=self.follows_assignee,
                                       busy="busy", then=self._reload):
            yield step
