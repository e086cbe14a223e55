"""What the customer is told as their conversation moves (joined, waiting, closing, survey)."""

from __future__ import annotations

import uuid

from smarterchat.backend import events
from smarterchat.backend.models import AuthorKind, ConversationStatus
from smarterchat.backend.services import customer_notices
from tasks.queue import huey

# Moves the customer hears about; the others (labels, notes, transfers between people)
# change nothing for them.
_TOLD = ("handoff", "transfer_team", "return_to_ai", "resolve")


@huey.task(retries=3, retry_delay=5)
def tell_customer(conversation_id: str, action: str) -> int:
    return len(customer_notices.after_change(uuid.UUID(conversation_id), action))


def on_conversation_changed(event: events.ConversationChanged) -> None:
    if event.action in _TOLD:
        tell_customer(str(event.conversation_id), event.action)


def on_message_created(event: events.MessageCreated) -> None:
    # A channel without an AI agent queues the customer from the first message: the
    # waiting notice (once per wait) comes from here.
    if event.author_kind == AuthorKind.CONTACT and event.assignee_id is None and \
            event.conversation_status == ConversationStatus.WAITING_HUMAN:
        tell_customer(str(event.conversation_id), "customer_wrote")
