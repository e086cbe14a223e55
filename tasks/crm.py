"""CRM background work: new qualified leads distributed, owners following conversations'
assignees, follow-up tasks falling due announced live."""

from __future__ import annotations

import uuid

from huey import crontab

from smarterchat.backend import events
from smarterchat.backend.services.crm import distribution
from smarterchat.backend.services.crm import tasks as lead_tasks
from tasks.queue import huey


@huey.task(retries=3, retry_delay=2)
def distribute_lead(lead_id: str) -> str:
    owner = distribution.assign_lead(uuid.UUID(lead_id))
    return str(owner or "")


@huey.task(retries=3, retry_delay=2)
def follow_assignee(conversation_id: str, assignee_id: str) -> bool:
    return distribution.follow_assignee(uuid.UUID(conversation_id), uuid.UUID(assignee_id))


@huey.periodic_task(crontab(minute="*"))
def announce_due_tasks() -> int:
    return lead_tasks.announce_due()


def on_lead_qualified(event: events.LeadEvent) -> None:
    """A lead nobody owns became warm or hot (or was created so): distribute it."""
    if event.owner_id is None and event.temperature in distribution.QUALIFIED:
        distribute_lead(str(event.lead_id))


def on_conversation_changed(event: events.ConversationChanged) -> None:
    if event.assignee_id is not None:
        follow_assignee(str(event.conversation_id), str(event.assignee_id))
