"""Who may do what. Checked in the service layer, never only by hiding buttons."""

from __future__ import annotations

from enum import StrEnum

from smarterchat.backend.models import Role


class Permission(StrEnum):
    USERS_VIEW = "users.view"
    USERS_MANAGE = "users.manage"
    ORG_SETTINGS = "org.settings"
    CHANNELS_VIEW = "channels.view"
    CHANNELS_MANAGE = "channels.manage"
    AGENTS_VIEW = "agents.view"
    AGENTS_MANAGE = "agents.manage"
    CONVERSATIONS_VIEW = "conversations.view"
    CONVERSATIONS_REPLY = "conversations.reply"
    CONVERSATIONS_ASSIGN = "conversations.assign"  # hand to someone else
    CRM_VIEW = "crm.view"
    CRM_MANAGE = "crm.manage"
    # Work the leads one sees (create, move, edit, notes, tasks): people who see the CRM do;
    # a read-only API key sees them without changing them.
    CRM_WORK = "crm.work"
    ANALYTICS_VIEW = "analytics.view"
    WEBHOOKS_MANAGE = "webhooks.manage"
    API_KEYS_MANAGE = "api_keys.manage"
    AUDIT_VIEW = "audit.view"
    CONTACTS_PRIVACY = "contacts.privacy"  # export or erase everything about a contact (LGPD)


_CONSULTANT = {
    Permission.CONVERSATIONS_VIEW,
    Permission.CONVERSATIONS_REPLY,
    Permission.CRM_VIEW,
    Permission.CRM_WORK,
    Permission.AGENTS_VIEW,
}
_MANAGER = _CONSULTANT | {
    Permission.USERS_VIEW,
    Permission.CHANNELS_VIEW,
    Permission.CONVERSATIONS_ASSIGN,
    Permission.CRM_MANAGE,
    Permission.ANALYTICS_VIEW,
    Permission.AUDIT_VIEW,
}
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.CONSULTANT: frozenset(_CONSULTANT),
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(Permission),
}


class Scope(StrEnum):
    """What an API key may do, whatever it is used for."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


_READ = frozenset(p for p in Permission if p.value.endswith(".view"))
SCOPE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    # Read everything; write what a manager changes day to day; admin: all of it.
    Scope.READ: _READ,
    Scope.WRITE: _READ | {Permission.CONVERSATIONS_REPLY, Permission.CONVERSATIONS_ASSIGN,
                          Permission.CRM_WORK, Permission.CRM_MANAGE},
    Scope.ADMIN: frozenset(Permission),
}


def scope_permissions(scopes: list[str]) -> frozenset[Permission]:
    return frozenset().union(*(SCOPE_PERMISSIONS.get(s, frozenset()) for s in scopes))


def has_permission(role: str | None, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())
