"""/profile: name, language, password and two-step verification."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    error_callout,
    field,
    notice_callout,
    page_frame,
    page_header,
    submit_button,
)
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.i18n import LOCALE_NAMES
from smarterchat.state.profile import ProfileState

S = ProfileState


def _section(icon: str, title_key: str, *children: rx.Component, test_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=18, color=rx.color("accent", 10)),
                      rx.heading(t(title_key), size="4"), align="center", spacing="2"),
            *children,
            spacing="4",
            width="100%",
        ),
        size="2",
        width="100%",
        data_testid=test_id,
    )


def _details() -> rx.Component:
    return _section(
        "id-card", "profile.details",
        rx.form(
            rx.vstack(
                error_callout(S.details_error),
                notice_callout(S.details_notice, data_testid="details-notice"),
                field(t("profile.email"), rx.text(S.email, size="2", color_scheme="gray")),
                field(t("profile.name"), rx.input(width="100%", name="name", default_value=S.name, size="3",
                                                  auto_complete="name",
                                                  data_testid="profile-name")),
                field(t("profile.language"), rx.select.root(
                    rx.select.trigger(width="100%", data_testid="profile-language"),
                    rx.select.content(*[rx.select.item(label, value=code)
                                        for code, label in LOCALE_NAMES.items()]),
                    value=S.language,
                    on_change=S.set_language,
                    size="3",
                )),
                submit_button(t("common.save"), S.details_busy, data_testid="profile-save"),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=S.save_details,
            width="100%",
        ),
        test_id="profile-details",
    )


def _password() -> rx.Component:
    return _section(
        "key-round", "profile.password",
        rx.form(
            rx.vstack(
                error_callout(S.password_error, data_testid="password-error"),
                notice_callout(S.password_notice, data_testid="password-notice"),
                field(t("profile.current_password"),
                      rx.input(width="100%", name="current", type="password", size="3",
                               auto_complete="current-password")),
                field(t("profile.new_password"),
                      rx.input(width="100%", name="new", type="password", size="3", auto_complete="new-password"),
                      t("signup.password_help")),
                field(t("profile.confirm_password"),
                      rx.input(width="100%", name="confirm", type="password", size="3",
                               auto_complete="new-password")),
                submit_button(t("profile.change_password"), S.password_busy),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=S.change_password,
            key=S.password_form_key,
            width="100%",
        ),
        test_id="profile-password",
    )


def _code_input(test_id: str) -> rx.Component:
    return rx.input(width="100%", name="code", auto_complete="one-time-code", size="3", placeholder="123456",
                    max_length=24, letter_spacing="0.2em", data_testid=test_id)


def _recovery_codes() -> rx.Component:
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert", size=16)),
            rx.callout.text(rx.text.strong(t("twofa.codes_title")), rx.el.br(),
                            t("twofa.codes_warning")),
            color_scheme="amber",
            width="100%",
        ),
        rx.grid(
            rx.foreach(S.recovery_codes,
                       lambda c: rx.code(c, size="3", variant="soft", color_scheme="gray",
                                         class_name="recovery-code")),
            columns="2",
            spacing="2",
            width="100%",
            max_width="360px",
            data_testid="recovery-codes",
        ),
        rx.hstack(
            rx.button(rx.icon("copy", size=16), t("common.copy"), variant="soft",
                      on_click=rx.set_clipboard(S.recovery_codes.join("\n"))),
            rx.button(t("twofa.codes_done"), on_click=S.dismiss_codes, data_testid="codes-done"),
            spacing="2",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def _enrolment() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(t("twofa.scan"), size="2", weight="medium"),
            rx.box(
                rx.image(src=S.enroll_qr, alt=t("twofa.qr_alt"), width="200px", height="200px",
                         data_testid="twofa-qr"),
                background="white",
                padding="8px",
                border_radius="var(--radius-3)",
                border=f"1px solid {rx.color('gray', 5)}",
            ),
            rx.text(t("twofa.manual"), size="2", color_scheme="gray"),
            rx.code(S.secret_grouped, size="3", data_testid="twofa-secret",
                    style={"word_break": "break-all"}),
            rx.text(t("twofa.enter_code"), size="2", weight="medium", padding_top="8px"),
            error_callout(S.twofa_error, data_testid="twofa-error"),
            rx.box(_code_input("twofa-code"), width="100%", max_width="240px"),
            rx.hstack(
                submit_button(t("twofa.confirm"), S.twofa_busy, data_testid="twofa-confirm"),
                rx.button(t("twofa.cancel_setup"), variant="soft", color_scheme="gray",
                          type="button", on_click=S.cancel_enrollment),
                spacing="2",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.confirm_enrollment,
        width="100%",
    )


def _dialog(open_var, on_open_change, title_key: str, body_key: str, on_submit,
            submit_key: str, with_password: bool, test_id: str) -> rx.Component:
    fields = []
    if with_password:
        fields.append(field(t("login.password"),
                            rx.input(width="100%", name="password", type="password", size="3",
                                     auto_complete="current-password")))
    fields.append(field(t("twofa.code"), _code_input(f"{test_id}-code")))
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t(title_key)),
            rx.dialog.description(t(body_key), size="2", margin_bottom="12px"),
            rx.form(
                rx.vstack(
                    error_callout(S.dialog_error),
                    *fields,
                    rx.flex(
                        rx.dialog.close(rx.button(t("common.cancel"), variant="soft",
                                                  color_scheme="gray", type="button")),
                        submit_button(t(submit_key), S.twofa_busy,
                                      color_scheme="red" if with_password else None,
                                      data_testid=f"{test_id}-submit"),
                        gap="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=True,
                width="100%",
            ),
            max_width="440px",
        ),
        open=open_var,
        on_open_change=on_open_change,
    )


def _enabled() -> rx.Component:
    return rx.vstack(
        rx.text(t("twofa.codes_left", count=S.codes_left), size="2", color_scheme="gray"),
        rx.hstack(
            rx.button(rx.icon("refresh-cw", size=16), t("twofa.regenerate"), variant="soft",
                      on_click=S.set_regen_open(True), data_testid="twofa-regenerate"),
            rx.button(rx.icon("shield-off", size=16), t("twofa.disable"), variant="soft",
                      color_scheme="red", on_click=S.set_disable_open(True),
                      data_testid="twofa-disable"),
            spacing="2",
            wrap="wrap",
        ),
        _dialog(S.regen_open, S.set_regen_open, "twofa.regenerate_title", "twofa.regenerate_body",
                S.regenerate_codes, "twofa.regenerate_submit", False, "regen"),
        _dialog(S.disable_open, S.set_disable_open, "twofa.disable_title", "twofa.disable_body",
                S.disable_two_factor, "twofa.disable", True, "disable"),
        spacing="3",
        width="100%",
    )


def _two_factor() -> rx.Component:
    return _section(
        "shield-check", "twofa.title",
        rx.hstack(
            rx.badge(rx.cond(S.two_factor, t("twofa.status_on"), t("twofa.status_off")),
                     color_scheme=rx.cond(S.two_factor, "grass", "gray"), size="2",
                     data_testid="twofa-status"),
            spacing="2",
        ),
        rx.text(t("twofa.explain"), size="2", color_scheme="gray"),
        notice_callout(S.twofa_notice, data_testid="twofa-notice"),
        rx.cond(
            S.recovery_codes.length() > 0,
            _recovery_codes(),
            rx.cond(
                S.enrolling,
                _enrolment(),
                rx.cond(
                    S.two_factor,
                    _enabled(),
                    rx.vstack(
                        error_callout(S.twofa_error),
                        rx.button(
                            rx.cond(S.twofa_busy, rx.spinner(size="2"),
                                    rx.icon("smartphone", size=16)),
                            t("twofa.begin"), on_click=S.begin_enrollment, disabled=S.twofa_busy,
                            data_testid="twofa-begin",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
            ),
        ),
        test_id="profile-2fa",
    )


def _content() -> rx.Component:
    return rx.grid(
        rx.vstack(_details(), _password(), spacing="3", width="100%"),
        _two_factor(),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="3",
        width="100%",
        align="start",
    )


def profile_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("profile.title"), t("profile.subtitle")),
            page_frame(ProfileState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/profile",
    )
