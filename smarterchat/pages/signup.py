"""/signup: a new organisation and its first admin."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.common import error_callout, field, submit_button
from smarterchat.components.i18n import t
from smarterchat.state.signup import SignupState


def _check_inbox() -> rx.Component:
    return rx.vstack(
        rx.icon("mail-check", size=32, color=rx.color("accent", 10)),
        rx.heading(t("signup.check_inbox_title"), size="6"),
        rx.text(t("signup.check_inbox", email=SignupState.sent_to), size="2",
                data_testid="signup-sent"),
        rx.link(t("signup.sign_in"), href="/login", size="2"),
        spacing="3",
        width="100%",
    )


def signup_page() -> rx.Component:
    return auth_layout(
        auth_card(rx.cond(SignupState.sent_to != "", _check_inbox(), _form())),
    )


def _form() -> rx.Component:
    return rx.fragment(
            rx.form(
                rx.vstack(
                    rx.vstack(
                        rx.heading(t("signup.title"), size="6"),
                        rx.text(t("signup.subtitle"), color_scheme="gray", size="2"),
                        spacing="1",
                    ),
                    error_callout(SignupState.error, data_testid="signup-error"),
                    field(t("signup.organization_name"), rx.input(width="100%",
                        name="organization_name", size="3", auto_focus=True,
                        auto_complete="organization", data_testid="signup-org")),
                    field(t("signup.name"), rx.input(width="100%",
                        name="name", size="3", auto_complete="name", data_testid="signup-name")),
                    field(t("signup.email"), rx.input(width="100%",
                        name="email", type="email", size="3", auto_complete="email",
                        data_testid="signup-email")),
                    field(t("signup.password"), rx.input(width="100%",
                        name="password", type="password", size="3", auto_complete="new-password",
                        data_testid="signup-password"), t("signup.password_help")),
                    submit_button(t("signup.submit"), SignupState.busy, size="3", width="100%",
                                  data_testid="signup-submit"),
                    rx.hstack(
                        rx.text(t("signup.have_account"), size="2", color_scheme="gray"),
                        rx.link(t("signup.sign_in"), href="/login", size="2", weight="medium"),
                        spacing="1",
                        justify="center",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                ),
                on_submit=SignupState.signup,
                width="100%",
            ),
    )
