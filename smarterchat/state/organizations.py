"""Platform admin: every organisation, searchable, suspend and reactivate."""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import organizations
from smarterchat.state.session import Leave, PageState, SignedOut

PAGE_SIZE = 20


@dataclasses.dataclass
class OrganizationItem:
    id: str = ""
    name: str = ""
    slug: str = ""
    active: bool = True
    members: int = 0
    conversations: int = 0
    created_at: str = ""


class OrganizationsState(PageState):
    items: list[OrganizationItem] = []
    total: int = 0
    offset: int = 0
    search: str = ""
    notice: str = ""

    target_id: str = ""
    target_name: str = ""
    target_active: bool = False
    confirm_open: bool = False
    busy: bool = False
    action_error: str = ""

    @rx.var
    def page_start(self) -> int:
        return self.offset + 1 if self.total else 0

    @rx.var
    def page_end(self) -> int:
        return min(self.offset + PAGE_SIZE, self.total)

    @rx.var
    def has_previous(self) -> bool:
        return self.offset > 0

    @rx.var
    def has_next(self) -> bool:
        return self.offset + PAGE_SIZE < self.total

    async def _fetch(self) -> EventSpec | None:
        try:
            page = await self._guarded(organizations.list_organizations, search=self.search,
                                       offset=self.offset, limit=PAGE_SIZE)
        except Leave as leave:
            return leave.event
        if page is not None:
            self.items = [OrganizationItem(o.id, o.name, o.slug, o.is_active, o.members,
                                           o.conversations, o.created_at.isoformat())
                          for o in page.items]
            self.total = page.total
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        self.notice = ""
        return await self._fetch()

    @rx.event
    async def set_search(self, value: str):
        self.search = value[:100]
        self.offset = 0
        return await self._fetch()

    @rx.event
    async def next_page(self):
        if self.offset + PAGE_SIZE < self.total:
            self.offset += PAGE_SIZE
        return await self._fetch()

    @rx.event
    async def previous_page(self):
        self.offset = max(0, self.offset - PAGE_SIZE)
        return await self._fetch()

    @rx.event
    def ask(self, org_id: str, active: bool):
        item = next((o for o in self.items if o.id == org_id), None)
        if item is None:
            return
        self.target_id, self.target_name, self.target_active = item.id, item.name, active
        self.action_error = ""
        self.confirm_open = True

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = value

    @rx.event
    async def confirm(self):
        self.busy = True
        self.action_error = ""
        yield
        try:
            await self._as_actor(organizations.set_active, self.target_id, self.target_active)
        except SignedOut:
            self.busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.action_error = self._message(exc)
            self.busy = False
            return
        self.busy = False
        self.confirm_open = False
        self.notice = self._t("orgs.reactivated_done" if self.target_active
                              else "orgs.suspended_done")
        leave = await self._fetch()
        if leave is not None:
            yield leave
