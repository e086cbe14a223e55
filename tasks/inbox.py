"""Distribution of waiting conversations and consultant presence."""

from __future__ import annotations

import uuid

from huey import crontab
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import AuthorKind, Conversation, ConversationStatus
from smarterchat.backend.services import distribution
from tasks.queue import huey


@huey.task(retries=3, retry_delay=2)
def distribute(organization_id: str) -> int:
    return len(distribution.distribute(uuid.UUID(organization_id)))


# A conversation joined the queue, or a consultant freed a slot.
_QUEUE_MOVES = ("handoff", "resolve", "transfer", "transfer_team", "return_to_ai", "reopen",
                "queued")


def on_conversation_changed(event: events.ConversationChanged) -> None:
    if event.action in _QUEUE_MOVES:
        distribute(str(event.organization_id))


def on_presence_changed(event: events.PresenceChanged) -> None:
    # Someone came online, or teams changed (a conversation's team may have someone now).
    if event.availability == "online" or event.teams_changed:
        distribute(str(event.organization_id))


@huey.periodic_task(crontab(minute="*"))
def presence_and_queue_sweep() -> None:
    """Consultants without a heartbeat go offline; every queue gets another look."""
    distribution.expire_presence()
    with session_scope() as session:
        orgs = session.exec(select(Conversation.organization_id).where(
            Conversation.status == ConversationStatus.WAITING_HUMAN).distinct()).all()
    for org_id in orgs:
        distribute(str(org_id))


def on_message_created(event: events.MessageCreated) -> None:
    # A conversation that starts (or resumes) waiting for a person joins the queue.
    if event.author_kind == AuthorKind.CONTACT and event.assignee_id is None and \
            event.conversation_status == ConversationStatus.WAITING_HUMAN:
        distribute(str(event.organization_id))
