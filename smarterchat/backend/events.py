"""Domain events fanned out to listeners (AI replies, real-time inbox, queue, outgoing work).

Each event is a frozen dataclass that carries what its listeners need (organisation,
conversation and its state, message, author kind, status), filled in by the service
that already holds those rows: a listener publishes or enqueues from the event alone
and never opens a session to read again what the emitter had in hand.

Services emit after their transaction commits. Listeners are connected in one place,
``tasks.wiring.connect_listeners()``, called by the app and by the worker, so services
never import tasks. A failing listener is logged and never breaks the emitter.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MessageEvent:
    """What every message event says about its message and conversation."""

    organization_id: uuid.UUID
    conversation_id: uuid.UUID
    message_id: uuid.UUID
    author_kind: str
    delivery_status: str

    @classmethod
    def of(cls, message: Any, **more: Any):
        """The event for a stored ``Message`` row (and ``more`` fields of the subclass)."""
        return cls(organization_id=message.organization_id,
                   conversation_id=message.conversation_id, message_id=message.id,
                   author_kind=str(message.author_kind),
                   delivery_status=str(message.delivery_status), **more)


@dataclass(frozen=True)
class MessageCreated(MessageEvent):
    """A customer (or an echo of the business) wrote; the conversation as it stands after it."""

    conversation_status: str
    assignee_id: uuid.UUID | None
    channel_kind: str
    has_media_to_fetch: bool = False  # the provider holds media the worker must download

    @classmethod
    def of_rows(cls, message: Any, conversation: Any, channel_kind: str) -> MessageCreated:
        return cls.of(message, conversation_status=str(conversation.status),
                      assignee_id=conversation.assignee_id, channel_kind=str(channel_kind),
                      has_media_to_fetch=bool((message.extra or {}).get("media_ref")))


@dataclass(frozen=True)
class OutboundQueued(MessageEvent):
    """A stored outgoing message waits to be sent to the customer."""


@dataclass(frozen=True)
class MessageStatusChanged(MessageEvent):
    """A message's delivery status moved (sent, delivered, read, failed)."""


@dataclass(frozen=True)
class MessageReacted(MessageEvent):
    """The customer reacted to a message (``emoji`` empty: the reaction was removed)."""

    emoji: str = ""


@dataclass(frozen=True)
class ConversationChanged:
    """A conversation's state changed (``action`` says how: take_over, handoff, resolve...)."""

    organization_id: uuid.UUID
    conversation_id: uuid.UUID
    action: str
    status: str
    assignee_id: uuid.UUID | None
    team_id: uuid.UUID | None

    @classmethod
    def of(cls, conversation: Any, action: str) -> ConversationChanged:
        """The event for a ``Conversation`` row as it stands after ``action``."""
        return cls(organization_id=conversation.organization_id,
                   conversation_id=conversation.id, action=action,
                   status=str(conversation.status), assignee_id=conversation.assignee_id,
                   team_id=conversation.team_id)


@dataclass(frozen=True)
class OrganizationReactivated:
    """A suspended organisation works again: its held inbound events are to be processed."""

    organization_id: uuid.UUID


@dataclass(frozen=True)
class PresenceChanged:
    """A consultant's availability changed, or the teams did (``user_id`` None: many people)."""

    organization_id: uuid.UUID
    user_id: uuid.UUID | None = None
    availability: str = ""
    teams_changed: bool = False


Event = MessageCreated | OutboundQueued | MessageStatusChanged | ConversationChanged | \
    PresenceChanged | MessageReacted | OrganizationReactivated
E = TypeVar("E")
Listener = Callable[[Any], Any]
_listeners: dict[type, list[Listener]] = defaultdict(list)


def subscribe(kind: type[E], listener: Callable[[E], Any]) -> Callable[[E], Any]:
    """Call ``listener(event)`` for every emitted event of ``kind``; subscribing twice is once."""
    if listener not in _listeners[kind]:
        _listeners[kind].append(listener)
    return listener


def unsubscribe(kind: type, listener: Listener) -> None:
    if listener in _listeners[kind]:
        _listeners[kind].remove(listener)


def emit(event: Event) -> None:
    for listener in list(_listeners[type(event)]):
        try:
            listener(event)
        except Exception:
            log.exception("listener %s of %s failed", getattr(listener, "__name__", listener),
                          type(event).__name__)
