"""/crm/import: a CSV of leads, previewed with its column mapping and every row's problem
in plain language; the duplicates policy is chosen before anything is written."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import inbox_views
from smarterchat.backend.services.crm import csv_import
from smarterchat.state.crm import Option
from smarterchat.state.session import PageState


@dataclasses.dataclass
class MapItem:
    header: str = ""
    target: str = "ignore"


class CrmImportState(PageState):
    file_name: str = ""
    channels: list[Option] = []
    channel_id: str = ""
    mapping: list[MapItem] = []
    sample: list[list[str]] = []
    problems: list[str] = []
    rows: int = 0
    duplicates: int = 0
    policy: str = ""
    busy: bool = False
    result: str = ""
    _data: bytes = b""

    @rx.event
    async def load(self):
        return await self._load(inbox_views.channel_options, then=self._take_channels)

    def _take_channels(self, found: list[inbox_views.Option]) -> None:
        self.channels = [Option(id=o.value, name=o.label) for o in found]
        if found and not self.channel_id:
            self.channel_id = found[0].value

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        if not files:
            return
        self._data = await files[0].read(csv_import.MAX_BYTES + 1)
        self.file_name = str(files[0].name or files[0].filename or "")
        self.result = ""
        await self._preview(None)

    async def _preview(self, mapping: dict[str, str] | None) -> None:
        self.problems, self.sample = [], []
        found = await self._guarded(csv_import.preview, self._data, self.channel_id, mapping)
        if found is None:
            return
        self.mapping = [MapItem(header=h, target=found.mapping[h]) for h in found.headers]
        self.sample, self.rows, self.duplicates = found.sample, found.rows, found.duplicates
        self.problems = [self._t(f"crm.import.{p.code}", line=p.line, column=p.column)
                         for p in found.problems]

    @rx.event
    async def set_target(self, header: str, target: str):
        self.mapping = [dataclasses.replace(m, target=target) if m.header == header else m
                        for m in self.mapping]
        await self._preview({m.header: m.target for m in self.mapping})

    @rx.event
    async def set_channel(self, value: str):
        self.channel_id = value
        if self._data:
            await self._preview({m.header: m.target for m in self.mapping})

    @rx.event
    def set_policy(self, value: str):
        self.policy = value

    @rx.event
    async def run(self):
        async for step in self._action(csv_import.run, self._data, self.channel_id,
                                       {m.header: m.target for m in self.mapping}, self.policy,
                                       busy="busy", then=self._done):
            yield step

    def _done(self, found: csv_import.Imported) -> None:
        self.result = self._t("crm.import_done", created=found.created, updated=found.updated,
                              skipped=found.skipped)
        self._data, self.mapping, self.sample, self.file_name = b"", [], [], ""
