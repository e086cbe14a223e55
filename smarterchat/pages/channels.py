"""/settings/channels: the channels. Admins add them; managers read; consultants are refused."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    channel_icon,
    dialog_buttons,
    empty_state,
    error_callout,
    field,
    page_frame,
    page_header,
    when_datetime,
)
from smarterchat.components.i18n import channel_label, t
from smarterchat.components.shell import app_shell
from smarterchat.state.channels import NO_AGENT, ChannelRow, ChannelsState, FailedEvent

S = ChannelsState
KIND_COLORS = {"whatsapp": "grass", "instagram": "pink", "webchat": "blue"}


def active_badge(active) -> rx.Component:
    return rx.badge(rx.cond(active, t("common.active"), t("common.inactive")),
                    color_scheme=rx.cond(active, "grass", "gray"), variant="soft",
                    data_testid="channel-status")


def kind_badge_icon(kind, size: int = 20) -> rx.Component:
    return rx.box(
        channel_icon(kind, size),
        background=rx.match(kind, ("whatsapp", rx.color("grass", 3)),
                            ("instagram", rx.color("pink", 3)), rx.color("blue", 3)),
        border_radius="var(--radius-3)",
        padding="10px",
        line_height="0",
        flex_shrink="0",
    )


def _row(c: ChannelRow) -> rx.Component:
    return rx.link(
        rx.card(
            rx.flex(
                kind_badge_icon(c.kind),
                rx.vstack(
                    rx.text(c.name, weight="bold", size="3", data_testid="channel-name",
                            style={"overflow_wrap": "anywhere"}),
                    rx.hstack(
                        rx.text(channel_label(c.kind), size="2", color_scheme="gray"),
                        active_badge(c.active),
                        spacing="2",
                        align="center",
                        wrap="wrap",
                    ),
                    rx.hstack(
                        rx.icon("bot", size=14, color=rx.color("gray", 10)),
                        rx.text(rx.cond(c.agent_name != "", c.agent_name,
                                        t("channels.agent_none_short")),
                                size="2", color_scheme="gray", data_testid="channel-agent"),
                        spacing="1",
                        align="center",
                    ),
                    spacing="1",
                    flex="1",
                    min_width="0",
                ),
                rx.icon("chevron-right", size=18, color=rx.color("gray", 9)),
                spacing="3",
                align="center",
                width="100%",
            ),
            width="100%",
            opacity=rx.cond(c.active, "1", "0.75"),
            class_name="channel-card",
        ),
        href="/settings/channels/" + c.id,
        underline="none",
        color="inherit",
        width="100%",
        aria_label=t("channels.open", name=c.name),
        data_testid="channel-row",
    )


def _kind_choice() -> rx.Component:
    def option(kind: str) -> rx.Component:
        return rx.radio_cards.item(
            rx.vstack(
                channel_icon(kind, 20),
                rx.text(t(f"channel.{kind}"), size="2", weight="medium"),
                align="center",
                spacing="1",
            ),
            value=kind,
            data_testid=f"kind-{kind}",
        )

    return rx.vstack(
        rx.radio_cards.root(
            option("whatsapp"), option("instagram"), option("webchat"),
            value=S.create_kind,
            on_value_change=S.set_create_kind,
            columns="3",
            size="1",
            gap="2",
            width="100%",
        ),
        rx.text(rx.match(S.create_kind,
                         ("whatsapp", t("channels.kind_whatsapp_help")),
                         ("instagram", t("channels.kind_instagram_help")),
                         t("channels.kind_webchat_help")),
                size="1", color_scheme="gray"),
        spacing="2",
        width="100%",
    )


def _text_input(name: str, test_id: str, **props) -> rx.Component:
    return rx.input(name=name, width="100%", size="3", data_testid=test_id, **props)


def _secret_input(name: str, test_id: str) -> rx.Component:
    return rx.input(name=name, type="password", width="100%", size="3", auto_complete="off",
                    spellcheck=False, data_testid=test_id)


def agent_select(value, on_change, agents, test_id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", data_testid=test_id),
        rx.select.content(
            rx.select.item(t("channels.no_agent"), value=NO_AGENT),
            rx.foreach(agents, lambda a: rx.select.item(a.name, value=a.id)),
        ),
        value=value,
        on_change=on_change,
        size="3",
    )


def _meta_fields() -> rx.Component:
    id_field = rx.match(
        S.create_kind,
        ("whatsapp", field(t("channels.phone_number_id"),
                           _text_input("external_id", "create-external-id", input_mode="numeric"),
                           t("channels.phone_number_id_help"))),
        field(t("channels.instagram_id"),
              _text_input("external_id", "create-external-id", input_mode="numeric"),
              t("channels.instagram_id_help")),
    )
    return rx.vstack(
        id_field,
        rx.cond(S.create_kind == "whatsapp",
                field(t("channels.waba_id"),
                      _text_input("business_account_id", "create-waba", input_mode="numeric"),
                      t("channels.waba_id_help"))),
        field(t("channels.access_token"), _secret_input("access_token", "create-token")),
        field(t("channels.app_secret"), _secret_input("app_secret", "create-secret"),
              t("channels.secrets_help")),
        spacing="3",
        width="100%",
    )


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("channels.add_title")),
            rx.form(
                rx.vstack(
                    error_callout(S.create_error, data_testid="create-error"),
                    field(t("channels.kind"), _kind_choice()),
                    field(t("channels.name"), _text_input("name", "create-name", max_length=80),
                          t("channels.name_help")),
                    rx.cond(S.create_kind != "webchat", _meta_fields()),
                    field(t("channels.agent"),
                          agent_select(S.create_agent, S.set_create_agent, S.agents,
                                       "create-agent")),
                    dialog_buttons(t("channels.add_submit"), S.create_busy,
                                      data_testid="create-submit"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=S.create,
                width="100%",
            ),
            max_width="520px",
        ),
        open=S.create_open,
        on_open_change=S.set_create_open,
    )


def _failed(e: FailedEvent) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(rx.cond(e.channel_name != "", e.channel_name, t("channels.unknown_channel")),
                    weight="medium", size="2"),
            rx.text(when_datetime(e.received_at), size="1", color_scheme="gray"),
            rx.badge(t("channels.failed_attempts", count=e.attempts), color_scheme="gray",
                     variant="outline", size="1"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.code(rx.cond(e.error != "", e.error, t("channels.no_error_text")), color_scheme="red",
                variant="soft", size="1",
                style={"white_space": "pre-wrap", "overflow_wrap": "anywhere", "display": "block",
                       "padding": "8px", "margin_top": "6px", "max_height": "160px",
                       "overflow_y": "auto"}),
        padding_y="10px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        data_testid="failed-event",
    )


def _failed_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("triangle-alert", size=18, color=rx.color("amber", 10)),
                rx.heading(t("channels.failed_title"), size="4"),
                rx.cond(S.failed_events.length() > 0,
                        rx.badge(S.failed_events.length(), color_scheme="red")),
                align="center",
                spacing="2",
            ),
            rx.text(t("channels.failed_help"), size="2", color_scheme="gray"),
            rx.cond(
                S.failed_events.length() > 0,
                rx.vstack(rx.foreach(S.failed_events, _failed), spacing="0", width="100%"),
                rx.hstack(rx.icon("circle-check", size=16, color=rx.color("grass", 10)),
                          rx.text(t("channels.failed_none"), size="2"),
                          align="center", spacing="2", data_testid="failed-none"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="failed-events",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(
            ~S.can_manage,
            rx.callout.root(rx.callout.icon(rx.icon("eye", size=16)),
                            rx.callout.text(t("channels.read_only")), color_scheme="blue",
                            size="1", width="100%", data_testid="channels-read-only"),
        ),
        rx.cond(
            S.channels.length() > 0,
            rx.grid(rx.foreach(S.channels, _row), columns=rx.breakpoints(initial="1", md="2"),
                    spacing="3", width="100%"),
            empty_state("radio-tower", t("channels.empty_title"), t("channels.empty_body"),
                        rx.cond(S.can_manage,
                                rx.button(rx.icon("plus", size=16), t("channels.add"),
                                          on_click=S.open_create))),
        ),
        rx.cond(S.can_manage, rx.box(_failed_section(), width="100%", padding_top="16px")),
        _create_dialog(),
        width="100%",
        spacing="3",
    )


def channels_page() -> rx.Component:
    add = rx.cond(
        S.can_manage & ~S.forbidden,
        rx.button(rx.icon("plus", size=16), t("channels.add"), on_click=S.open_create,
                  data_testid="add-channel"),
    )
    return app_shell(
        rx.vstack(
            page_header(t("channels.title"), t("channels.subtitle"), add),
            page_frame(ChannelsState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/settings/channels",
    )
