"""What each outgoing webhook event says: the record as the public API shows it.

Called by the fan-out task with the ids a domain event carried; reads the rows once,
only when some endpoint of the organisation asked for the event.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from smarterchat.backend import events
from smarterchat.backend.models import Conversation, Message, Webhook
from smarterchat.backend.services import public_api, webhook_delivery

# A conversation's move (``ConversationChanged.action``) and the events it makes.
STATUS_MOVES = frozenset({"take_over", "auto_assign", "transfer_team", "return_to_ai",
                          "resolve", "reopen", "handoff"})
ASSIGN_MOVES = frozenset({"take_over", "auto_assign", "transfer"})


LEAD_EVENT_TYPES: dict[type[events.LeadEvent], str] = {
    events.LeadCreated: "lead.created", events.LeadUpdated: "lead.updated",
    events.LeadOwnerChanged: "lead.updated", events.LeadStageChanged: "lead.stage_changed",
    events.LeadTemperatureChanged: "lead.temperature_changed", events.LeadWon: "lead.won",
    events.LeadLost: "lead.lost"}


def lead_data(event: events.LeadEvent) -> dict[str, Any]:
    """The lead event as it was emitted (it carries the lead as it stands), JSON-ready."""
    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        return list(value) if isinstance(value, tuple) else value

    fields = {k: plain(v) for k, v in asdict(event).items() if k != "organization_id"}
    return {"lead": {"id": fields.pop("lead_id"), **fields}}


def events_for_move(action: str) -> list[str]:
    found = ["conversation.status_changed"] if action in STATUS_MOVES else []
    return found + (["conversation.assigned"] if action in ASSIGN_MOVES else [])


def _jsonable(view: Any) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(view).items()}


def _subscribed(session: Session, organization_id: uuid.UUID, event_type: str) -> bool:
    hooks = session.exec(select(Webhook.events).where(Webhook.organization_id == organization_id,
                                                      Webhook.is_active)).all()
    return any(event_type in events for events in hooks)


def publish(session: Session, organization_id: uuid.UUID, event_type: str, *,
            message_id: uuid.UUID | None = None, conversation_id: uuid.UUID | None = None,
            extra: dict[str, Any] | None = None) -> list[uuid.UUID]:
    """The deliveries made for this event (none when no endpoint asked for it)."""
    if not _subscribed(session, organization_id, event_type):
        return []
    data: dict[str, Any] = dict(extra or {})
    message = session.get(Message, message_id) if message_id else None
    if message is not None and message.organization_id == organization_id:
        data["message"] = _jsonable(public_api.message_view(message))
    conversation = session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is not None and conversation.organization_id == organization_id:
        data["conversation"] = _jsonable(public_api.conversation_view(conversation))
    return webhook_delivery.record_event(session, organization_id, event_type, data)
