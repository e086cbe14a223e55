"""The lead section of the inbox's contact panel (stage, value, owner; or "create lead")."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.i18n import t
from smarterchat.state.crm_inbox import InboxLeadState as L


def lead_controls(conversation_id: rx.Var) -> rx.Component:
    """Loads itself for ``conversation_id`` (remounted when it changes)."""
    return rx.box(
        rx.cond(
            L.lead_id != "",
            rx.vstack(
                rx.text(t("crm.inbox_stage"), size="1", color_scheme="gray"),
                rx.select.root(rx.select.trigger(width="100%", data_testid="inbox-lead-stage"),
                               rx.select.content(rx.foreach(L.stages, lambda s: rx.select.item(
                                   s.name, value=s.id))),
                               value=L.stage_id, on_change=L.set_stage),
                rx.cond(L.lost_stages.contains(L.stage_id) | (L.lost_reason != ""),
                        rx.input(value=L.lost_reason, on_change=L.set_lost_reason,
                                 placeholder=t("crm.reason"), width="100%")),
                rx.text(t("crm.inbox_value"), size="1", color_scheme="gray"),
                rx.hstack(rx.input(value=L.value, on_change=L.set_value, placeholder="0,00",
                                   inputmode="decimal", width="100%",
                                   data_testid="inbox-lead-value"),
                          rx.button(t("crm.save"), size="1", variant="soft",
                                    on_click=L.save_value, loading=L.busy),
                          width="100%"),
                rx.text(t("crm.inbox_owner"), size="1", color_scheme="gray"),
                rx.select.root(rx.select.trigger(width="100%"),
                               rx.select.content(
                                   rx.select.item(t("crm.no_owner"), value="none"),
                                   rx.foreach(L.owners, lambda o: rx.select.item(
                                       o.name, value=o.id))),
                               value=rx.cond(L.owner_id != "", L.owner_id, "none"),
                               on_change=L.set_owner),
                rx.link(t("crm.open_lead"), href="/crm/lead/" + L.lead_id, size="1"),
                spacing="1", width="100%",
            ),
            rx.button(rx.icon("plus", size=14), t("crm.create_lead"), size="1", variant="soft",
                      on_click=L.create, loading=L.busy, data_testid="inbox-create-lead"),
        ),
        rx.cond(L.lead_error != "", rx.text(L.lead_error, size="1", color_scheme="red",
                                             role="alert")),
        key=conversation_id,
        on_mount=L.load(conversation_id),
        width="100%",
        margin_top="8px",
    )
