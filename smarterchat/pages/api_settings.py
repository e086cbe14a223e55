"""/settings/api: API keys and outgoing webhooks, with each endpoint's delivery log."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    empty_state,
    error_callout,
    notice_callout,
    page_frame,
    page_header,
    submit_button,
    when_short,
)
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.api_settings import (
    EVENTS,
    SCOPES,
    ApiSettingsState,
    DeliveryRow,
    EndpointRow,
    KeyRow,
)

S = ApiSettingsState
_STATUS_COLORS = {"active": "grass", "revoked": "gray", "expired": "amber"}
_STATE_COLORS = {"succeeded": "grass", "pending": "amber", "failed": "red"}
_WRAP = {"overflow_wrap": "anywhere"}


def _secret_notice(secret: rx.Var, key: str, test_id: str) -> rx.Component:
    return rx.cond(
        secret != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round", size=16)),
            rx.vstack(
                rx.callout.text(t(key)),
                rx.code(secret, style=_WRAP, data_testid=test_id),
                rx.button(t("common.close"), size="1", variant="soft", on_click=S.forget_secret),
                spacing="2", width="100%",
            ),
            color_scheme="amber", width="100%",
        ),
    )


def _choices(options: tuple[str, ...], chosen: rx.Var, on_toggle, label_prefix: str,
             test_id: str) -> rx.Component:
    return rx.flex(
        *[rx.checkbox(t(f"{label_prefix}{option}") if label_prefix else option,
                      checked=chosen.contains(option), on_change=lambda _v, o=option: on_toggle(o),
                      data_testid=f"{test_id}-{option}") for option in options],
        gap="3", wrap="wrap",
    )


def _key_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(name="name", placeholder=t("api_keys.name_placeholder"), required=True,
                     max_length=80, flex="2", min_width="180px", data_testid="key-name"),
            rx.input(name="days", placeholder=t("api_keys.expires"), inputmode="numeric",
                     flex="1", min_width="180px", data_testid="key-days"),
            gap="2", wrap="wrap", width="100%",
        ),
        rx.flex(
            _choices(SCOPES, S.key_scopes, S.toggle_scope, "api_keys.scope.", "key-scope"),
            rx.spacer(),
            submit_button(t("api_keys.create"), S.key_busy, data_testid="key-create"),
            gap="3", wrap="wrap", align="center", width="100%", padding_top="8px",
        ),
        on_submit=S.create_key, reset_on_submit=True, width="100%",
    )


def _key(key: KeyRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(key.name, weight="medium", size="2", style=_WRAP),
            rx.code(key.prefix + "…", size="1", variant="ghost"),
            rx.hstack(
                rx.foreach(key.scopes, lambda s: rx.badge(s, variant="soft")),
                rx.badge(rx.match(key.status, ("revoked", t("api_keys.revoked")),
                                  ("expired", t("api_keys.expired")), t("api_keys.active")),
                         color_scheme=rx.match(key.status, *_STATUS_COLORS.items(), "gray")),
                spacing="1", wrap="wrap",
            ),
            rx.text(t("api_keys.last_used"), ": ",
                    rx.cond(key.last_used_at != "", when_short(key.last_used_at),
                            t("api_keys.never_used")), size="1", color_scheme="gray"),
            spacing="1", flex="1", min_width="0",
        ),
        rx.cond(key.status == "active",
                rx.button(t("api_keys.revoke"), size="1", color_scheme="red", variant="soft",
                          on_click=S.revoke_key(key.id), data_testid="key-revoke")),
        gap="3", align="start", width="100%", padding_y="8px",
        border_bottom=f"1px solid {rx.color('gray', 4)}", data_testid="key-row",
    )


def _keys_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("api_keys.title"), size="4"),
            rx.text(t("api_keys.subtitle"), size="2", color_scheme="gray"),
            error_callout(S.key_error, data_testid="key-error"),
            _secret_notice(S.new_secret, "api_keys.created", "key-secret"),
            _key_form(),
            rx.cond(S.keys.length() > 0, rx.vstack(rx.foreach(S.keys, _key), spacing="0",
                                                   width="100%"),
                    empty_state("key-round", t("api_keys.title"), t("api_keys.empty"))),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _delivery(d: DeliveryRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.badge(rx.match(d.state, ("succeeded", t("webhooks.state.succeeded")),
                                  ("failed", t("webhooks.state.failed")),
                                  t("webhooks.state.pending")),
                         color_scheme=rx.match(d.state, *_STATE_COLORS.items(), "gray")),
                rx.code(d.event, size="1", variant="ghost"),
                rx.text(d.status_code, " ", d.latency, size="1", color_scheme="gray"),
                spacing="2", wrap="wrap", align="center",
            ),
            rx.text(when_short(d.created_at), " · ", t("webhooks.attempts"), ": ", d.attempts,
                    size="1", color_scheme="gray"),
            rx.cond(d.response != "", rx.code(d.response, size="1", variant="soft",
                                             style={**_WRAP, "max_height": "4.5em",
                                                    "overflow": "hidden"})),
            spacing="1", flex="1", min_width="0",
        ),
        rx.button(t("webhooks.redeliver"), size="1", variant="soft",
                  on_click=S.redeliver(d.id), data_testid="delivery-redeliver"),
        gap="2", align="start", width="100%", padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 3)}", data_testid="delivery-row",
    )


def _endpoint(e: EndpointRow) -> rx.Component:
    return rx.vstack(
        rx.text(e.url, weight="medium", size="2", style=_WRAP, data_testid="endpoint-url"),
        rx.hstack(rx.foreach(e.events, lambda ev: rx.badge(ev, variant="soft", size="1")),
                  spacing="1", wrap="wrap"),
        rx.cond(~e.is_active,
                rx.callout.root(
                    rx.callout.icon(rx.icon("circle-pause", size=16)),
                    rx.callout.text(rx.match(e.disabled_reason,
                                             ("gone", t("webhooks.disabled.gone")),
                                             ("failing", t("webhooks.disabled.failing")),
                                             t("webhooks.disabled.by_admin"))),
                    color_scheme="red", size="1", width="100%", data_testid="endpoint-disabled")),
        rx.flex(
            rx.button(t("webhooks.log"), size="1", variant="soft",
                      on_click=S.open_log(e.id), data_testid="endpoint-log"),
            rx.button(t("webhooks.test"), size="1", variant="soft", disabled=~e.is_active,
                      on_click=S.send_test(e.id), data_testid="endpoint-test"),
            rx.cond(e.is_active,
                    rx.button(t("webhooks.disable"), size="1", variant="soft", color_scheme="gray",
                              on_click=S.set_endpoint_active(e.id, False)),
                    rx.button(t("webhooks.enable"), size="1", variant="soft", color_scheme="grass",
                              on_click=S.set_endpoint_active(e.id, True),
                              data_testid="endpoint-enable")),
            gap="2", wrap="wrap",
        ),
        rx.cond(S.log_endpoint_id == e.id,
                rx.cond(S.deliveries.length() > 0,
                        rx.vstack(rx.foreach(S.deliveries, _delivery), spacing="0", width="100%"),
                        rx.text(t("webhooks.log_empty"), size="2", color_scheme="gray"))),
        spacing="2", width="100%", padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}", data_testid="endpoint-row",
    )


def _webhooks_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("webhooks.title"), size="4"),
            rx.text(t("webhooks.subtitle"), size="2", color_scheme="gray"),
            error_callout(S.hook_error, data_testid="hook-error"),
            _secret_notice(S.new_hook_secret, "webhooks.created", "hook-secret"),
            rx.form(
                rx.input(name="url", placeholder=t("webhooks.url"), type="url", required=True,
                         max_length=500, width="100%", data_testid="hook-url"),
                rx.text(t("webhooks.events"), size="2", weight="medium", padding_top="8px"),
                _choices(EVENTS, S.hook_events, S.toggle_event, "", "hook-event"),
                rx.flex(submit_button(t("webhooks.add"), S.hook_busy, data_testid="hook-create"),
                        justify="end", width="100%", padding_top="8px"),
                on_submit=S.create_endpoint, reset_on_submit=True, width="100%",
            ),
            rx.cond(S.endpoints.length() > 0,
                    rx.vstack(rx.foreach(S.endpoints, _endpoint), spacing="0", width="100%"),
                    empty_state("webhook", t("webhooks.title"), t("webhooks.empty"))),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def api_settings_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("nav.api"), t("settings.api_card")),
            page_frame(S, rx.vstack(notice_callout(S.notice, data_testid="api-notice"),
                                    _keys_card(), _webhooks_card(), spacing="4", width="100%")),
            width="100%", spacing="0",
        ),
        active="/settings",
    )
