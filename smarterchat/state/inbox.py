"""Inbox: the organisation's conversations, newest first (read-only for now)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import overview
from smarterchat.state.session import Leave, PageState

FILTERS = ("open", "waiting_human", "resolved", "all")


@dataclasses.dataclass
class ConversationItem:
    id: str = ""
    contact: str = ""
    channel_kind: str = ""
    channel_name: str = ""
    status: str = ""
    assignee: str = ""
    unread: int = 0
    last_at: str = ""  # ISO 8601, formatted in the browser's time zone
    preview: str = ""
    initial: str = ""


def _initial(name: str) -> str:
    letter = next((ch for ch in name if ch.isalpha()), "")
    return letter.upper() or "#"


class InboxState(PageState):
    status_filter: str = "open"
    items: list[ConversationItem] = []

    @rx.event
    async def load(self):
        try:
            rows = await self._guarded(overview.conversations, status=self.status_filter)
        except Leave as leave:
            return leave.event
        if rows is not None:
            self.items = [
                ConversationItem(r.id, r.contact_name, r.channel_kind, r.channel_name, r.status,
                                 r.assignee_name, r.unread_count, r.last_message_at.isoformat(),
                                 r.last_message, _initial(r.contact_name))
                for r in rows
            ]
        self.loaded = True
        return None

    @rx.event
    async def set_filter(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        if value not in FILTERS:
            return None
        self.status_filter = value
        return await self.load()
