"""/admin/organizations: every organisation on the platform (super admins)."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    empty_state,
    error_callout,
    notice_callout,
    page_frame,
    page_header,
    when_date,
)
from smarterchat.components.i18n import t
from smarterchat.components.shell import app_shell
from smarterchat.state.organizations import OrganizationItem, OrganizationsState

S = OrganizationsState


def _row(o: OrganizationItem) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.text(o.name, weight="bold", size="3"),
                    rx.badge(rx.cond(o.active, t("common.active"), t("orgs.suspended")),
                             color_scheme=rx.cond(o.active, "grass", "red"),
                             data_testid="org-status"),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.code(o.slug, variant="ghost", size="1", color_scheme="gray"),
                rx.hstack(
                    rx.hstack(rx.icon("users", size=14), rx.text(o.members, size="2"),
                              rx.text(t("orgs.members"), size="2", color_scheme="gray"),
                              spacing="1", align="center"),
                    rx.hstack(rx.icon("messages-square", size=14),
                              rx.text(o.conversations, size="2"),
                              rx.text(t("orgs.conversations"), size="2", color_scheme="gray"),
                              spacing="1", align="center"),
                    rx.hstack(rx.icon("calendar", size=14),
                              rx.text(when_date(o.created_at), size="2", color_scheme="gray"),
                              spacing="1", align="center"),
                    spacing="4",
                    wrap="wrap",
                ),
                spacing="2",
                flex="1",
                min_width="0",
            ),
            rx.cond(
                o.active,
                rx.button(rx.icon("pause", size=14), t("orgs.suspend"), variant="soft",
                          color_scheme="red", on_click=S.ask(o.id, False),
                          data_testid="org-suspend"),
                rx.button(rx.icon("play", size=14), t("orgs.reactivate"), variant="soft",
                          on_click=S.ask(o.id, True), data_testid="org-reactivate"),
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
        data_testid="org-row",
    )


def _confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(rx.cond(S.target_active,
                                          t("orgs.reactivate_title", name=S.target_name),
                                          t("orgs.suspend_title", name=S.target_name))),
            rx.alert_dialog.description(rx.cond(S.target_active, t("orgs.reactivate_body"),
                                                t("orgs.suspend_body")), size="2"),
            rx.box(error_callout(S.action_error), padding_top="12px"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("common.cancel"), variant="soft",
                                                 color_scheme="gray")),
                rx.button(rx.cond(S.busy, rx.spinner(size="2"), rx.fragment()),
                          rx.cond(S.target_active, t("orgs.reactivate"), t("orgs.suspend")),
                          color_scheme=rx.cond(S.target_active, "teal", "red"),
                          on_click=S.confirm, disabled=S.busy, data_testid="org-confirm"),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=S.confirm_open,
        on_open_change=S.set_confirm_open,
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=t("orgs.search_placeholder"),
            default_value=S.search,
            on_change=S.set_search.debounce(350),
            size="3",
            width="100%",
            max_width="420px",
            data_testid="org-search",
        ),
        notice_callout(S.notice),
        rx.cond(
            S.items.length() > 0,
            rx.vstack(
                rx.foreach(S.items, _row),
                rx.flex(
                    rx.text(t("orgs.page", start=S.page_start, end=S.page_end, total=S.total),
                            size="2", color_scheme="gray"),
                    rx.spacer(),
                    rx.hstack(
                        rx.button(rx.icon("chevron-left", size=16), t("common.previous"),
                                  variant="soft", color_scheme="gray", disabled=~S.has_previous,
                                  on_click=S.previous_page),
                        rx.button(t("common.next"), rx.icon("chevron-right", size=16),
                                  variant="soft", color_scheme="gray", disabled=~S.has_next,
                                  on_click=S.next_page),
                        spacing="2",
                    ),
                    align="center",
                    width="100%",
                    spacing="3",
                    wrap="wrap",
                ),
                width="100%",
                spacing="2",
            ),
            empty_state("building", t("orgs.empty_title"), t("orgs.empty_body")),
        ),
        _confirm_dialog(),
        width="100%",
        spacing="3",
    )


def organizations_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            page_header(t("orgs.title"), t("orgs.subtitle")),
            page_frame(OrganizationsState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/admin/organizations",
    )
