"""/settings/channels/<id>: one channel's settings, webhook, embed code and templates."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import error_callout, field, notice_callout, page_frame
from smarterchat.components.i18n import channel_label, t
from smarterchat.components.shell import app_shell
from smarterchat.pages.channels import active_badge, agent_select, kind_badge_icon
from smarterchat.state.channel_detail import TEMPLATE_COLORS, ChannelDetailState, TemplateItem

S = ChannelDetailState


def _section(icon: str, title, *children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=18, color=rx.color("accent", 10)),
                      rx.heading(title, size="4"), align="center", spacing="2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        **props,
    )


def copy_field(label_text, value, test_id: str, copy_label=None) -> rx.Component:
    """A value to paste elsewhere: shown whole (wrapping on phones) with a copy button."""
    return rx.vstack(
        rx.text(label_text, size="2", weight="medium"),
        rx.flex(
            rx.code(value, variant="ghost", size="2", data_testid=test_id,
                    style={"overflow_wrap": "anywhere", "white_space": "pre-wrap", "flex": "1",
                           "min_width": "0", "max_height": "180px", "overflow_y": "auto"}),
            rx.button(rx.icon("copy", size=14), copy_label if copy_label is not None
                      else t("common.copy"),
                      on_click=[rx.set_clipboard(value), rx.toast.success(t("common.copied"))],
                      variant="soft", size="2", type="button", flex_shrink="0",
                      data_testid=f"{test_id}-copy"),
            spacing="3",
            align="start",
            width="100%",
            padding="10px",
            border_radius="var(--radius-3)",
            background=rx.color("gray", 2),
            border=f"1px solid {rx.color('gray', 5)}",
        ),
        spacing="1",
        width="100%",
    )


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
    return _section("settings-2", t("channel.settings"), form)


def _read_only_settings() -> rx.Component:
    return _section(
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


def _webhook() -> rx.Component:
    return _section(
        "webhook", t("channel.webhook_title"),
        rx.text(t("channel.webhook_help", product=S.meta_product), size="2",
                color_scheme="gray"),
        copy_field(t("channel.webhook_url"), S.webhook_url, "webhook-url"),
        copy_field(t("channel.verify_token"), S.verify_token, "verify-token"),
        data_testid="webhook-section",
    )


def _test() -> rx.Component:
    result = rx.cond(
        S.test_result == "ok",
        rx.callout.root(rx.callout.icon(rx.icon("circle-check", size=16)),
                        rx.callout.text(t("channel.test_ok", detail=S.test_detail)),
                        color_scheme="grass", size="1", width="100%", role="status",
                        data_testid="test-result"),
        rx.cond(
            S.test_result == "failed",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-x", size=16)),
                rx.callout.text(t("channel.test_failed")),
                rx.cond(S.test_detail != "",
                        rx.code(S.test_detail, size="1", variant="ghost",
                                style={"overflow_wrap": "anywhere"})),
                color_scheme="red", size="1", width="100%", role="alert",
                data_testid="test-result"),
        ),
    )
    return _section(
        "plug-zap", t("channel.test_title"),
        rx.text(t("channel.test_help"), size="2", color_scheme="gray"),
        rx.flex(
            rx.button(rx.cond(S.test_busy, rx.spinner(size="2"), rx.icon("activity", size=16)),
                      rx.cond(S.test_busy, t("channel.testing"), t("channel.test_button")),
                      on_click=S.test_connection, disabled=S.test_busy, variant="soft",
                      data_testid="test-connection"),
            width="100%",
        ),
        result,
    )


def _template_row(item: TemplateItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(item.name, variant="ghost", style={"overflow_wrap": "anywhere"})),
        rx.table.cell(item.language),
        rx.table.cell(rx.badge(item.status, color_scheme=rx.match(
            item.status, *TEMPLATE_COLORS.items(), "gray"), variant="soft")),
        rx.table.cell(rx.text(item.category, size="1", color_scheme="gray")),
        data_testid="template-row",
    )


def _templates() -> rx.Component:
    table = rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(t("channel.template_name")),
                rx.table.column_header_cell(t("channel.template_language")),
                rx.table.column_header_cell(t("channel.template_status")),
                rx.table.column_header_cell(t("channel.template_category")),
            )),
            rx.table.body(rx.foreach(S.templates, _template_row)),
            size="1",
            variant="surface",
            width="100%",
        ),
        width="100%",
        overflow_x="auto",
    )
    return _section(
        "file-text", t("channel.templates_title"),
        rx.text(t("channel.templates_help"), size="2", color_scheme="gray"),
        rx.flex(
            rx.button(rx.cond(S.sync_busy, rx.spinner(size="2"), rx.icon("refresh-cw", size=16)),
                      rx.cond(S.sync_busy, t("channel.templates_syncing"),
                              t("channel.templates_sync")),
                      on_click=S.sync_templates, disabled=S.sync_busy, variant="soft",
                      data_testid="sync-templates"),
            width="100%",
        ),
        error_callout(S.sync_error, data_testid="sync-error"),
        rx.cond(
            S.synced,
            rx.cond(S.templates.length() > 0,
                    rx.vstack(rx.text(t("channel.templates_synced", count=S.templates.length()),
                                      size="2", color_scheme="gray"),
                              table, spacing="2", width="100%"),
                    rx.text(t("channel.templates_empty"), size="2", color_scheme="gray")),
            rx.text(t("channel.templates_not_synced"), size="2", color_scheme="gray"),
        ),
        data_testid="templates-section",
    )


def _widget() -> rx.Component:
    return _section(
        "app-window", t("channel.widget_title"),
        rx.text(t("channel.widget_help"), size="2", color_scheme="gray"),
        copy_field(t("channel.widget_link"), S.widget_url, "widget-url"),
        rx.link(rx.button(rx.icon("external-link", size=16), t("channel.widget_open"),
                          variant="soft"),
                href=S.widget_url, is_external=True, data_testid="widget-open"),
        rx.divider(),
        rx.segmented_control.root(
            rx.segmented_control.item(t("channel.embed_iframe"), value="iframe",
                                      data_testid="embed-iframe"),
            rx.segmented_control.item(t("channel.embed_bubble"), value="bubble",
                                      data_testid="embed-bubble"),
            value=S.embed_mode,
            on_change=S.set_embed_mode,
            width="100%",
        ),
        rx.text(rx.cond(S.embed_mode == "iframe", t("channel.embed_iframe_help"),
                        t("channel.embed_bubble_help")), size="2", color_scheme="gray"),
        copy_field("HTML", rx.cond(S.embed_mode == "iframe", S.iframe_code, S.bubble_code),
                   "embed-code", t("channel.embed_copy")),
        data_testid="widget-section",
    )


def _content() -> rx.Component:
    meta_tools = rx.vstack(
        _webhook(),
        rx.cond(S.can_manage, _test()),
        rx.cond(S.can_manage & (S.kind == "whatsapp"), _templates()),
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
                rx.cond(S.kind == "webchat", _widget(), meta_tools),
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
