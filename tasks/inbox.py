"""Distribution of waiting conversations and consultant presence."""

from __future__ import annotations

import uuid

from huey import crontab
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Conversation, ConversationStatus, Message
from smarterchat.backend.services import distribution
from tasks.queue import huey


@huey.task(retries=3, retry_delay=2)
def distribute(organization_id: str) -> int:
    return len(distribution.distribute(uuid.UUID(organization_id)))


def _on_conversation_changed(organization_id: object = None, action: str = "",
                             **_: object) -> None:
    # A conversation joined the queue, or a consultant freed a slot.
    if organization_id and action in ("handoff", "resolve", "transfer", "transfer_team",
                                      "return_to_ai", "reopen", "queued"):
        distribute(str(organization_id))


def _on_presence_changed(organization_id: object = None, availability: str = "",
                         teams_changed: bool = False, **_: object) -> None:
    # Someone came online, or teams changed (a conversation's team may have someone now).
    if organization_id and (availability == "online" or teams_changed):
        distribute(str(organization_id))


@huey.periodic_task(crontab(minute="*"))
def presence_and_queue_sweep() -> None:
    """Consultants without a heartbeat go offline; every queue gets another look."""
    distribution.expire_presence()
    with session_scope() as session:
        orgs = session.exec(select(Conversation.organization_id).where(
            Conversation.status == ConversationStatus.WAITING_HUMAN).distinct()).all()
    for org_id in orgs:
        distribute(str(org_id))


def _on_message_created(message_id: uuid.UUID, **_: object) -> None:
    # A conversation that starts (or resumes) waiting for a person joins the queue.
    with session_scope() as session:
        message = session.get(Message, message_id)
        if message is None or message.author_kind != "contact":
            return
        conversation = session.get(Conversation, message.conversation_id)
        waiting = conversation.status == ConversationStatus.WAITING_HUMAN and \
            conversation.assignee_id is None
        org_id = conversation.organization_id
    if waiting:
        distribute(str(org_id))


events.subscribe(events.MESSAGE_CREATED, _on_message_created)
events.subscribe(events.CONVERSATION_CHANGED, _on_conversation_changed)
events.subscribe(events.PRESENCE_CHANGED, _on_presence_changed)
