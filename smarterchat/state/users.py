"""Settings > Users: the people, their roles, teams and activation. Admins change;
managers read."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import accounts, page_views, teams, users
from smarterchat.backend.services.teams import TeamInfo
from smarterchat.state.session import PageState

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
    return MemberItem(id=m.membership_id, name=m.name, email=m.email, role=m.role,
                      active=m.is_active, two_factor=m.two_factor,
                      last_login=m.last_login_at.isoformat() if m.last_login_at else "",
                      is_me=m.user_id == me, team_id=m.team_id or "", team=m.team_name)


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
        return await self._load(page_views.members_page, then=self._apply)

    def _apply(self, page: page_views.MembersPage) -> None:
        self.members = [_item(m, page.me) for m in page.members]
        self.teams = [TeamRow(id=x.id, name=x.name, members=x.members) for x in page.teams]
        self.can_manage = page.can_manage

    async def _reload(self, _result: object = None) -> None:
        await self._reread(page_views.members_page, then=self._apply)

    # ------------------------------------------------------------ create

    @rx.event
    def open_create(self):
        self.create_open = True
        self.create_error = ""
        self.create_role = "consultant"

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        if not value:
            self.create_error = ""

    @rx.event
    def set_create_role(self, value: str):
        if value in ROLES:
            self.create_role = value

    @rx.event
    def create(self, form: dict):
        return self._action(accounts.invite, name=str(form.get("name") or ""),
                            email=str(form.get("email") or ""), role=self.create_role,
                            busy="create_busy", error="create_error", then=self._invited)

    def _invited(self, invitation: accounts.Invitation) -> None:
        self.notice = self._t("users.invited", email=invitation.email)
        self.create_open = False

    @rx.event
    def end_sessions(self, member_id: str):
        member = self._aim_at(member_id)
        if member is None:
            return None
        return self._action(users.end_sessions, member.id, error="member_error",
                            then=lambda _m: self._sessions_ended(member.name))

    def _sessions_ended(self, name: str) -> None:
        self.notice = self._t("users.sessions_ended", name=name)

    @rx.event
    def ask_role(self, member_id: str):
        member = self._aim_at(member_id)
        if member is not None:
            self.target_role = member.role
            self.role_open = True

    @rx.event
    def set_target_role(self, value: str):
        if value in ROLES:
            self.target_role = value

    @rx.event
    def set_role_open(self, value: bool):
        self.role_open = value

    @rx.event
    def save_role(self):
        return self._action(users.change_role, self.target_id, self.target_role,
                            busy="action_busy", error="action_error", then=self._role_saved)

    async def _role_saved(self, _member: users.Member) -> None:
        self.role_open = False
        self.notice = self._t("users.role_changed")
        await self._reload()

    @rx.event
    def ask_active(self, member_id: str, active: bool):
        if self._aim_at(member_id) is not None:
            self.target_active = active
            self.active_open = True

    @rx.event
    def set_active_open(self, value: bool):
        self.active_open = value

    @rx.event
    def save_active(self):
        return self._action(users.set_active, self.target_id, self.target_active,
                            busy="action_busy", error="action_error", then=self._active_saved)

    async def _active_saved(self, _member: users.Member) -> None:
        self.active_open = False
        self.notice = self._t("users.reactivated" if self.target_active else "users.deactivated")
        await self._reload()

    def _find(self, member_id: str) -> MemberItem | None:
        return next((m for m in self.members if m.id == member_id), None)

    def _aim_at(self, member_id: str) -> MemberItem | None:
        """The person a role or activation dialog is about, when they are on this page."""
        member = self._find(member_id)
        if member is not None:
            self.target_id, self.target_name = member.id, member.name
            self.action_error = ""
        return member

    # ------------------------------------------------------------ teams

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
    def save_team(self, form: dict):
        name = str(form.get("name") or "")
        if self.team_target_id:
            return self._action(teams.rename_team, self.team_target_id, name, busy="team_busy",
                                error="team_error", then=self._team_saved)
        return self._action(teams.create_team, name, busy="team_busy", error="team_error",
                            then=self._team_saved)

    async def _team_saved(self, created: TeamInfo | None) -> None:
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
    def delete_team(self):
        return self._action(teams.delete_team, self.team_target_id, busy="team_busy",
                            error="team_error", then=self._team_deleted)

    async def _team_deleted(self, _result: None) -> None:
        self.team_delete_open = False
        self.notice = self._t("users.team_deleted")
        await self._reload()

    @rx.event
    def set_member_team(self, member_id: str, value: str):
        member = self._find(member_id)
        if member is None:
            return None
        return self._action(users.set_team, member_id, "" if value == NO_TEAM else value,
                            error="member_error", then=self._team_changed)

    async def _team_changed(self, member: users.Member) -> None:
        self.notice = self._t("users.team_changed", name=member.name)
        await self._reload()
