"""CRM background work: follow-up tasks falling due are announced live."""

from __future__ import annotations

from huey import crontab

from smarterchat.backend.services.crm import tasks as lead_tasks
from tasks.queue import huey


@huey.periodic_task(crontab(minute="*"))
def announce_due_tasks() -> int:
    return lead_tasks.announce_due()
