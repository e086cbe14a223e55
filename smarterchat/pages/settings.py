"""/settings: the organisation's details and the places to manage it."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services.business_hours import DAYS
from smarterchat.components.common import (
    error_callout,
    notice_callout,
    page_frame,
    page_header,
    submit_button,
    when_date,
)
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.session import AppState
from smarterchat.state.settings import SWITCHES, OrgSettingsState

S = OrgSettingsState


def _item(key: str, value) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(t(key)),
        rx.data_list.value(value),
    )


def _link_card(icon: str, title_key: str, body_key: str, href: str, test_id: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=22, color=rx.color("accent", 10), flex_shrink="0"),
                rx.vstack(rx.text(t(title_key), weight="bold", size="3"),
                          rx.text(t(body_key), size="2", color_scheme="gray"), spacing="1"),
                rx.spacer(),
                rx.icon("chevron-right", size=18, color=rx.color("gray", 9), flex_shrink="0"),
                align="center",
                spacing="3",
            ),
            width="100%",
        ),
        href=href,
        underline="none",
        color="inherit",
        width="100%",
        data_testid=test_id,
    )


def _labelled(key: str, control: rx.Component, for_id: str, help_key: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(t(key), as_="label", html_for=for_id, size="2", weight="medium"),
        control,
        rx.text(t(help_key), size="1", color_scheme="gray") if help_key else rx.fragment(),
        spacing="1", width="100%")


def _input(key: str, name: str, value, **props) -> rx.Component:
    return _labelled(key, rx.input(id=f"settings-{name}", name=name, default_value=value,
                                   width="100%", data_testid=f"settings-{name}", **props),
                     f"settings-{name}")


def _text_area(key: str, name: str, value, help_key: str = "", **props) -> rx.Component:
    return _labelled(key, rx.text_area(id=f"settings-{name}", name=name, default_value=value,
                                       width="100%", rows="2", data_testid=f"settings-{name}",
                                       **props), f"settings-{name}", help_key)


def _switch(name: str) -> rx.Component:
    return rx.hstack(
        rx.switch(id=f"settings-{name}", checked=getattr(S, name),
                  on_change=lambda v: S.set_switch(name, v), data_testid=f"settings-{name}"),
        rx.text(t(f"orgset.{name}"), as_="label", html_for=f"settings-{name}", size="2"),
        align="center", spacing="2")


def _choice(key: str, name: str, value, on_change, options: list[tuple[str, str]]):
    return _labelled(key, rx.select.root(
        rx.select.trigger(id=f"settings-{name}", width="100%", data_testid=f"settings-{name}"),
        rx.select.content(*[rx.select.item(t(label), value=code) for code, label in options]),
        value=value, on_change=on_change), f"settings-{name}")


def _section(title_key: str, *children) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(t(title_key), size="3", as_="h2"), *children,
                             spacing="3", width="100%"), width="100%")


def _hours() -> rx.Component:
    return _section(
        "orgset.hours_title",
        rx.text(t("orgset.hours_help"), size="1", color_scheme="gray"),
        rx.grid(*[_input(f"customer.day.{i}", f"hours_{day}", S.hours[day],
                         placeholder="09:00-12:00, 13:00-18:00")
                  for i, day in enumerate(DAYS)],
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        _labelled("orgset.holidays", rx.text_area(
            id="settings-holidays", value=S.holidays, on_change=S.set_holidays, rows="4",
            width="100%", placeholder="2026-12-25", data_testid="settings-holidays"),
            "settings-holidays", "orgset.holidays_help"),
        rx.flex(
            rx.input(value=S.holiday_year, on_change=S.set_holiday_year, placeholder="2026",
                     aria_label=t("orgset.holiday_year"), width="7em", max_length=4),
            rx.button(rx.icon("calendar-plus", size=16), t("orgset.add_holidays"),
                      type="button", variant="soft", on_click=S.add_national_holidays,
                      data_testid="settings-add-holidays"),
            spacing="2", wrap="wrap"),
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _section(
                "orgset.identity_title",
                _input("settings.org_name", "name", S.name, max_length=120, required=True),
                _input("orgset.logo_url", "logo_url", S.logo_url, type="url",
                       placeholder="https://"),
                rx.grid(
                    _choice("settings.org_locale", "locale", S.locale, S.set_locale_choice,
                            [("pt-BR", "orgset.locale_pt"), ("en", "orgset.locale_en")]),
                    _input("settings.org_timezone", "timezone", S.timezone,
                           placeholder="America/Sao_Paulo"),
                    _choice("orgset.distribution", "distribution_mode", S.distribution_mode,
                            S.set_mode, [("round_robin", "orgset.mode_round_robin"),
                                         ("manual", "orgset.mode_manual")]),
                    columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%"),
                _input("orgset.response_target", "first_response_target_minutes",
                       S.first_response_target_minutes, type="number", min=1, max=10080),
                rx.link(t("orgset.capacities_link"), href="/inbox/queue", size="2"),
            ),
            _hours(),
            _section(
                "orgset.customer_title",
                *[_switch(name) for name in SWITCHES],
                _text_area("orgset.closing_message", "closing_message", S.closing_message,
                           "orgset.default_help", max_length=600),
                _text_area("orgset.waiting_message", "waiting_message", S.waiting_message,
                           "orgset.default_help", max_length=600),
                _input("orgset.reopen_window", "reopen_window_hours", S.reopen_window_hours,
                       type="number", min=0, max=720),
                _text_area("orgset.privacy_notice", "privacy_notice", S.privacy_notice,
                           "orgset.privacy_help", max_length=1000),
            ),
            error_callout(S.save_error, data_testid="settings-error"),
            rx.cond(S.saved, notice_callout(t("orgset.saved"), data_testid="settings-saved")),
            submit_button(t("common.save"), S.saving, data_testid="settings-save"),
            spacing="3", width="100%",
        ),
        key=S.form_key.to_string(),
        on_submit=S.save,
        width="100%",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.data_list.root(
                _item("settings.org_name", S.name),
                _item("settings.org_slug", rx.code(S.slug, variant="ghost")),
                _item("settings.org_timezone", S.timezone),
                _item("settings.org_locale", S.default_locale),
                _item("settings.org_members", S.members),
                _item("settings.org_created", when_date(S.created_at)),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            width="100%",
        ),
        rx.cond(AppState.show_users,
                _link_card("users", "nav.users", "settings.users_card", "/settings/users",
                           "settings-users-link")),
        rx.cond(AppState.show_users,  # the same roles see channels (channels.view)
                _link_card("radio-tower", "nav.channels", "settings.channels_card",
                           "/settings/channels", "settings-channels-link")),
        rx.cond(AppState.role == "admin",  # api_keys.manage and webhooks.manage
                _link_card("webhook", "nav.api", "settings.api_card", "/settings/api",
                           "settings-api-link")),
        _link_card("user-round-cog", "nav.profile", "settings.profile_card", "/profile",
                   "settings-profile-link"),
        rx.cond(S.can_edit, _form()),
        width="100%",
        spacing="3",
    )


def settings_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("settings.title"), t("settings.subtitle")),
            page_frame(OrgSettingsState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/settings",
    )
