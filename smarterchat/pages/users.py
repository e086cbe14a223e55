"""/settings/users: the people and their teams. Admins manage; managers read;
consultants are refused."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import (
    ROLE_COLORS,
    color_of,
    dialog_buttons,
    error_callout,
    field,
    notice_callout,
    page_frame,
    page_header,
    when_datetime,
)
from smarterchat.components.i18n import role_label, t
from smarterchat.components.shell import app_shell
from smarterchat.components.users_teams import team_delete_dialog, team_dialog, teams
from smarterchat.state.users import NO_TEAM, MemberItem, UsersState

S = UsersState


def _role_select(value, on_change, test_id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", data_testid=test_id),
        rx.select.content(
            rx.select.item(t("role.admin"), value="admin"),
            rx.select.item(t("role.manager"), value="manager"),
            rx.select.item(t("role.consultant"), value="consultant"),
        ),
        value=value,
        on_change=on_change,
        size="3",
    )


def _role_help(value) -> rx.Component:
    return rx.text(
        rx.match(value, ("admin", t("role.admin_help")), ("manager", t("role.manager_help")),
                 t("role.consultant_help")),
        size="1", color_scheme="gray",
    )


def _actions(m: MemberItem) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(rx.icon("ellipsis-vertical", size=18), variant="ghost",
                           color_scheme="gray", aria_label=t("users.actions"),
                           data_testid="member-actions"),
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item(rx.icon("shield", size=14), t("users.change_role"),
                                  on_select=S.ask_role(m.id), data_testid="action-role"),
            rx.dropdown_menu.item(rx.icon("log-out", size=14), t("users.end_sessions"),
                                  on_select=S.end_sessions(m.id),
                                  data_testid="action-end-sessions"),
            rx.cond(
                m.active,
                rx.dropdown_menu.item(rx.icon("user-x", size=14), t("users.deactivate"),
                                      color="red", on_select=S.ask_active(m.id, False),
                                      data_testid="action-deactivate"),
                rx.dropdown_menu.item(rx.icon("user-check", size=14), t("users.reactivate"),
                                      on_select=S.ask_active(m.id, True),
                                      data_testid="action-reactivate"),
            ),
        ),
    )


def _member_team(m: MemberItem) -> rx.Component:
    """Admins choose the team here; managers see it."""
    choose = rx.hstack(
        rx.text(t("users.team"), size="1", color_scheme="gray"),
        rx.select.root(
            rx.select.trigger(data_testid="member-team", max_width="220px"),
            rx.select.content(
                rx.select.item(t("users.no_team"), value=NO_TEAM),
                rx.foreach(S.teams, lambda team: rx.select.item(team.name, value=team.id)),
            ),
            value=rx.cond(m.team_id != "", m.team_id, NO_TEAM),
            on_change=lambda value: S.set_member_team(m.id, value),
            size="1",
        ),
        align="center", spacing="2", padding_top="4px",
    )
    shown = rx.cond(m.team != "", rx.badge(rx.icon("users", size=12), m.team, variant="soft",
                                           color_scheme="blue", data_testid="member-team-name"))
    return rx.cond(S.can_manage & (S.teams.length() > 0), choose, shown)


def _member(m: MemberItem) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.avatar(fallback=m.name[:1], size="3", radius="full",
                      color_scheme=color_of(m.role, ROLE_COLORS)),
            rx.vstack(
                rx.hstack(
                    rx.text(m.name, weight="bold", size="2"),
                    rx.cond(m.is_me, rx.text("(", t("users.you"), ")", size="1",
                                             color_scheme="gray")),
                    spacing="1",
                    align="center",
                    wrap="wrap",
                ),
                rx.text(m.email, size="2", color_scheme="gray", style={"word_break": "break-all"}),
                rx.hstack(
                    rx.badge(role_label(m.role), color_scheme=color_of(m.role, ROLE_COLORS),
                             data_testid="member-role"),
                    rx.badge(rx.cond(m.active, t("common.active"), t("common.inactive")),
                             color_scheme=rx.cond(m.active, "grass", "gray"), variant="soft",
                             data_testid="member-status"),
                    rx.badge(rx.icon("shield-check", size=12), t("users.two_factor"), " ",
                             rx.cond(m.two_factor, t("common.on"), t("common.off")),
                             color_scheme=rx.cond(m.two_factor, "teal", "gray"), variant="outline"),
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(t("users.last_login"), ": ",
                        rx.cond(m.last_login != "", when_datetime(m.last_login), t("common.never")),
                        size="1", color_scheme="gray"),
                _member_team(m),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            rx.cond(S.can_manage, _actions(m)),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
        opacity=rx.cond(m.active, "1", "0.7"),
        data_testid="member-row",
    )


def _create_dialog() -> rx.Component:
    form = rx.form(
        rx.vstack(
            error_callout(S.create_error, data_testid="create-error"),
            field(t("users.name"), rx.input(width="100%", name="name", size="3", data_testid="create-name")),
            field(t("users.email"), rx.input(width="100%", name="email", type="email", size="3",
                                             data_testid="create-email")),
            field(t("users.role"), _role_select(S.create_role, S.set_create_role, "create-role")),
            _role_help(S.create_role),
            dialog_buttons(t("users.create_submit"), S.create_busy,
                              data_testid="create-submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.create,
        width="100%",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("users.invite")),
            form,
            max_width="480px",
        ),
        open=S.create_open,
        on_open_change=S.set_create_open,
    )


def _role_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("users.change_role_title", name=S.target_name)),
            rx.vstack(
                error_callout(S.action_error, data_testid="role-error"),
                _role_select(S.target_role, S.set_target_role, "role-select"),
                _role_help(S.target_role),
                rx.flex(
                    rx.dialog.close(rx.button(t("common.cancel"), variant="soft",
                                              color_scheme="gray")),
                    rx.button(rx.cond(S.action_busy, rx.spinner(size="2"), rx.fragment()),
                              t("common.save"), on_click=S.save_role, disabled=S.action_busy,
                              data_testid="role-save"),
                    spacing="3",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="440px",
        ),
        open=S.role_open,
        on_open_change=S.set_role_open,
    )


def _active_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(rx.cond(S.target_active,
                                          t("users.reactivate_title", name=S.target_name),
                                          t("users.deactivate_title", name=S.target_name))),
            rx.alert_dialog.description(rx.cond(S.target_active, t("users.reactivate_body"),
                                                t("users.deactivate_body")), size="2"),
            rx.box(error_callout(S.action_error, data_testid="active-error"), padding_top="12px"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("common.cancel"), variant="soft",
                                                 color_scheme="gray")),
                rx.button(rx.cond(S.action_busy, rx.spinner(size="2"), rx.fragment()),
                          rx.cond(S.target_active, t("users.reactivate"), t("users.deactivate")),
                          color_scheme=rx.cond(S.target_active, "teal", "red"),
                          on_click=S.save_active, disabled=S.action_busy,
                          data_testid="active-confirm"),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=S.active_open,
        on_open_change=S.set_active_open,
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(
            ~S.can_manage,
            rx.callout.root(rx.callout.icon(rx.icon("eye", size=16)),
                            rx.callout.text(t("users.read_only")), color_scheme="blue", size="1",
                            width="100%", data_testid="users-read-only"),
        ),
        notice_callout(S.notice, data_testid="users-notice"),
        error_callout(S.member_error, data_testid="member-error"),
        rx.vstack(rx.foreach(S.members, _member), width="100%", spacing="2"),
        teams(),
        _create_dialog(),
        _role_dialog(),
        _active_dialog(),
        team_dialog(),
        team_delete_dialog(),
        width="100%",
        spacing="3",
    )


def users_page() -> rx.Component:
    add = rx.cond(
        S.can_manage & ~S.forbidden,
        rx.button(rx.icon("user-plus", size=16), t("users.add"), on_click=S.open_create,
                  data_testid="add-member"),
    )
    return app_shell(
        rx.vstack(
            page_header(t("users.title"), t("users.subtitle"), add),
            page_frame(UsersState, _content()),
            width="100%",
            spacing="0",
        ),
        active="/settings/users",
    )
