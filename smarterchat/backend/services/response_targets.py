"""How long customers wait for a person, against the organisation's first-response target.

A customer waits for a person from the moment their conversation reaches people (the
handoff puts it in the queue: ``waiting_since``) or, once a consultant has it, from their
oldest message that nobody has answered since the last reply. The same start is used by
the reply (which counts a reply within or over the target) and by the scrape-time gauge
the alert watches (customers waiting over the target right now).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from smarterchat.backend.models import (
    AuthorKind,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Organization,
)
from smarterchat.backend.models.base import UTCDateTime, utcnow

WAITING_FOR_PEOPLE = (ConversationStatus.WAITING_HUMAN, ConversationStatus.HUMAN)


def _wait_start() -> sa.ColumnElement[datetime]:
    answer = aliased(Message)
    last_answer = (select(func.max(answer.created_at))
                   .where(answer.conversation_id == Conversation.id,
                          answer.direction == Direction.OUTBOUND,
                          col(answer.is_private).is_(False))
                   .correlate(Conversation)
                   .scalar_subquery())
    oldest_unanswered = (select(func.min(Message.created_at))
                         .where(Message.conversation_id == Conversation.id,
                                Message.author_kind == AuthorKind.CONTACT,
                                sa.or_(last_answer.is_(None), Message.created_at > last_answer))
                         .correlate(Conversation)
                         .scalar_subquery())
    start = sa.case((Conversation.status == ConversationStatus.WAITING_HUMAN,  # type: ignore[arg-type]
                     Conversation.waiting_since),
                    else_=oldest_unanswered)
    return sa.type_coerce(start, UTCDateTime)


def waiting_since(session: Session, conversation: Conversation) -> datetime | None:
    """When this conversation's customer started waiting for a person (None: nobody waits)."""
    if conversation.status not in WAITING_FOR_PEOPLE:
        return None
    return session.exec(select(_wait_start()).where(
        Conversation.id == conversation.id)).one()


def within_target(org: Organization, started: datetime, at: datetime | None = None) -> bool:
    return (at or utcnow()) - started <= timedelta(minutes=org.first_response_target_minutes)


def over_target_now(session: Session, at: datetime | None = None) -> tuple[int, float]:
    """Across organisations: how many customers wait for a person longer than their
    organisation's target, and the longest wait past a target, in seconds."""
    now = at or utcnow()
    rows = session.exec(
        select(_wait_start(), Organization.first_response_target_minutes)
        .join(Organization, col(Organization.id) == Conversation.organization_id)
        .where(col(Conversation.status).in_(WAITING_FOR_PEOPLE))).all()
    late = [(now - started - timedelta(minutes=target)).total_seconds()
            for started, target in rows if started is not None]
    late = [seconds for seconds in late if seconds > 0]
    return len(late), max(late, default=0.0)
