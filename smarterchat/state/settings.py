"""Settings overview: the organisation's details and where to manage what."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.i18n import LOCALE_NAMES
from smarterchat.state.session import PageState


class OrgSettingsState(PageState):
    name: str = ""
    slug: str = ""
    timezone: str = ""
    default_locale: str = ""
    created_at: str = ""
    members: int = 0

    @rx.event
    async def load(self):
        return await self._load(overview.organization, then=self._show)

    def _show(self, info: overview.OrganizationInfo) -> None:
        self.name = info.name
        self.slug = info.slug
        self.timezone = info.timezone
        self.default_locale = LOCALE_NAMES.get(info.locale, info.locale)
        self.created_at = info.created_at.isoformat()
        self.members = info.active_members
