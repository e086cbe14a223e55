"""The contact panel's "personal data" section: export or erase (admins; the service checks)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import error_callout
from smarterchat.components.i18n import t
from smarterchat.state.contact_privacy import ContactPrivacyState as P


def _confirm(contact_id: rx.Var) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(rx.icon("trash-2", size=14), t("privacy.erase"), size="1",
                      variant="soft", color_scheme="red", data_testid="privacy-erase")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("privacy.erase_title")),
            rx.alert_dialog.description(t("privacy.erase_body"), size="2"),
            error_callout(P.privacy_error, data_testid="privacy-error"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("common.cancel"), variant="soft",
                                                 color_scheme="gray")),
                rx.button(t("privacy.erase_confirm"), color_scheme="red", loading=P.busy,
                          on_click=P.erase(contact_id), data_testid="privacy-erase-confirm"),
                gap="3", justify="end", margin_top="16px", wrap="wrap",
            ),
            max_width="440px",
        ),
        open=P.confirm_open,
        on_open_change=P.set_confirm_open,
    )


def privacy_section(contact_id: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.divider(),
        rx.text(t("privacy.title"), size="1", weight="bold", color_scheme="gray",
                text_transform="uppercase", letter_spacing="0.04em"),
        rx.text(t("privacy.export_help"), size="1", color_scheme="gray"),
        rx.flex(
            rx.button(rx.icon("download", size=14), t("privacy.export"), size="1",
                      variant="soft", loading=P.busy, on_click=P.export(contact_id),
                      data_testid="privacy-export"),
            _confirm(contact_id),
            gap="2", wrap="wrap",
        ),
        rx.cond(~P.confirm_open, error_callout(P.privacy_error)),
        spacing="2", width="100%", data_testid="privacy-section",
    )
