"""/crm/lead/<id>: one lead's details and editable fields (with the message each came
from), its timeline, notes and follow-up tasks; stage, value and owner changed here."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import reflex as rx

from smarterchat.backend.services.crm import actions, lead_page, tasks
from smarterchat.state.crm import Option, _cents, _money
from smarterchat.state.session import PageState

ZONE = ZoneInfo("America/Sao_Paulo")


@dataclasses.dataclass
class FieldItem:
    name: str = ""
    value: str = ""
    source: str = ""  # the customer's words it came from


@dataclasses.dataclass
class LineItem:
    kind: str = ""
    at: str = ""
    who: str = ""
    text: str = ""
    before: str = ""
    after: str = ""


@dataclasses.dataclass
class TaskItem:
    id: str = ""
    title: str = ""
    due: str = ""
    done: bool = False
    overdue: bool = False
    lead_id: str = ""
    lead_name: str = ""


def task_items(found: list[lead_page.TaskInfo]) -> list[TaskItem]:
    return [TaskItem(id=x.id, title=x.title, due=x.due_at.isoformat(), done=x.done,
                     overdue=x.overdue, lead_id=x.lead_id, lead_name=x.lead_name)
            for x in found]


def _line(line: lead_page.TimelineLine) -> LineItem:
    data = line.data
    before = data.get("before_name") or data.get("before", "")
    after = data.get("after_name") or data.get("after", "") or data.get("status", "")
    return LineItem(kind=line.kind, at=line.at.isoformat(), who=line.who, text=line.text,
                    before=before, after=after)


def _route_lead(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return parts[2] if len(parts) >= 3 and parts[:2] == ["crm", "lead"] else ""


class LeadState(PageState):
    lead_id: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    channel: str = ""
    stage_id: str = ""
    stage_name: str = ""
    stages: list[Option] = []
    temperature: str = ""
    reason: str = ""
    value: str = ""
    value_input: str = ""
    owner: str = ""
    lost_reason: str = ""
    conversation_id: str = ""
    fields: list[FieldItem] = []
    timeline: list[LineItem] = []
    tasks: list[TaskItem] = []
    note: str = ""
    task_title: str = ""
    task_due: str = ""  # a datetime-local value, São Paulo time
    saving: bool = False
    form_error: str = ""

    @rx.event
    async def load(self):
        self.lead_id = _route_lead(self.router.url.path)
        return await self._load(lead_page.lead_detail, self.lead_id, then=self._take)

    def _take(self, found: lead_page.LeadDetail) -> None:
        self.name, self.phone, self.email = found.name, found.phone, found.email
        self.channel, self.stage_id, self.stage_name = (found.channel_kind, found.stage_id,
                                                        found.stage_name)
        self.stages = [Option(id=i, name=n) for i, n, _ in found.stages]
        self.temperature, self.reason = found.temperature, found.temperature_reason
        self.value = _money(found.value_cents, self.lang)
        self.value_input = self.value.replace("R$ ", "")
        self.owner, self.lost_reason = found.owner_name, found.lost_reason
        self.conversation_id = found.conversation_id
        self.fields = [FieldItem(name=f.name, value=f.value, source=f.source_text)
                       for f in found.fields]
        self.timeline = [_line(line) for line in found.timeline]
        self.tasks = task_items(found.tasks)

    async def _reload(self, _result: object = None) -> None:
        await self._reread(lead_page.lead_detail, self.lead_id, then=self._take)

    @rx.event
    def set_field(self, name: str, value: str):
        self.fields = [dataclasses.replace(f, value=value) if f.name == name else f
                       for f in self.fields]

    @rx.event
    async def save_fields(self):
        values = {f.name: f.value for f in self.fields}
        async for step in self._action(actions.update, self.lead_id, fields=values,
                                       busy="saving", error="form_error", then=self._reload):
            yield step

    @rx.event
    def set_value_input(self, value: str):
        self.value_input = value

    @rx.event
    async def save_value(self):
        cents = _cents(self.value_input)
        if self.value_input.strip() and cents is None:
            self.form_error = self._t("error.invalid_lead_value")
            return
        async for step in self._action(actions.update, self.lead_id, value_cents=cents,
                                       clear_value=cents is None, busy="saving",
                                       error="form_error", then=self._reload):
            yield step

    @rx.event
    async def change_stage(self, stage_id: str):
        """Open stages move at once; won and lost are asked on the board's dialog."""
        async for step in self._action(actions.move, self.lead_id, stage_id, to_top=True,
                                       busy="saving", error="form_error", then=self._reload):
            yield step

    @rx.event
    def set_note(self, value: str):
        self.note = value

    @rx.event
    async def add_note(self):
        async for step in self._action(actions.add_note, self.lead_id, self.note,
                                       busy="saving", error="form_error",
                                       then=self._noted):
            yield step

    async def _noted(self, _result: object) -> None:
        self.note = ""
        await self._reload()

    @rx.event
    def set_task_title(self, value: str):
        self.task_title = value

    @rx.event
    def set_task_due(self, value: str):
        self.task_due = value

    @rx.event
    async def add_task(self):
        try:
            due = datetime.fromisoformat(self.task_due).replace(tzinfo=ZONE)
        except ValueError:
            self.form_error = self._t("error.invalid_task_due")
            return
        async for step in self._action(tasks.add_task, self.lead_id, self.task_title, due,
                                       busy="saving", error="form_error", then=self._tasked):
            yield step

    async def _tasked(self, _result: object) -> None:
        self.task_title = self.task_due = ""
        await self._reload()

    @rx.event
    async def toggle_task(self, task_id: str, done: bool):
        async for step in self._action(tasks.complete_task, task_id, bool(done),
                                       error="form_error", then=self._reload):
            yield step
