"""/forgot: ask for a password reset link (the answer never says whether the address exists)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.common import error_callout, field, notice_callout, submit_button
from smarterchat.components.i18n import t
from smarterchat.state.accounts import ForgotState


def forgot_page() -> rx.Component:
    return auth_layout(
        auth_card(
            rx.form(
                rx.vstack(
                    rx.vstack(
                        rx.heading(t("forgot.title"), size="6"),
                        rx.text(t("forgot.subtitle"), color_scheme="gray", size="2"),
                        spacing="1",
                    ),
                    notice_callout(ForgotState.notice, data_testid="forgot-notice"),
                    error_callout(ForgotState.error, data_testid="forgot-error"),
                    field(t("login.email"), rx.input(
                        width="100%", name="email", type="email", size="3",
                        auto_complete="username", default_value=ForgotState.email,
                        auto_focus=True, data_testid="forgot-email")),
                    submit_button(t("forgot.submit"), ForgotState.busy, size="3", width="100%",
                                  data_testid="forgot-submit"),
                    rx.link(t("forgot.back"), href="/login", size="2"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=ForgotState.send,
                width="100%",
            ),
        ),
    )
