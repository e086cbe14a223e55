"""One lead as its page shows it: the contact, the extracted fields with the message each
came from, the timeline (conversations, stage moves, temperature changes quoting the
customer, notes), and the follow-up tasks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from smarterchat.backend.db import linked_row
from smarterchat.backend.models import (
    Channel,
    Contact,
    Conversation,
    Lead,
    LeadActivity,
    LeadTask,
    Message,
    PipelineStage,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm.access import lead_of
from smarterchat.backend.services.crm.actions import FIELDS
from smarterchat.backend.services.errors import RecordId

TIMELINE_MAX = 200


@dataclass(frozen=True)
class FieldInfo:
    name: str
    value: str
    source_text: str = ""  # the customer's message it was read from ("" typed by a person)
    source_at: datetime | None = None


@dataclass(frozen=True)
class TimelineLine:
    kind: str  # conversation, created, stage, temperature, owner, value, field, note, merge
    at: datetime
    who: str
    text: str = ""
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskInfo:
    id: str
    title: str
    due_at: datetime
    done: bool
    overdue: bool
    assignee: str
    lead_id: str = ""
    lead_name: str = ""


@dataclass(frozen=True)
class LeadDetail:
    id: str
    name: str
    phone: str
    email: str
    channel_kind: str
    stage_id: str
    stage_name: str
    stages: list[tuple[str, str, str]]  # id, name, kind of the lead's pipeline
    temperature: str
    temperature_reason: str
    value_cents: int | None
    owner_id: str
    owner_name: str
    lost_reason: str
    conversation_id: str
    fields: list[FieldInfo]
    timeline: list[TimelineLine]
    tasks: list[TaskInfo]


def lead_detail(session: Session, actor: Actor, lead_id: RecordId) -> LeadDetail:
    lead = lead_of(session, actor, lead_id)
    contact = linked_row(session, Contact, lead.contact_id)
    channel = linked_row(session, Channel, contact.channel_id)
    stage = linked_row(session, PipelineStage, lead.stage_id)
    stages = session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == lead.pipeline_id)
                          .order_by(col(PipelineStage.position))).all()
    owner = session.get(User, lead.owner_id) if lead.owner_id else None
    family = [lead.id, *session.exec(select(Lead.id).where(Lead.merged_into_id == lead.id)).all()]
    contacts = [contact.id, *session.exec(select(Lead.contact_id)
                                          .where(Lead.merged_into_id == lead.id)).all()]
    conversations = list(session.exec(select(Conversation).where(
        col(Conversation.contact_id).in_(contacts),
        Conversation.organization_id == lead.organization_id)
        .order_by(col(Conversation.created_at).desc()).limit(50)).all())
    return LeadDetail(
        id=str(lead.id), name=str((lead.fields or {}).get("name") or contact.name
                                  or contact.phone or ""),
        phone=contact.phone or "", email=contact.email or "", channel_kind=channel.kind,
        stage_id=str(stage.id), stage_name=stage.name,
        stages=[(str(s.id), s.name, s.kind) for s in stages], temperature=lead.temperature,
        temperature_reason=lead.temperature_reason, value_cents=lead.value_cents,
        owner_id=str(lead.owner_id or ""), owner_name=owner.name if owner else "",
        lost_reason=lead.lost_reason or "",
        conversation_id=str(conversations[0].id) if conversations else "",
        fields=_fields(session, lead.organization_id, lead.fields or {}, lead.field_sources or {}),
        timeline=_timeline(session, family, conversations),
        tasks=tasks_of(session, lead.organization_id, family))


def _fields(session: Session, org_id: uuid.UUID, values: dict[str, Any],
            sources: dict[str, Any]) -> list[FieldInfo]:
    ids = {uuid.UUID(str(v)) for v in sources.values() if v}
    messages = {m.id: m for m in session.exec(select(Message).where(
        col(Message.id).in_(ids), Message.organization_id == org_id)).all()} if ids else {}
    out = []
    for name in FIELDS:
        source = messages.get(uuid.UUID(str(sources[name]))) if sources.get(name) else None
        out.append(FieldInfo(name=name, value=str(values.get(name) or ""),
                             source_text=(source.text or "") if source else "",
                             source_at=source.created_at if source else None))
    return out


def _timeline(session: Session, lead_ids: list[uuid.UUID],
              conversations: list[Conversation]) -> list[TimelineLine]:
    rows = session.exec(select(LeadActivity, User.name)
                        .outerjoin(User, col(User.id) == LeadActivity.actor_user_id)
                        .where(col(LeadActivity.lead_id).in_(lead_ids))
                        .order_by(col(LeadActivity.created_at).desc())
                        .limit(TIMELINE_MAX)).all()
    lines = [TimelineLine(kind=a.kind, at=a.created_at, who=who or "", text=a.text,
                          data={k: "" if v is None else str(v) for k, v in (a.data or {}).items()})
             for a, who in rows]
    lines += [TimelineLine(kind="conversation", at=c.created_at, who="",
                           data={"id": str(c.id), "status": c.status}) for c in conversations]
    return sorted(lines, key=lambda line: line.at, reverse=True)[:TIMELINE_MAX]


def tasks_of(session: Session, org_id: uuid.UUID, lead_ids: list[uuid.UUID]) -> list[TaskInfo]:
    rows = session.exec(select(LeadTask, User.name)
                        .outerjoin(User, col(User.id) == LeadTask.assignee_id)
                        .where(LeadTask.organization_id == org_id,
                               col(LeadTask.lead_id).in_(lead_ids))
                        .order_by(col(LeadTask.done_at).is_not(None), col(LeadTask.due_at))
                        .limit(100)).all()
    now = utcnow()
    return [TaskInfo(id=str(task.id), title=task.title, due_at=task.due_at,
                     done=task.done_at is not None,
                     overdue=task.done_at is None and task.due_at < now,
                     assignee=name or "", lead_id=str(task.lead_id)) for task, name in rows]
