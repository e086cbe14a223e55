"""The board's toolbar: a lead typed by hand, the CSV export of what the board shows,
and the suggested duplicates with merge and undo."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import inbox_views
from smarterchat.backend.services.crm import conversation_lead, csv_export, merge
from smarterchat.state.crm import CrmState, Option, _cents
from smarterchat.state.session import PageState


@dataclasses.dataclass
class DuplicateItem:
    kept_id: str = ""
    other_id: str = ""
    kept_name: str = ""
    other_name: str = ""
    reason: str = ""


class CrmToolsState(PageState):
    new_open: bool = False
    channels: list[Option] = []
    channel_id: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    company: str = ""
    value: str = ""
    busy: bool = False
    tool_error: str = ""
    duplicates: list[DuplicateItem] = []
    dup_open: bool = False
    last_merge: str = ""

    @rx.event
    async def open_new(self):
        self.new_open, self.tool_error = True, ""
        await self._reread(inbox_views.channel_options, then=self._take_channels)

    def _take_channels(self, found: list[inbox_views.Option]) -> None:
        self.channels = [Option(id=o.value, name=o.label) for o in found]
        if found and not self.channel_id:
            self.channel_id = found[0].value

    @rx.event
    def close_new(self):
        self.new_open = False

    @rx.event
    def set_form(self, key: str, value: str):
        if key in ("channel_id", "name", "phone", "email", "company", "value"):
            setattr(self, key, value)

    @rx.event
    async def create(self):
        cents = _cents(self.value)
        if self.value.strip() and cents is None:
            self.tool_error = self._t("error.invalid_lead_value")
            return
        async for step in self._action(conversation_lead.create_by_hand,
                                       channel_id=self.channel_id, name=self.name,
                                       phone=self.phone, email=self.email, company=self.company,
                                       value_cents=cents, busy="busy", error="tool_error",
                                       then=self._created):
            yield step

    async def _created(self, _lead_id: str) -> None:
        self.new_open = False
        self.name = self.phone = self.email = self.company = self.value = ""
        board = await self.get_state(CrmState)
        await board._reload_board()

    @rx.event
    async def export(self, separator: str = ","):
        board = await self.get_state(CrmState)
        data = await self._guarded(csv_export.export_csv, board._filters(),
                                   separator=separator, locale=self.lang)
        if data is not None:
            return rx.download(data=data, filename="leads.csv", mime_type="text/csv")

    @rx.event
    async def open_duplicates(self):
        self.dup_open, self.tool_error = True, ""
        await self._reread(merge.suggestions, then=self._take_duplicates)

    def _take_duplicates(self, found: list[merge.Suggestion]) -> None:
        self.duplicates = [DuplicateItem(kept_id=s.kept_id, other_id=s.other_id,
                                         kept_name=s.kept_name, other_name=s.other_name,
                                         reason=s.reason) for s in found]

    @rx.event
    def close_duplicates(self):
        self.dup_open = False

    @rx.event
    async def merge_pair(self, kept_id: str, other_id: str):
        async for step in self._action(merge.merge, kept_id, other_id, busy="busy",
                                       error="tool_error", then=self._merged):
            yield step

    async def _merged(self, merge_id: str) -> None:
        self.last_merge = merge_id
        await self._refresh_all()

    async def _refresh_all(self) -> None:
        await self._reread(merge.suggestions, then=self._take_duplicates)
        board = await self.get_state(CrmState)
        await board._reload_board()

    @rx.event
    async def undo(self):
        async for step in self._action(merge.undo, self.last_merge, busy="busy",
                                       error="tool_error", then=self._undone):
            yield step

    async def _undone(self, _result: object) -> None:
        self.last_merge = ""
        await self._refresh_all()
