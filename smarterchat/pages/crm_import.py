"""/crm/import: import leads from a CSV (managers and admins)."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services.crm.csv_import import TARGETS
from smarterchat.components.common import (
    error_callout,
    field,
    notice_callout,
    page_frame,
    page_header,
)
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.crm_import import CrmImportState as S
from smarterchat.state.crm_import import MapItem

UPLOAD_ID = "crm-import"


def _map(item: MapItem) -> rx.Component:
    return rx.hstack(
        rx.text(item.header, size="2", weight="medium", min_width="140px"),
        rx.select.root(rx.select.trigger(),
                       rx.select.content(*[rx.select.item(t(f"crm.target.{x}"), value=x)
                                           for x in TARGETS]),
                       value=item.target, on_change=lambda v: S.set_target(item.header, v)),
        spacing="3", align="center", wrap="wrap",
    )


def _content() -> rx.Component:
    return rx.vstack(
        notice_callout(S.result),
        rx.cond(S.channels.length() > 1, field(t("crm.new_lead_channel"), rx.select.root(
            rx.select.trigger(),
            rx.select.content(rx.foreach(S.channels, lambda c: rx.select.item(c.name,
                                                                               value=c.id))),
            value=S.channel_id, on_change=S.set_channel))),
        rx.upload.root(
            rx.vstack(rx.icon("upload", size=24, color=rx.color("accent", 10)),
                      rx.text(rx.cond(S.file_name != "", S.file_name, t("crm.import_drop")),
                              size="2", weight="medium"),
                      rx.text(t("crm.import_help"), size="1", color_scheme="gray"),
                      align="center", padding="20px", width="100%", cursor="pointer",
                      border=f"1px dashed {rx.color('accent', 8)}",
                      border_radius="var(--radius-3)"),
            id=UPLOAD_ID, accept={"text/csv": [".csv"]}, max_files=1, width="100%",
            on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        ),
        rx.cond(S.mapping.length() > 0, rx.card(rx.vstack(
            rx.heading(t("crm.import_mapping"), size="3"),
            rx.foreach(S.mapping, _map),
            rx.text(t("crm.import_summary", rows=S.rows, duplicates=S.duplicates), size="2"),
            rx.cond(S.problems.length() > 0, rx.callout(
                rx.vstack(rx.foreach(S.problems, lambda p: rx.text(p, size="2")), spacing="1"),
                color_scheme="red", width="100%", data_testid="crm-import-problems")),
            field(t("crm.import_duplicates"), rx.radio_group.root(
                rx.radio_group.item(t("crm.import_skip"), value="skip"),
                rx.radio_group.item(t("crm.import_update"), value="update"),
                value=S.policy, on_change=S.set_policy)),
            rx.button(t("crm.import_run"), on_click=S.run, loading=S.busy,
                      disabled=(S.problems.length() > 0) | (S.policy == ""), align_self="end"),
            spacing="3", width="100%"), width="100%")),
        error_callout(S.error),
        spacing="3", width="100%",
    )


def crm_import_page() -> rx.Component:
    return app_shell(rx.vstack(page_header(t("crm.import"), t("crm.import_subtitle")),
                               page_frame(S, _content()), width="100%", spacing="0"),
                     active="/crm")
