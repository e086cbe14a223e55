"""Settings > Users: the teams card and its create, rename and delete dialogs."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    dialog_buttons,
    empty_state,
    error_callout,
    field,
)
from smarterchat.components.i18n import t
from smarterchat.state.users import TeamRow, UsersState

S = UsersState


def _team_actions(team: TeamRow) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(rx.icon("ellipsis-vertical", size=18), variant="ghost",
                           color_scheme="gray", aria_label=t("users.team_actions"),
                           data_testid="team-actions"),
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item(rx.icon("pencil", size=14), t("users.team_rename"),
                                  on_select=S.ask_team_rename(team.id),
                                  data_testid="team-rename"),
            rx.dropdown_menu.item(rx.icon("trash-2", size=14), t("users.team_delete"),
                                  color="red", on_select=S.ask_team_delete(team.id),
                                  data_testid="team-delete"),
        ),
    )


def _team_row(team: TeamRow) -> rx.Component:
    return rx.hstack(
        rx.icon("users", size=16, color=rx.color("accent", 10), flex_shrink="0"),
        rx.text(team.name, weight="medium", size="2", flex="1", min_width="0",
                style={"overflow_wrap": "anywhere"}, data_testid="team-name"),
        rx.badge(t("users.team_members", count=team.members), variant="soft",
                 color_scheme="gray", flex_shrink="0"),
        rx.cond(S.can_manage, _team_actions(team)),
        align="center", spacing="3", width="100%", padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="team-row",
    )


def teams() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading(t("users.teams_title"), size="4"),
                rx.cond(S.can_manage,
                        rx.button(rx.icon("plus", size=16), t("users.team_add"), size="2",
                                  variant="soft", on_click=S.open_team_create,
                                  data_testid="team-add")),
                justify="between", align="center", gap="2", wrap="wrap", width="100%",
            ),
            rx.text(t("users.teams_help"), size="2", color_scheme="gray"),
            rx.cond(
                S.teams.length() > 0,
                rx.vstack(rx.foreach(S.teams, _team_row), spacing="0", width="100%"),
                empty_state("users", t("users.teams_empty_title"), t("users.teams_empty_body")),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="teams-section",
    )


def team_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.team_target_id != "",
                                    t("users.team_rename_title", name=S.team_target_name),
                                    t("users.team_add"))),
            rx.form(
                rx.vstack(
                    error_callout(S.team_error, data_testid="team-error"),
                    field(t("users.team_name"),
                          rx.input(name="name", default_value=S.team_target_name, size="3",
                                   width="100%", max_length=80, auto_focus=True,
                                   placeholder=t("users.team_name_placeholder"),
                                   data_testid="team-name-input")),
                    dialog_buttons(t("common.save"), S.team_busy, data_testid="team-save"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.save_team,
                width="100%",
            ),
            max_width="440px",
        ),
        open=S.team_open,
        on_open_change=S.set_team_open,
    )


def team_delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("users.team_delete_title", name=S.team_target_name)),
            rx.alert_dialog.description(t("users.team_delete_body"), size="2"),
            rx.box(error_callout(S.team_error, data_testid="team-delete-error"),
                   padding_top="12px"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("common.cancel"), variant="soft",
                                                 color_scheme="gray")),
                rx.button(rx.cond(S.team_busy, rx.spinner(size="2"), rx.fragment()),
                          t("users.team_delete"), color_scheme="red", on_click=S.delete_team,
                          disabled=S.team_busy, data_testid="team-delete-confirm"),
                spacing="3", justify="end", margin_top="16px",
            ),
            max_width="440px",
        ),
        open=S.team_delete_open,
        on_open_change=S.set_team_delete_open,
    )
