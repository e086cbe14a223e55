"""An organisation's settings, as its admins edit them on /settings.

Identity (name, logo, language, zone), weekly hours and holidays, distribution, and what
customers are told and asked (``ServiceSettings``: closing message, survey, reopen window,
signature line, privacy notice, waiting notice). Everyone in the organisation may read
them; only admins (``org.settings``) change them, and a bad value changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import urlparse
from zoneinfo import available_timezones

from sqlmodel import Session

from smarterchat.backend.db import linked_row
from smarterchat.backend.models import DistributionMode, Organization
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit, business_hours
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput
from smarterchat.i18n import LOCALES

MAX_MESSAGE = 600
MAX_NOTICE = 1000
MAX_REOPEN_HOURS = 24 * 30
MAX_RESPONSE_TARGET_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class ServiceSettings:
    """What the customer is told and asked; empty texts mean the default wording."""

    closing_enabled: bool = False
    closing_message: str = ""
    survey_enabled: bool = False
    reopen_window_hours: int = 0  # a customer writing this soon after resolve reopens it (0: off)
    signature_enabled: bool = False  # WhatsApp/Instagram replies start with the person's name
    privacy_notice: str = ""  # shown in the web chat (LGPD)
    waiting_message: str = ""  # nobody can take it yet
    show_queue_position: bool = False


def service_settings(org: Organization) -> ServiceSettings:
    """The stored settings over the defaults; unknown or mistyped keys are ignored."""
    stored = org.service_settings or {}
    defaults = ServiceSettings()
    values = {f.name: stored[f.name] for f in fields(ServiceSettings)
              if isinstance(stored.get(f.name), type(getattr(defaults, f.name)))}
    return ServiceSettings(**values)


@dataclass(frozen=True)
class OrgSettings:
    name: str
    logo_url: str
    locale: str
    timezone: str
    hours: dict[str, Any]  # ``business_hours.to_stored`` shape
    distribution_mode: str
    service: ServiceSettings
    can_edit: bool
    first_response_target_minutes: int = 15


@dataclass(frozen=True)
class SettingsInput:
    name: str
    logo_url: str = ""
    locale: str = "pt-BR"
    timezone: str = business_hours.DEFAULT_ZONE
    hours: dict[str, Any] = field(default_factory=dict)
    distribution_mode: str = DistributionMode.ROUND_ROBIN
    service: ServiceSettings = field(default_factory=ServiceSettings)
    # A customer handed to people waits at most this long for a person (the alert's target).
    first_response_target_minutes: int = 15


def load(session: Session, actor: Actor) -> OrgSettings:
    org = linked_row(session, Organization, actor.require_org())
    schedule = business_hours.schedule_for(org)
    return OrgSettings(name=org.name, logo_url=org.logo_url or "", locale=org.locale,
                       timezone=org.timezone, hours=business_hours.to_stored(schedule),
                       distribution_mode=org.distribution_mode, service=service_settings(org),
                       can_edit=actor.can(Permission.ORG_SETTINGS),
                       first_response_target_minutes=org.first_response_target_minutes)


def save(session: Session, actor: Actor, data: SettingsInput) -> OrgSettings:
    actor.require(Permission.ORG_SETTINGS)
    org = linked_row(session, Organization, actor.require_org())
    name = " ".join(data.name.split())
    if not 2 <= len(name) <= 120:
        raise InvalidInput("invalid_org_name")
    if data.locale not in LOCALES:
        raise InvalidInput("invalid_locale")
    if data.timezone not in _zones():
        raise InvalidInput("invalid_timezone")
    if data.distribution_mode not in set(DistributionMode):
        raise InvalidInput("invalid_mode")
    if not 1 <= data.first_response_target_minutes <= MAX_RESPONSE_TARGET_MINUTES:
        raise InvalidInput("invalid_response_target", max=MAX_RESPONSE_TARGET_MINUTES)
    schedule = business_hours.parse(data.hours, data.timezone)
    org.first_response_target_minutes = data.first_response_target_minutes
    org.name, org.locale, org.timezone = name, data.locale, data.timezone
    org.logo_url = _logo(data.logo_url)
    org.business_hours = business_hours.to_stored(schedule)
    org.distribution_mode = data.distribution_mode
    org.service_settings = asdict(_checked(data.service))
    session.add(org)
    audit.record(session, actor, "organization.settings_changed", target_type="organization",
                 target_id=org.id)
    session.commit()
    return load(session, actor)


def _zones() -> set[str]:
    return available_timezones()


def _logo(url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc or len(url) > 500:
        raise InvalidInput("invalid_logo_url")
    return url


def _checked(service: ServiceSettings) -> ServiceSettings:
    texts = {"closing_message": MAX_MESSAGE, "waiting_message": MAX_MESSAGE,
             "privacy_notice": MAX_NOTICE}
    cleaned = {name: getattr(service, name).strip() for name in texts}
    for name, limit in texts.items():
        if len(cleaned[name]) > limit:
            raise InvalidInput("text_too_long", max=limit)
    if not 0 <= service.reopen_window_hours <= MAX_REOPEN_HOURS:
        raise InvalidInput("invalid_reopen_window", max=MAX_REOPEN_HOURS)
    return ServiceSettings(**{**asdict(service), **cleaned})


@dataclass(frozen=True)
class HolidayOption:
    day: str  # ISO date
    key: str  # ``holiday.<key>``


def holiday_options(session: Session, actor: Actor, year: int) -> list[HolidayOption]:
    """Brazil's national holidays of ``year``, for the settings page to offer its admins."""
    actor.require(Permission.ORG_SETTINGS)
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid_year")
    return [HolidayOption(day=h.day.isoformat(), key=f"holiday.{h.key}")
            for h in business_hours.brazilian_holidays(year)]


# ------------------------------------------------------------------ the page's form

def day_text(spans: list[list[str]]) -> str:
    """"09:00-12:00, 13:00-18:00": one weekday's spans as the page shows them."""
    return ", ".join(f"{start}-{end}" for start, end in spans)


def _day_spans(text: str) -> list[list[str]]:
    spans = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        start, sep, end = part.partition("-")
        if not sep:
            raise InvalidInput("invalid_hours")
        spans.append([start.strip(), end.strip()])
    return spans


def form_input(form: dict[str, Any]) -> SettingsInput:
    """The settings from the page's fields: ``hours_<day>`` as ``day_text`` writes them,
    ``holidays`` one ISO date a line, switches as booleans."""
    def text(name: str) -> str:
        return str(form.get(name) or "")

    hours = {"week": {day: _day_spans(text(f"hours_{day}")) for day in business_hours.DAYS},
             "holidays": [d.strip() for d in text("holidays").splitlines() if d.strip()]}
    try:
        reopen = int(text("reopen_window_hours") or 0)
    except ValueError as exc:
        raise InvalidInput("invalid_reopen_window", max=MAX_REOPEN_HOURS) from exc
    try:
        target = int(text("first_response_target_minutes") or 15)
    except ValueError as exc:
        raise InvalidInput("invalid_response_target", max=MAX_RESPONSE_TARGET_MINUTES) from exc
    service = ServiceSettings(
        closing_enabled=bool(form.get("closing_enabled")), closing_message=text("closing_message"),
        survey_enabled=bool(form.get("survey_enabled")), reopen_window_hours=reopen,
        signature_enabled=bool(form.get("signature_enabled")),
        privacy_notice=text("privacy_notice"), waiting_message=text("waiting_message"),
        show_queue_position=bool(form.get("show_queue_position")))
    return SettingsInput(name=text("name"), logo_url=text("logo_url"), locale=text("locale"),
                         timezone=text("timezone"), hours=hours,
                         distribution_mode=text("distribution_mode"), service=service,
                         first_response_target_minutes=target)


def save_form(session: Session, actor: Actor, form: dict[str, Any]) -> OrgSettings:
    return save(session, actor, form_input(form))
