"""The channel page's sections that talk to Meta or the visitor: the webhook to configure,
the connection test, WhatsApp's templates and the web chat's embed code."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.channel_parts import copy_field, section
from smarterchat.components.common import error_callout
from smarterchat.components.i18n import t
from smarterchat.state.channel_detail import TEMPLATE_COLORS, ChannelDetailState, TemplateItem

S = ChannelDetailState


def webhook() -> rx.Component:
    return section(
        "webhook", t("channel.webhook_title"),
        rx.text(t("channel.webhook_help", product=S.meta_product), size="2",
                color_scheme="gray"),
        copy_field(t("channel.webhook_url"), S.webhook_url, "webhook-url"),
        copy_field(t("channel.verify_token"), S.verify_token, "verify-token"),
        data_testid="webhook-section",
    )


def test() -> rx.Component:
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
    return section(
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


def templates() -> rx.Component:
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
    return section(
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


def widget() -> rx.Component:
    return section(
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
