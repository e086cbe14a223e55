"""/settings/channels/<id>: one channel's settings, webhook, embed code and templates."""

from __future__ import annotations

import reflex as rx

from smarterchat.components import channel_meta
from smarterchat.components.channel_parts import section
from smarterchat.components.common import error_callout, field, notice_callout, page_frame
from smarterchat.components.i18n import channel_label, t
from smarterchat.components.shell import app_shell
from smarterchat.pages.channels import active_badge, agent_select, kind_badge_icon
from smarterchat.state.channel_detail import ChannelDetailState

S = ChannelDetailState


def _header() -> rx.Component:
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(t("channel.back"), size="2"),
                          align="center", spacing="1"),
                href="/settings/channels", data_testid="channel-back"),
        rx.flex(
            kind_badge_icon(S.kind, 24),
            rx.vstack(
                rx.heading(S.name, size="6", weight="bold", data_testid="page-title",
                           style={"overflow_wrap": "anywhere"}),
                rx.hstack(rx.text(channel_label(S.kind), size="2", color_scheme="gray"),
                          active_badge(S.active), spacing="2", align="center"),
                spacing="1",
                min_width="0",
            ),
            spacing="3",
            align="center",
        ),
        spacing="3",
        width="100%",
        margin_bottom="24px",
    )


def _status() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(t("channel.status_title"), weight="bold", size="3"),
                rx.text(rx.cond(S.active, t("channel.status_on_help"),
                                t("channel.status_off_help")), size="2", color_scheme="gray"),
                spacing="1",
                flex="1",
            ),
            rx.cond(S.active_busy, rx.spinner(size="2")),
            rx.switch(checked=S.active, on_change=S.set_active,
                      disabled=~S.can_manage | S.active_busy, size="3",
                      aria_label=t("channel.status_title"), data_testid="channel-active"),
            spacing="3",
            align="center",
            width="100%",
        ),
        width="100%",
    )


def _secret_field(label_key: str, hint, name: str, test_id: str) -> rx.Component:
    return field(
        t(label_key),
        rx.input(name=name, type="password", width="100%", size="3", auto_complete="off",
                 spellcheck=False, placeholder=t("channel.current_value", hint=rx.cond(
                     hint != "", hint, t("channel.not_set"))), data_testid=test_id),
    )


def _hint_row(label_key: str, hint, test_id: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(t(label_key)),
        rx.data_list.value(rx.code(rx.cond(hint != "", hint, t("channel.not_set")),
                                   variant="ghost", data_testid=test_id)),
    )


def _settings_form() -> rx.Component:
    meta = rx.vstack(
        rx.divider(),
        rx.text(t("channel.credentials"), weight="bold", size="3"),
        rx.data_list.root(
            rx.data_list.item(rx.data_list.label(t("channel.identifier")),
                              rx.data_list.value(rx.code(S.external_id, variant="ghost",
                                                         data_testid="channel-external-id"))),
            _hint_row("channels.access_token", S.token_hint, "token-hint"),
            _hint_row("channels.app_secret", S.secret_hint, "secret-hint"),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
        rx.cond(S.kind == "whatsapp",
                field(t("channels.waba_id"),
                      rx.input(name="business_account_id", default_value=S.business_account_id,
                               width="100%", size="3", input_mode="numeric",
                               data_testid="edit-waba"),
                      t("channels.waba_id_help"))),
        rx.text(t("channel.replace_help"), size="1", color_scheme="gray"),
        _secret_field("channel.new_access_token", S.token_hint, "access_token", "edit-token"),
        _secret_field("channel.new_app_secret", S.secret_hint, "app_secret", "edit-secret"),
        spacing="3",
        width="100%",
    )
    widget = rx.vstack(
        rx.divider(),
        rx.text(t("channel.look"), weight="bold", size="3"),
        field(t("channel.look_title"),
              rx.input(name="widget_title", default_value=S.widget_title, max_length=60,
                       placeholder=S.org_name, width="100%", size="3",
                       data_testid="edit-widget-title"),
              t("channel.look_title_help")),
        field(t("channel.look_greeting"),
              rx.text_area(name="widget_greeting", default_value=S.widget_greeting,
                           max_length=500, rows="3", width="100%",
                           placeholder=t("channel.look_greeting_placeholder"),
                           data_testid="edit-widget-greeting"),
              t("channel.look_greeting_help")),
        field(t("channel.embed_origins"),
              rx.text_area(name="widget_origins", default_value=S.widget_origins, rows="2",
                           width="100%", placeholder="https://www.sualoja.com.br",
                           data_testid="edit-widget-origins"),
              t("channel.embed_origins_help")),
        spacing="3",
        width="100%",
    )
    form = rx.form(
        rx.vstack(
            error_callout(S.save_error, data_testid="save-error"),
            field(t("channels.name"), rx.input(name="name", default_value=S.name, max_length=80,
                                               width="100%", size="3", data_testid="edit-name")),
            field(t("channels.agent"), agent_select(S.agent_choice, S.set_agent_choice, S.agents,
                                                    "edit-agent")),
            rx.cond(S.kind != "webchat", meta, widget),
            rx.flex(
                rx.button(rx.cond(S.save_busy, rx.spinner(size="2"), rx.icon("save", size=16)),
                          t("common.save"), type="submit", disabled=S.save_busy,
                          data_testid="save-channel"),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save,
        key=S.form_key.to_string(),
        width="100%",
    )
    return section("settings-2", t("channel.settings"), form)


def _read_only_settings() -> rx.Component:
    return section(
        "settings-2", t("channel.settings"),
        rx.data_list.root(
            rx.data_list.item(rx.data_list.label(t("channels.agent")),
                              rx.data_list.value(rx.cond(S.agent_name != "", S.agent_name,
                                                         t("channels.agent_none_short")))),
            rx.cond(S.kind != "webchat", rx.data_list.item(
                rx.data_list.label(t("channel.identifier")),
                rx.data_list.value(rx.code(S.external_id, variant="ghost")))),
            rx.cond(S.kind != "webchat",
                    _hint_row("channels.access_token", S.token_hint, "token-hint")),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
    )


def _content() -> rx.Component:
    meta_tools = rx.vstack(
        channel_meta.webhook(),
        rx.cond(S.can_manage, channel_meta.test()),
        rx.cond(S.can_manage & (S.kind == "whatsapp"), channel_meta.templates()),
        spacing="4",
        width="100%",
    )
    return rx.vstack(
        _header(),
        rx.cond(S.just_created, notice_callout(t("channel.created_next"),
                                               data_testid="channel-created")),
        notice_callout(S.notice, data_testid="channel-notice"),
        rx.cond(
            ~S.can_manage,
            rx.callout.root(rx.callout.icon(rx.icon("eye", size=16)),
                            rx.callout.text(t("channels.read_only")), color_scheme="blue",
                            size="1", width="100%", data_testid="channels-read-only"),
        ),
        rx.grid(
            rx.vstack(
                _status(),
                rx.cond(S.can_manage, _settings_form(), _read_only_settings()),
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                rx.cond(S.kind == "webchat", channel_meta.widget(), meta_tools),
                spacing="4",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        width="100%",
        spacing="3",
    )


def channel_detail_page() -> rx.Component:
    return app_shell(
        rx.box(page_frame(ChannelDetailState, _content()), width="100%"),
        active="/settings/channels",
    )
