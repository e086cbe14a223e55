"""The contact beside the thread: who it is, the lead, earlier conversations."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import STATUS_COLORS, TEMPERATURE_COLORS, color_of, when_date
from smarterchat.components.contact_privacy import privacy_section
from smarterchat.components.crm_inbox import lead_controls
from smarterchat.components.i18n import status_label, t, temperature_label
from smarterchat.state.inbox import InboxState as S
from smarterchat.state.inbox_items import EarlierItem


def _line(icon: str, value: rx.Var, test_id: str) -> rx.Component:
    return rx.cond(value != "", rx.hstack(
        rx.icon(icon, size=14, color=rx.color("gray", 10)),
        rx.text(value, size="2", style={"overflow_wrap": "anywhere"}, data_testid=test_id),
        align="center", spacing="2"))


def _earlier(e: EarlierItem) -> rx.Component:
    return rx.hstack(
        rx.badge(status_label(e.status), color_scheme=color_of(e.status, STATUS_COLORS),
                 size="1"),
        rx.text(when_date(e.at), size="1",
                color_scheme="gray"),
        rx.spacer(),
        rx.icon("chevron-right", size=14, color=rx.color("gray", 9)),
        align="center", spacing="2", width="100%", padding="6px 8px", cursor="pointer",
        border_radius="var(--radius-2)", _hover={"background": rx.color("gray", 3)},
        on_click=S.open_conversation(e.id), data_testid="earlier-conversation",
    )


def _section(key: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.text(t(key), size="1", weight="bold", color_scheme="gray", text_transform="uppercase",
                letter_spacing="0.04em"),
        *children,
        spacing="2", width="100%",
    )


def contact_panel() -> rx.Component:
    c = S.contact
    return rx.vstack(
        rx.hstack(
            rx.icon_button(rx.icon("arrow-left", size=18), variant="ghost", color_scheme="gray",
                           on_click=S.set_view("thread"), aria_label=t("common.back"),
                           display=rx.breakpoints(initial="flex", lg="none")),
            rx.text(t("inbox.contact_details"), weight="bold", size="2"),
            align="center", spacing="2",
        ),
        rx.vstack(
            rx.avatar(fallback=S.current.initial, size="5", radius="full", color_scheme="teal"),
            rx.text(rx.cond(c.name != "", c.name, S.current.contact), weight="bold", size="3",
                    text_align="center", data_testid="contact-name"),
            align="center", spacing="2", width="100%",
        ),
        _line("phone", c.phone, "contact-phone"),
        _line("mail", c.email, "contact-email"),
        rx.cond(S.current.labels.length() > 0, rx.flex(
            rx.foreach(S.current.labels, lambda label: rx.badge(label, color_scheme="teal",
                                                                variant="soft")),
            gap="1", wrap="wrap")),
        rx.divider(),
        _section(
            "inbox.lead",
            rx.cond(
                c.temperature != "",
                rx.vstack(
                    rx.hstack(
                        rx.badge(rx.icon("flame", size=12), temperature_label(c.temperature),
                                 color_scheme=color_of(c.temperature, TEMPERATURE_COLORS),
                                 data_testid="lead-temperature"),
                        spacing="2",
                    ),
                    rx.cond(c.reason != "", rx.text(c.reason, size="1", color_scheme="gray",
                                                    data_testid="lead-reason")),
                    spacing="1", width="100%",
                ),
                rx.text(t("inbox.no_lead"), size="1", color_scheme="gray"),
            ),
            lead_controls(S.selected_id),
        ),
        rx.divider(),
        _section(
            "inbox.earlier",
            rx.cond(c.earlier.length() > 0,
                    rx.vstack(rx.foreach(c.earlier, _earlier), spacing="1", width="100%"),
                    rx.text(t("inbox.no_earlier"), size="1", color_scheme="gray")),
        ),
        rx.cond(S.role == "admin", privacy_section(c.contact_id)),
        spacing="4",
        width="100%",
        padding="16px",
        data_testid="contact-panel",
    )
