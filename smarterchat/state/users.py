"""Settings > Users: the team, roles, activation. Admins change; managers read."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import users
from smarterchat.backend.services.actors import Actor
from smarterchat.state.session import Leave, PageState, SignedOut

ROLES = ("admin", "manager", "consultant")


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


def _item(m: users.Member, me: str) -> MemberItem:
    return MemberItem(m.membership_id, m.name, m.email, m.role, m.is_active, m.two_factor,
                      m.last_login_at.isoformat() if m.last_login_at else "", m.user_id == me)


def _listing(session, actor: Actor) -> tuple[list[users.Member], bool, str]:
    return (users.list_members(session, actor), actor.can(Permission.USERS_MANAGE),
            str(actor.user_id))


class UsersState(PageState):
    members: list[MemberItem] = []
    can_manage: bool = False
    notice: str = ""

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
        self.notice = ""
        try:
            data = await self._guarded(_listing)
        except Leave as leave:
            return leave.event
        if data is not None:
            self._apply(*data)
        self.loaded = True
        return None

    def _apply(self, members: list[users.Member], can_manage: bool, me: str) -> None:
        self.members = [_item(m, me) for m in members]
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
