"""Settings > Users: the people, their roles, teams and activation. Admins change;
managers read."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx

from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import teams, users
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.teams import TeamInfo
from smarterchat.state.session import Leave, PageState, SignedOut

ROLES = ("admin", "manager", "consultant")
NO_TEAM = "none"  # the select's "no team" (Radix refuses empty values)


@dataclasses.dataclass
class MemberItem:
    id: str = ""  # membership id
    name: str = ""
    email: str = ""
    role: str = ""
    active: bool = True
    two_factor: bool = False
    last_login: str = ""  # ISO 8601 or empty
    is_me: bool = False
    team_id: str = ""
    team: str = ""


@dataclasses.dataclass
class TeamRow:
    id: str = ""
    name: str = ""
    members: int = 0


def _item(m: users.Member, me: str) -> MemberItem:
    return MemberItem(m.membership_id, m.name, m.email, m.role, m.is_active, m.two_factor,
                      m.last_login_at.isoformat() if m.last_login_at else "", m.user_id == me,
                      m.team_id or "", m.team_name)


def _listing(session, actor: Actor
             ) -> tuple[list[users.Member], list[teams.TeamInfo], bool, str]:
    return (users.list_members(session, actor), teams.list_teams(session, actor),
            actor.can(Permission.USERS_MANAGE), str(actor.user_id))


class UsersState(PageState):
    members: list[MemberItem] = []
    teams: list[TeamRow] = []
    can_manage: bool = False
    notice: str = ""
    member_error: str = ""  # a refused team change, shown above the people

    # team dialogs: create (no target) or rename; delete
    team_open: bool = False
    team_target_id: str = ""
    team_target_name: str = ""
    team_busy: bool = False
    team_error: str = ""
    team_delete_open: bool = False

    # add-a-person dialog
    create_open: bool = False
    create_busy: bool = False
    create_error: str = ""
    create_role: str = "consultant"
    # shown once, then forgotten when the dialog closes
    temp_password: str = ""
    temp_email: str = ""

    # role / activation dialogs
    target_id: str = ""
    target_name: str = ""
    target_role: str = "consultant"
    target_active: bool = False  # the value to set
    role_open: bool = False
    active_open: bool = False
    action_busy: bool = False
    action_error: str = ""

    @rx.event
    async def load(self):
        self.notice = self.member_error = ""
        try:
            data = await self._guarded(_listing)
        except Leave as leave:
            return leave.event
        if data is not None:
            self._apply(*data)
        self.loaded = True
        return None

    def _apply(self, members: list[users.Member], team_list: list[TeamInfo],
               can_manage: bool, me: str) -> None:
        self.members = [_item(m, me) for m in members]
        self.teams = [TeamRow(x.id, x.name, x.members) for x in team_list]
        self.can_manage = can_manage

    async def _reload(self) -> None:
        try:
            data = await self._guarded(_listing)
        except Leave:
            return
        if data is not None:
            self._apply(*data)

    # ------------------------------------------------------------ create

    @rx.event
    def open_create(self):
        self.create_open = True
        self.create_error = ""
        self.create_role = "consultant"
        self.temp_password = ""
        self.temp_email = ""

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        if not value:
            self.temp_password = ""
            self.temp_email = ""
            self.create_error = ""

    @rx.event
    def set_create_role(self, value: str):
        if value in ROLES:
            self.create_role = value

    @rx.event
    async def create(self, form: dict):
        self.create_busy = True
        self.create_error = ""
        yield
        try:
            created = await self._as_actor(
                users.create_member,
                name=str(form.get("name") or ""),
                email=str(form.get("email") or ""),
                role=self.create_role,
                password=str(form.get("password") or "") or None,
            )
        except SignedOut:
            self.create_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.create_error = self._message(exc)
            self.create_busy = False
            return
        self.create_busy = False
        self.notice = self._t("users.created", name=created.member.name)
        if created.temporary_password:
            self.temp_password = created.temporary_password
            self.temp_email = created.member.email
        else:
            self.create_open = False
        await self._reload()

    # ------------------------------------------------------------ role

    @rx.event
    def ask_role(self, member_id: str):
        member = self._find(member_id)
        if member is None:
            return
        self.target_id, self.target_name, self.target_role = member.id, member.name, member.role
        self.action_error = ""
        self.role_open = True

    @rx.event
    def set_target_role(self, value: str):
        if value in ROLES:
            self.target_role = value

    @rx.event
    def set_role_open(self, value: bool):
        self.role_open = value

    @rx.event
    async def save_role(self):
        self.action_busy = True
        self.action_error = ""
        yield
        try:
            await self._as_actor(users.change_role, self.target_id, self.target_role)
        except SignedOut:
            self.action_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.action_error = self._message(exc)
            self.action_busy = False
            return
        self.action_busy = False
        self.role_open = False
        self.notice = self._t("users.role_changed")
        await self._reload()

    # ------------------------------------------------------------ activation

    @rx.event
    def ask_active(self, member_id: str, active: bool):
        member = self._find(member_id)
        if member is None:
            return
        self.target_id, self.target_name, self.target_active = member.id, member.name, active
        self.action_error = ""
        self.active_open = True

    @rx.event
    def set_active_open(self, value: bool):
        self.active_open = value

    @rx.event
    async def save_active(self):
        self.action_busy = True
        self.action_error = ""
        yield
        try:
            await self._as_actor(users.set_active, self.target_id, self.target_active)
        except SignedOut:
            self.action_busy = False
            yield self._login_redirect()
            return
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.action_error = self._message(exc)
            self.action_busy = False
            return
        self.action_busy = False
        self.active_open = False
        self.notice = self._t("users.reactivated" if self.target_active else "users.deactivated")
        await self._reload()

    def _find(self, member_id: str) -> MemberItem | None:
        return next((m for m in self.members if m.id == member_id), None)

    # ------------------------------------------------------------ teams

    async def _change(self, fn: Callable[..., Any], *args: Any) -> tuple[Any, str]:
        """An admin change: (result, "") or (None, the refusal translated). SignedOut passes."""
        try:
            return await self._as_actor(fn, *args), ""
        except SignedOut:
            raise
        except Exception as exc:  # noqa: BLE001 - shown translated
            return None, self._message(exc)

    def _aim_at_team(self, team_id: str) -> bool:
        """The team a dialog is about, when it is one of this page's."""
        team = next((x for x in self.teams if x.id == team_id), None)
        if team is not None:
            self.team_target_id, self.team_target_name = team.id, team.name
            self.team_error = ""
        return team is not None

    @rx.event
    def open_team_create(self):
        self.team_target_id = self.team_target_name = self.team_error = ""
        self.team_open = True

    @rx.event
    def ask_team_rename(self, team_id: str):
        if self._aim_at_team(team_id):
            self.team_open = True

    @rx.event
    def set_team_open(self, value: bool):
        self.team_open = value

    @rx.event
    async def save_team(self, form: dict):
        name = str(form.get("name") or "")
        self.team_busy = True
        self.team_error = ""
        yield
        try:
            if self.team_target_id:
                _, error = await self._change(teams.rename_team, self.team_target_id, name)
                created = None
            else:
                created, error = await self._change(teams.create_team, name)
        except SignedOut:
            self.team_busy = False
            yield self._login_redirect()
            return
        self.team_busy = False
        if error:
            self.team_error = error
            return
        self.team_open = False
        self.notice = self._t("users.team_created", name=created.name) if created \
            else self._t("users.team_renamed")
        await self._reload()

    @rx.event
    def ask_team_delete(self, team_id: str):
        if self._aim_at_team(team_id):
            self.team_delete_open = True

    @rx.event
    def set_team_delete_open(self, value: bool):
        self.team_delete_open = value

    @rx.event
    async def delete_team(self):
        self.team_busy = True
        self.team_error = ""
        yield
        try:
            _, error = await self._change(teams.delete_team, self.team_target_id)
        except SignedOut:
            self.team_busy = False
            yield self._login_redirect()
            return
        self.team_busy = False
        if error:
            self.team_error = error
            return
        self.team_delete_open = False
        self.notice = self._t("users.team_deleted")
        await self._reload()

    @rx.event
    async def set_member_team(self, member_id: str, value: str):
        member = self._find(member_id)
        if member is None:
            return None
        self.member_error = ""
        try:
            _, error = await self._change(users.set_team, member_id,
                                          "" if value == NO_TEAM else value)
        except SignedOut:
            return self._login_redirect()
        if error:
            self.member_error = error
        else:
            self.notice = self._t("users.team_changed", name=member.name)
        await self._reload()
        return None
