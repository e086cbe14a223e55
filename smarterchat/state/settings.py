"""Settings: the organisation's details, and for admins the form that changes them."""

from __future__ import annotations

from datetime import date

import reflex as rx

from smarterchat.backend.services import org_settings, overview
from smarterchat.backend.services.business_hours import DAYS
from smarterchat.i18n import LOCALE_NAMES
from smarterchat.state.session import PageState

SWITCHES = ("closing_enabled", "survey_enabled", "signature_enabled", "show_queue_position")


class OrgSettingsState(PageState):
    name: str = ""
    slug: str = ""
    timezone: str = ""
    default_locale: str = ""
    created_at: str = ""
    members: int = 0

    can_edit: bool = False
    form_key: int = 0  # bumped after a load, so the uncontrolled fields show the new values
    logo_url: str = ""
    locale: str = "pt-BR"
    distribution_mode: str = "round_robin"
    hours: dict[str, str] = {}
    holidays: str = ""
    holiday_year: str = ""
    closing_message: str = ""
    waiting_message: str = ""
    privacy_notice: str = ""
    reopen_window_hours: str = "24"
    first_response_target_minutes: str = "15"
    closing_enabled: bool = False
    survey_enabled: bool = False
    signature_enabled: bool = False
    show_queue_position: bool = False
    saving: bool = False
    save_error: str = ""
    saved: bool = False

    @rx.event
    async def load(self):
        return await self._load(overview.organization, then=self._show)

    async def _show(self, info: overview.OrganizationInfo) -> None:
        self.slug = info.slug
        self.created_at = info.created_at.isoformat()
        self.members = info.active_members
        current = await self._guarded(org_settings.load)
        if current is not None:
            self._take(current)

    def _take(self, current: org_settings.OrgSettings) -> None:
        self.name, self.timezone, self.locale = current.name, current.timezone, current.locale
        self.default_locale = LOCALE_NAMES.get(current.locale, current.locale)
        self.can_edit, self.logo_url = current.can_edit, current.logo_url
        self.distribution_mode = current.distribution_mode
        week = current.hours.get("week", {})
        self.hours = {day: org_settings.day_text(week.get(day, [])) for day in DAYS}
        self.holidays = "\n".join(current.hours.get("holidays", []))
        service = current.service
        self.closing_message, self.waiting_message = service.closing_message, \
            service.waiting_message
        self.privacy_notice = service.privacy_notice
        self.reopen_window_hours = str(service.reopen_window_hours)
        self.first_response_target_minutes = str(current.first_response_target_minutes)
        for switch in SWITCHES:
            setattr(self, switch, getattr(service, switch))
        self.form_key += 1

    @rx.event
    def set_switch(self, name: str, value: bool):
        if name in SWITCHES:
            setattr(self, name, bool(value))

    @rx.event
    def set_locale_choice(self, value: str):
        self.locale = value

    @rx.event
    def set_mode(self, value: str):
        self.distribution_mode = value

    @rx.event
    def set_holidays(self, value: str):
        self.holidays = value

    @rx.event
    def set_holiday_year(self, value: str):
        self.holiday_year = value

    @rx.event
    def add_national_holidays(self):
        year = int(self.holiday_year) if self.holiday_year.isdigit() else date.today().year
        return self._action(org_settings.holiday_options, year, busy="saving",
                            error="save_error", then=self._add_holidays)

    def _add_holidays(self, options: list[org_settings.HolidayOption]) -> None:
        days = [d for d in self.holidays.splitlines() if d.strip()]
        self.holidays = "\n".join(sorted(set(days) | {o.day for o in options}))

    @rx.event
    def save(self, form: dict):
        self.saved = False
        values = {**form, "locale": self.locale, "distribution_mode": self.distribution_mode,
                  "holidays": self.holidays,
                  **{switch: getattr(self, switch) for switch in SWITCHES}}
        return self._action(org_settings.save_form, values, busy="saving", error="save_error",
                            then=self._saved)

    def _saved(self, current: org_settings.OrgSettings) -> None:
        self._take(current)
        self.saved = True

