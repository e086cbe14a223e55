"""/crm: the sales pipeline as a kanban board."""

from __future__ import annotations

import reflex as rx

from smarterchat.components import crm_board, crm_tools
from smarterchat.components.common import empty_state, page_frame, page_header
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.crm import CrmState


def _content() -> rx.Component:
    return rx.vstack(
        crm_board.filters(),
        rx.cond(
            (CrmState.total > 0) | (CrmState.search != "") | (CrmState.temperature != "")
            | (CrmState.owner != "") | CrmState.stale_only,
            crm_board.board(),
            empty_state("contact", t("crm.empty_title"), t("crm.empty_body")),
        ),
        crm_board.move_dialog(),
        width="100%",
        spacing="3",
    )


def crm_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("crm.title"), t("crm.subtitle"), crm_tools.toolbar()),
            page_frame(CrmState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/crm",
    )
