"""/invite: an invitation's link; an existing account accepts after signing in, a new
address creates its account here."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.auth import auth_card, auth_layout
from smarterchat.components.common import error_callout, field, submit_button
from smarterchat.components.i18n import t
from smarterchat.state.accounts import InviteState as S


def _new_account() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(t("invite.create_account"), size="2", color_scheme="gray"),
            field(t("signup.name"), rx.input(width="100%", name="name", size="3",
                                             default_value=S.name, auto_complete="name",
                                             data_testid="invite-name")),
            field(t("signup.password"), rx.input(
                width="100%", name="password", type="password", size="3",
                auto_complete="new-password", data_testid="invite-password"),
                t("signup.password_help")),
            submit_button(t("invite.accept"), S.busy, size="3", width="100%",
                          data_testid="invite-submit"),
            spacing="4",
            width="100%",
        ),
        on_submit=S.create_account,
        width="100%",
    )


def _existing_account() -> rx.Component:
    return rx.vstack(
        rx.text(t("invite.sign_in_first"), size="2", color_scheme="gray"),
        rx.cond(
            S.signed_in,
            rx.button(t("invite.accept"), on_click=S.accept, loading=S.busy, size="3",
                      width="100%", data_testid="invite-accept"),
            rx.link(rx.button(t("invite.sign_in"), size="3", width="100%"),
                    href=S.sign_in_href, width="100%", data_testid="invite-sign-in"),
        ),
        spacing="4",
        width="100%",
    )


def invite_page() -> rx.Component:
    return auth_layout(
        auth_card(
            rx.heading(rx.cond(S.valid, t("invite.title", organization=S.organization),
                               t("verify.failed_title")), size="6"),
            error_callout(S.error, data_testid="invite-error"),
            rx.cond(
                S.valid,
                rx.vstack(
                    rx.text(t("invite.body", inviter=S.inviter, email=S.email,
                              organization=S.organization), size="2"),
                    rx.cond(S.has_account, _existing_account(), _new_account()),
                    spacing="4",
                    width="100%",
                ),
            ),
        ),
    )
