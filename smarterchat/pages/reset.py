"""/reset: the password reset link; a new password ends every session."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.common import error_callout, field, notice_callout, submit_button
from smarterchat.components.i18n import t
from smarterchat.state.accounts import ResetState


def reset_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            error_callout(ResetState.error, data_testid="reset-error"),
            field(t("reset.password"), rx.input(
                width="100%", name="password", type="password", size="3",
                auto_complete="new-password", auto_focus=True, data_testid="reset-password"),
                t("signup.password_help")),
            field(t("reset.confirm"), rx.input(
                width="100%", name="confirm", type="password", size="3",
                auto_complete="new-password", data_testid="reset-confirm")),
            submit_button(t("reset.submit"), ResetState.busy, size="3", width="100%",
                          data_testid="reset-submit"),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetState.save,
        width="100%",
    )
    return auth_layout(
        auth_card(
            rx.heading(t("reset.title"), size="6"),
            rx.cond(ResetState.done,
                    rx.vstack(notice_callout(ResetState.notice, data_testid="reset-done"),
                              rx.link(t("forgot.back"), href="/login", size="2"), width="100%"),
                    form),
        ),
    )
