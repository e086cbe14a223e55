"""Every change of a conversation's state, in one place.

A conversation moves between the AI, the queue, a person and resolved (see
``models.conversations.ConversationStatus``). Each function here sets the whole set of
fields its move implies, so no caller resets some and forgets others, and writes the
thread's system line ("Ana took over") from the translation table. The functions do
not check roles (the calling service does, with the acting user) and do not commit: the
caller adds its audit line and commits, then emits the returned event.

What each move leaves alone, on purpose:
- ``team_id`` stays on every move but a team transfer: a conversation of "Vendas" that
  goes back to the AI and is handed over again still belongs to "Vendas".
- ``assignee_id`` stays on resolve: reports say who resolved it.
- ``handoff_reason`` says why it last went to a person; only the AI's handoff sets it,
  and returning it to the AI clears it.
- ``waiting_notice_at`` (the customer was told nobody is free) stays on resolve only: every
  other move starts a new wait or ends one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from smarterchat.backend.events import ConversationChanged
from smarterchat.backend.models import (
    AuthorKind,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.i18n import DEFAULT_LOCALE, TABLE, translate


class Move(StrEnum):
    """The ``action`` of the event and the ``event`` of the thread line."""

    TAKE_OVER = "take_over"
    AUTO_ASSIGN = "auto_assign"
    TRANSFER = "transfer"
    TRANSFER_TEAM = "transfer_team"
    RETURN_TO_AI = "return_to_ai"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CUSTOMER_REOPEN = "customer_reopen"
    HANDOFF = "handoff"


@dataclass(frozen=True)
class Person:
    """Who acts or receives: the id and the name the thread line shows."""

    id: uuid.UUID
    name: str


def _line(session: Session, conversation: Conversation, move: Move, by: Person | None,
          **detail: str) -> None:
    """A system line in the thread, never sent to the customer. ``text`` keeps the default
    language's wording; ``event`` and ``detail`` let a page say it in the reader's."""
    words = {"name": by.name if by else "", "to": detail.get("to_name", ""),
             "reason": handoff_reason_text(detail.get("reason"), DEFAULT_LOCALE)}
    session.add(Message(organization_id=conversation.organization_id,
                        conversation_id=conversation.id, channel_id=conversation.channel_id,
                        direction=Direction.OUTBOUND, author_kind=AuthorKind.SYSTEM,
                        author_user_id=by.id if by else None, is_private=True,
                        delivery_status=DeliveryStatus.SENT, content_type="event",
                        text=translate(f"event.{move}", DEFAULT_LOCALE, **words),
                        extra={"event": str(move), **detail}))


def handoff_reason_text(reason: str | None, locale: str | None) -> str:
    """Why a conversation went to a person, in words; an unknown reason as it is."""
    if not reason:
        return ""
    key = f"handoff_reason.{reason}"
    return translate(key, locale) if key in TABLE else reason


def _with_a_person(conversation: Conversation, person: Person) -> None:
    conversation.status = ConversationStatus.HUMAN
    conversation.assignee_id = person.id
    conversation.waiting_since = None
    conversation.waiting_notice_at = None
    conversation.resolved_at = None


def _done(session: Session, conversation: Conversation, move: Move) -> ConversationChanged:
    session.add(conversation)
    return ConversationChanged.of(conversation, move)


def take_over(session: Session, conversation: Conversation, by: Person) -> ConversationChanged:
    """A consultant takes it (from the AI, the queue or a colleague): it is theirs now."""
    _with_a_person(conversation, by)
    _line(session, conversation, Move.TAKE_OVER, by)
    return _done(session, conversation, Move.TAKE_OVER)


def auto_assign(session: Session, conversation: Conversation,
                to: Person) -> ConversationChanged:
    """Distribution gives a waiting conversation to a free consultant."""
    _with_a_person(conversation, to)
    _line(session, conversation, Move.AUTO_ASSIGN, None, to_name=to.name)
    return _done(session, conversation, Move.AUTO_ASSIGN)


def transfer(session: Session, conversation: Conversation, by: Person,
             to: Person) -> ConversationChanged:
    """Someone hands it to a named person, who has it at once."""
    _with_a_person(conversation, to)
    _line(session, conversation, Move.TRANSFER, by, to_name=to.name)
    return _done(session, conversation, Move.TRANSFER)


def transfer_to_team(session: Session, conversation: Conversation, by: Person,
                     team_id: uuid.UUID, team_name: str) -> ConversationChanged:
    """Back to the queue for that team only; it waits from now."""
    conversation.status = ConversationStatus.WAITING_HUMAN
    conversation.team_id = team_id
    conversation.assignee_id = None
    conversation.waiting_since = utcnow()
    conversation.waiting_notice_at = None
    conversation.resolved_at = None
    _line(session, conversation, Move.TRANSFER_TEAM, by, to_name=team_name)
    return _done(session, conversation, Move.TRANSFER_TEAM)


def return_to_ai(session: Session, conversation: Conversation, by: Person,
                 agent_id: uuid.UUID) -> ConversationChanged:
    """The AI answers again, from the next customer message on (not from what the person
    already answered)."""
    conversation.status = ConversationStatus.BOT
    conversation.agent_id = agent_id
    conversation.assignee_id = None
    conversation.waiting_since = None
    conversation.resolved_at = None
    conversation.handoff_reason = None
    conversation.waiting_notice_at = None
    conversation.ai_cursor_at = utcnow()
    _line(session, conversation, Move.RETURN_TO_AI, by)
    return _done(session, conversation, Move.RETURN_TO_AI)


def resolve(session: Session, conversation: Conversation, by: Person) -> ConversationChanged:
    conversation.status = ConversationStatus.RESOLVED
    conversation.resolved_at = utcnow()
    conversation.waiting_since = None
    conversation.unread_count = 0
    _line(session, conversation, Move.RESOLVE, by)
    return _done(session, conversation, Move.RESOLVE)


def reopen(session: Session, conversation: Conversation, by: Person) -> ConversationChanged:
    """A resolved conversation is opened again by a person, who has it."""
    _with_a_person(conversation, by)
    _line(session, conversation, Move.REOPEN, by)
    return _done(session, conversation, Move.REOPEN)


def customer_reopen(session: Session, conversation: Conversation) -> ConversationChanged:
    """The customer writes again soon after resolve (the organisation's reopen window): the
    same conversation goes on, with the person who resolved it, or else the AI (or the queue
    on a channel without one). The survey stays as answered."""
    conversation.resolved_at = None
    conversation.waiting_notice_at = None
    if conversation.assignee_id is not None:
        conversation.status = ConversationStatus.HUMAN
    elif conversation.agent_id is not None:
        conversation.status = ConversationStatus.BOT
        conversation.ai_cursor_at = utcnow()
    else:
        conversation.status = ConversationStatus.WAITING_HUMAN
        conversation.waiting_since = utcnow()
    _line(session, conversation, Move.CUSTOMER_REOPEN, None)
    return _done(session, conversation, Move.CUSTOMER_REOPEN)


def hand_to_human(session: Session, conversation: Conversation, reason: str,
                  *, at: datetime | None = None) -> ConversationChanged:
    """The AI hands it over (``reason`` as in ``handoff_reason.*``): it waits for a person."""
    conversation.status = ConversationStatus.WAITING_HUMAN
    conversation.assignee_id = None
    conversation.waiting_since = at or utcnow()
    conversation.waiting_notice_at = None
    conversation.resolved_at = None
    conversation.handoff_reason = reason
    _line(session, conversation, Move.HANDOFF, None, reason=reason)
    return _done(session, conversation, Move.HANDOFF)
