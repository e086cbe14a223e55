"""Platform admin: every organisation, searchable, suspend and reactivate."""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import organizations
from smarterchat.state.session import PageState

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
        return await self._load(organizations.list_organizations, search=self.search,
                                offset=self.offset, limit=PAGE_SIZE, then=self._show)

    def _show(self, page: organizations.Page) -> None:
        self.items = [OrganizationItem(id=o.id, name=o.name, slug=o.slug, active=o.is_active,
                                       members=o.members, conversations=o.conversations,
                                       created_at=o.created_at.isoformat())
                      for o in page.items]
        self.total = page.total

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
    def confirm(self):
        return self._action(organizations.set_active, self.target_id, self.target_active,
                            busy="busy", error="action_error", then=self._confirmed)

    async def _confirmed(self, _result: object) -> EventSpec | None:
        self.confirm_open = False
        self.notice = self._t("orgs.reactivated_done" if self.target_active
                              else "orgs.suspended_done")
        return await self._fetch()
