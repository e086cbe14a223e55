"""The board's toolbar: new lead, CSV export and import, duplicates, pipeline settings."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import field
from smarterchat.components.i18n import label, t
from smarterchat.state.crm_tools import CrmToolsState as T
from smarterchat.state.crm_tools import DuplicateItem
from smarterchat.state.session import AppState

REASONS = ["phone", "email", "external_id"]


def _input(key: str, label_key: str, value: rx.Var, **props) -> rx.Component:
    return field(t(label_key), rx.input(value=value, on_change=lambda v: T.set_form(key, v),
                                        width="100%", **props))


def _new_lead_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("crm.new_lead")),
            rx.vstack(
                _input("name", "crm.new_lead_name", T.name, data_testid="new-lead-name"),
                _input("phone", "crm.new_lead_phone", T.phone, inputmode="tel",
                       data_testid="new-lead-phone"),
                _input("email", "crm.new_lead_email", T.email, type="email"),
                _input("company", "crm.new_lead_company", T.company),
                _input("value", "crm.new_lead_value", T.value, inputmode="decimal",
                       placeholder="0,00"),
                rx.cond(T.channels.length() > 1, field(t("crm.new_lead_channel"), rx.select.root(
                    rx.select.trigger(width="100%"),
                    rx.select.content(rx.foreach(T.channels, lambda c: rx.select.item(
                        c.name, value=c.id))),
                    value=T.channel_id, on_change=lambda v: T.set_form("channel_id", v)))),
                rx.cond(T.tool_error != "", rx.text(T.tool_error, color_scheme="red", size="2",
                                                    role="alert")),
                rx.hstack(rx.button(t("common.cancel"), variant="soft", color_scheme="gray",
                                    on_click=T.close_new),
                          rx.button(t("crm.create"), on_click=T.create, loading=T.busy,
                                    data_testid="new-lead-create"),
                          justify="end", width="100%"),
                spacing="3",
            ),
            max_width="440px",
        ),
        open=T.new_open,
        on_open_change=lambda _o: T.close_new(),
    )


def _duplicate(item: DuplicateItem) -> rx.Component:
    return rx.hstack(
        rx.vstack(rx.text(item.kept_name, " + ", item.other_name, size="2", weight="medium"),
                  rx.text(label("crm.dup_reason", item.reason, REASONS), size="1",
                          color_scheme="gray"), spacing="0"),
        rx.spacer(),
        rx.button(t("crm.merge"), size="1", on_click=T.merge_pair(item.kept_id, item.other_id),
                  loading=T.busy),
        width="100%", align="center",
    )


def _duplicates_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("crm.duplicates")),
            rx.vstack(
                rx.cond(T.last_merge != "", rx.callout(
                    rx.hstack(rx.text(t("crm.merged_notice")),
                              rx.button(t("crm.undo_merge"), size="1", variant="soft",
                                        on_click=T.undo)), color_scheme="grass", width="100%")),
                rx.cond(T.duplicates.length() > 0,
                        rx.vstack(rx.foreach(T.duplicates, _duplicate), width="100%"),
                        rx.text(t("crm.no_duplicates"), size="2", color_scheme="gray")),
                rx.cond(T.tool_error != "", rx.text(T.tool_error, color_scheme="red", size="2")),
                rx.button(t("common.close"), variant="soft", color_scheme="gray",
                          on_click=T.close_duplicates, align_self="end"),
                spacing="3", width="100%",
            ),
            max_width="520px",
        ),
        open=T.dup_open,
        on_open_change=lambda _o: T.close_duplicates(),
    )


def toolbar() -> rx.Component:
    manager = AppState.role != "consultant"
    return rx.hstack(
        rx.button(rx.icon("plus", size=14), t("crm.new_lead"), size="2", on_click=T.open_new,
                  data_testid="crm-new-lead"),
        rx.menu.root(
            rx.menu.trigger(rx.button(rx.icon("download", size=14), t("crm.export"), size="2",
                                      variant="soft")),
            rx.menu.content(
                rx.menu.item(t("crm.export"), on_select=T.export(",")),
                rx.menu.item(t("crm.export_semicolon"), on_select=T.export(";")),
            ),
        ),
        rx.cond(manager, rx.button(rx.icon("users", size=14), t("crm.duplicates"), size="2",
                                   variant="soft", on_click=T.open_duplicates)),
        rx.cond(manager, rx.link(rx.button(rx.icon("upload", size=14), t("crm.import"),
                                           size="2", variant="soft"), href="/crm/import")),
        rx.cond(AppState.role == "admin",
                rx.link(rx.button(rx.icon("settings", size=14), t("crm.settings"), size="2",
                                  variant="soft"), href="/crm/settings")),
        _new_lead_dialog(),
        _duplicates_dialog(),
        spacing="2", wrap="wrap",
    )
