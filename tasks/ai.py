"""The AI's work: answering customers a moment after they write, and reading documents."""

from __future__ import annotations

import logging
import uuid

from smarterchat.backend import events
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import AuthorKind, ConversationStatus
from smarterchat.backend.services import ai_documents, ai_memory, ai_turn
from tasks.queue import huey

log = logging.getLogger(__name__)


def _turn_flag(conversation_id: str) -> str:
    return f"ai-queued:{conversation_id}"


@huey.task(retries=3, retry_delay=5)
def answer_conversation(conversation_id: str) -> bool:
    # Cleared first: a message that arrives while the model thinks queues the next turn.
    huey.delete(_turn_flag(conversation_id))
    return ai_turn.respond(uuid.UUID(conversation_id)).sent


def on_message_created(event: events.MessageCreated) -> None:
    """A customer wrote in a conversation the AI handles: answer after a short pause, so a
    burst of messages ("oi" / "tudo bem?" / "quanto custa?") gets one reply."""
    if event.author_kind != AuthorKind.CONTACT or \
            event.conversation_status != ConversationStatus.BOT:
        return
    conversation_id = str(event.conversation_id)
    if huey.put_if_empty(_turn_flag(conversation_id), "1"):
        delay = get_settings().ai_coalesce_seconds
        if delay > 0:
            answer_conversation.schedule((conversation_id,), delay=delay)
        else:
            answer_conversation(conversation_id)


@huey.task(retries=2, retry_delay=10)
def process_document(item_id: str) -> None:
    ai_documents.process_document(uuid.UUID(item_id))


@huey.task(retries=2, retry_delay=30)
def summarise_conversation(conversation_id: str) -> None:
    ai_memory.summarise_conversation(uuid.UUID(conversation_id))


def on_conversation_changed(event: events.ConversationChanged) -> None:
    if event.action == "resolve":  # the conversation ended: remember it for the next one
        summarise_conversation(str(event.conversation_id))
