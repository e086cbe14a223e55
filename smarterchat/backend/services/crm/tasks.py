"""Follow-up tasks on leads ("ligar amanhã às 10h"): created on the lead's page, listed on
the consultant's home page when due, announced live when they fall due."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from smarterchat.backend import events
from smarterchat.backend.models import Contact, Lead, LeadTask, Membership
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm.access import lead_of
from smarterchat.backend.services.crm.changes import audited, timeline, touch
from smarterchat.backend.services.crm.lead_page import TaskInfo
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id

TITLE_MAX = 200
HORIZON = timedelta(days=366 * 2)


def add_task(session: Session, actor: Actor, lead_id: RecordId, title: str, due_at: datetime,
             assignee_id: RecordId | None = None) -> str:
    """A follow-up for the actor (or, for managers, someone else of the organisation)."""
    actor.require(Permission.CRM_WORK)
    lead = lead_of(session, actor, lead_id)
    title = " ".join(str(title or "").split())
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput("invalid_task_title", field="title", max=TITLE_MAX)
    if due_at.tzinfo is None or not utcnow() - HORIZON < due_at < utcnow() + HORIZON:
        raise InvalidInput("invalid_task_due", field="due_at")
    assignee = parse_id(assignee_id) if assignee_id else actor.user_id
    if assignee != actor.user_id:
        actor.require(Permission.CRM_MANAGE)
        if session.exec(select(Membership.id).where(
                Membership.organization_id == lead.organization_id,
                Membership.user_id == assignee, Membership.is_active)).first() is None:
            raise InvalidInput("owner_not_member", field="assignee")
    task = LeadTask(organization_id=lead.organization_id, lead_id=lead.id, title=title,
                    due_at=due_at, assignee_id=assignee, created_by_id=actor.user_id)
    session.add(task)
    timeline(session, lead, "task", actor, text=title, due_at=due_at.isoformat())
    audited(session, actor, "task_added", lead, title=title)
    touch(session, lead)
    session.commit()
    return str(task.id)


def complete_task(session: Session, actor: Actor, task_id: RecordId, done: bool = True) -> None:
    actor.require(Permission.CRM_WORK)
    task = session.exec(select(LeadTask).where(LeadTask.id == parse_id(task_id),
                                               LeadTask.organization_id == actor.require_org())
                        ).first()
    if task is None:
        raise NotFound()
    lead = lead_of(session, actor, task.lead_id)  # tasks of leads one cannot see do not exist
    task.done_at = utcnow() if done else None
    session.add(task)
    audited(session, actor, "task_done" if done else "task_reopened", lead, title=task.title)
    session.commit()


def my_due_tasks(session: Session, actor: Actor, *, within: timedelta = timedelta(days=1),
                 limit: int = 20) -> list[TaskInfo]:
    """The actor's open tasks due by tomorrow, overdue first (the home page's list)."""
    actor.require(Permission.CRM_VIEW)
    org_id = actor.require_org()
    now = utcnow()
    rows = session.exec(select(LeadTask, Lead, Contact.name)
                        .join(Lead, col(Lead.id) == LeadTask.lead_id)
                        .join(Contact, col(Contact.id) == Lead.contact_id)
                        .where(LeadTask.organization_id == org_id,
                               LeadTask.assignee_id == actor.user_id,
                               col(LeadTask.done_at).is_(None),
                               col(LeadTask.due_at) <= now + within)
                        .order_by(col(LeadTask.due_at)).limit(limit)).all()
    return [TaskInfo(id=str(task.id), title=task.title, due_at=task.due_at, done=False,
                     overdue=task.due_at < now, assignee=actor.name, lead_id=str(lead.id),
                     lead_name=str((lead.fields or {}).get("name") or name or ""))
            for task, lead, name in rows]


def whoami(session: Session, actor: Actor) -> tuple[str, str]:
    """The organisation and the person whose due tasks a page follows."""
    actor.require(Permission.CRM_VIEW)
    return str(actor.require_org()), str(actor.user_id)


def announce_due(now: datetime | None = None) -> int:
    """Mark tasks that fell due as announced and emit one ``TaskDue`` each (the periodic
    task calls this every minute); a task is announced once, whichever worker runs it."""
    from smarterchat.backend.db import session_scope

    now = now or utcnow()
    with session_scope() as session:
        due = session.exec(select(LeadTask).where(col(LeadTask.done_at).is_(None),
                                                  col(LeadTask.notified_at).is_(None),
                                                  col(LeadTask.due_at) <= now)
                           .limit(500)).all()
        claimed: list[LeadTask] = []
        for task in due:
            # Claimed with a conditional UPDATE: two workers never announce one task twice.
            result = session.execute(update(LeadTask).where(
                col(LeadTask.id) == task.id, col(LeadTask.notified_at).is_(None))
                .values(notified_at=now))
            if getattr(result, "rowcount", 0) == 1:
                claimed.append(task)
        session.commit()
    for task in claimed:
        events.emit(events.TaskDue(organization_id=task.organization_id, task_id=task.id,
                                   lead_id=task.lead_id, assignee_id=task.assignee_id,
                                   title=task.title))
    return len(claimed)
