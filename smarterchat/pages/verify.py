"""/verify: the sign-up's confirmation link; signs the new admin in."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.common import error_callout
from smarterchat.components.i18n import t
from smarterchat.state.accounts import VerifyState


def verify_page() -> rx.Component:
    return auth_layout(
        auth_card(
            rx.heading(rx.cond(VerifyState.error != "", t("verify.failed_title"),
                               t("verify.title")), size="6"),
            rx.cond(VerifyState.error != "",
                    rx.vstack(
                        error_callout(VerifyState.error, data_testid="verify-error"),
                        rx.link(t("verify.signup_again"), href="/signup", size="2"),
                        width="100%",
                    ),
                    rx.hstack(rx.spinner(size="2"), rx.text(t("verify.working"), size="2"),
                              align="center")),
        ),
    )
