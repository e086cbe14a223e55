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
from dataclasses import dataclass, field
from datetime import datetime
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


@dataclass(frozen=True)
class ConsultantTyping:
    """A consultant is writing a reply (the web chat shows "Carla está digitando…")."""

    organization_id: uuid.UUID
    conversation_id: uuid.UUID
    name: str


@dataclass(frozen=True)
class LeadEvent:
    """What every lead event says: the lead as it stands after the change, and who made it
    (``actor_user_id`` None: the AI, an import or the distribution)."""

    organization_id: uuid.UUID
    lead_id: uuid.UUID
    contact_id: uuid.UUID
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    stage_name: str
    stage_kind: str  # open, won, lost
    temperature: str
    value_cents: int | None
    owner_id: uuid.UUID | None
    actor_user_id: uuid.UUID | None
    occurred_at: datetime


@dataclass(frozen=True)
class LeadCreated(LeadEvent):
    source: str = ""  # ai, manual, import


@dataclass(frozen=True)
class LeadUpdated(LeadEvent):
    changed: tuple[str, ...] = ()  # names of what changed: value_cents, fields.email, ...


@dataclass(frozen=True)
class LeadStageChanged(LeadEvent):
    from_stage_id: uuid.UUID | None = None
    from_stage_name: str = ""
    position: float = 0.0  # a move within the column changes only this


@dataclass(frozen=True)
class LeadTemperatureChanged(LeadEvent):
    from_temperature: str = ""
    reason: str = ""
    message_id: uuid.UUID | None = None  # the customer's message that caused it


@dataclass(frozen=True)
class LeadOwnerChanged(LeadEvent):
    from_owner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class LeadWon(LeadEvent):
    pass


@dataclass(frozen=True)
class LeadLost(LeadEvent):
    reason: str = ""


@dataclass(frozen=True)
class TaskDue:
    """A lead's follow-up task fell due: its assignee is told live."""

    organization_id: uuid.UUID
    task_id: uuid.UUID
    lead_id: uuid.UUID
    assignee_id: uuid.UUID | None
    title: str


@dataclass(frozen=True)
class EmailRequested:
    """An e-mail to send: its kind (``mail.<kind>.*`` sentences), recipient, language and
    the values its sentences name (links included)."""

    kind: str
    to: str
    locale: str
    context: dict[str, str] = field(default_factory=dict)


LEAD_EVENTS: tuple[type[LeadEvent], ...] = (LeadCreated, LeadUpdated, LeadStageChanged,
                                            LeadTemperatureChanged, LeadOwnerChanged, LeadWon,
                                            LeadLost)
Event = MessageCreated | OutboundQueued | MessageStatusChanged | ConversationChanged | \
    PresenceChanged | MessageReacted | OrganizationReactivated | LeadEvent | EmailRequested | \
    ConsultantTyping | TaskDue
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
