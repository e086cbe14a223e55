"""/login: e-mail and password, then the 6-digit code on a 2FA account."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.common import error_callout, field, notice_callout, submit_button
from smarterchat.components.i18n import t
from smarterchat.state.login import LoginState


def _password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.vstack(
                rx.heading(t("login.title"), size="6"),
                rx.text(t("login.subtitle"), color_scheme="gray", size="2"),
                spacing="1",
            ),
            notice_callout(LoginState.notice),
            error_callout(LoginState.error, data_testid="login-error"),
            field(t("login.email"), rx.input(width="100%",
                name="email", type="email", auto_complete="username", size="3",
                placeholder="voce@empresa.com.br", auto_focus=True, data_testid="login-email",
            )),
            field(t("login.password"), rx.input(width="100%",
                name="password", type="password", auto_complete="current-password", size="3",
                data_testid="login-password",
            )),
            submit_button(t("login.submit"), LoginState.busy, size="3", width="100%",
                          data_testid="login-submit"),
            rx.link(t("forgot.link"), href="/forgot", size="2", data_testid="login-forgot"),
            rx.hstack(
                rx.text(t("login.no_account"), size="2", color_scheme="gray"),
                rx.link(t("login.create_account"), href="/signup", size="2", weight="medium"),
                spacing="1",
                justify="center",
                width="100%",
                wrap="wrap",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.login,
        width="100%",
    )


def _code_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.icon("shield-check", size=22, color=rx.color("accent", 10)),
                rx.heading(t("login.code_title"), size="5"),
                align="center",
                spacing="2",
            ),
            rx.text(t("login.code_help"), color_scheme="gray", size="2"),
            error_callout(LoginState.error, data_testid="login-error"),
            field(t("login.code"), rx.input(width="100%",
                name="code", auto_complete="one-time-code", input_mode="text", size="3",
                placeholder="123456", max_length=24, auto_focus=True,
                letter_spacing="0.2em", data_testid="login-code",
            )),
            submit_button(t("login.code_submit"), LoginState.busy, size="3", width="100%",
                          data_testid="login-code-submit"),
            rx.button(t("login.use_other_account"), on_click=LoginState.restart,
                      variant="ghost", type="button", size="2", align_self="center"),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.verify_code,
        reset_on_submit=True,
        width="100%",
    )


def _demo_hint() -> rx.Component:
    return rx.cond(
        LoginState.show_demo,
        rx.callout.root(
            rx.callout.icon(rx.icon("flask-conical", size=16)),
            rx.callout.text(rx.text.strong(t("login.demo_title")), " · ", t("login.demo_hint")),
            color_scheme="gray",
            variant="surface",
            size="1",
            width="100%",
            data_testid="demo-hint",
        ),
    )


def login_page() -> rx.Component:
    return auth_layout(
        auth_card(rx.cond(LoginState.step == "code", _code_step(), _password_step())),
        _demo_hint(),
    )
