"""What the AI reads before it answers: the history within the token budget, the customer
messages it has not answered yet, what is known about the customer, the knowledge."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from smarterchat.backend.ai.brain import AgentConfig, Context, Turn
from smarterchat.backend.channels.registry import capabilities_for
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import AuthorKind, Channel, Contact, Conversation, Message
from smarterchat.backend.services import agents


def _approx_tokens(text: str) -> int:
    return len(text) // 4 + 1


def build_context(session: Session, conversation: Conversation, agent: AgentConfig,
                  channel: Channel) -> tuple[Context, list[Message]]:
    """History within the token budget, the unanswered customer messages, memory, knowledge."""
    budget = get_settings().ai_history_tokens
    rows = session.exec(
        select(Message).where(Message.conversation_id == conversation.id,
                              col(Message.is_private).is_(False))
        .order_by(col(Message.created_at).desc()).limit(60)).all()
    rows = rows[::-1]
    cursor = conversation.ai_cursor_at
    pending = [m for m in rows if m.author_kind == AuthorKind.CONTACT
               and (cursor is None or m.created_at > cursor) and m.text.strip()]
    earlier = [m for m in rows if m not in pending and m.author_kind != AuthorKind.SYSTEM
               and m.text.strip()]
    history: list[Turn] = []
    used = 0
    for m in reversed(earlier):  # newest first until the budget is spent
        used += _approx_tokens(m.text)
        if used > budget:
            break
        ai = (m.extra or {}).get("ai") or {}
        history.insert(0, Turn("customer" if m.author_kind == AuthorKind.CONTACT else "assistant",
                               m.text, fallback=bool(ai.get("fallback"))))
    contact = linked_row(session, Contact, conversation.contact_id)
    memory = "\n".join(filter(None, [contact.name and f"Name: {contact.name}", contact.summary,
                                     *(f"{k}: {v}" for k, v in (contact.facts or {}).items())]))
    customer_texts = [m.text for m in rows if m.author_kind == AuthorKind.CONTACT and m.text]
    ctx = Context(agent=agent, history=history,
                  question="\n".join(m.text for m in pending), customer_texts=customer_texts,
                  passages=agents.passages(session, uuid.UUID(agent.id)), memory=memory,
                  channel=capabilities_for(channel.kind).display_name,
                  first_turn=not any(m.author_kind == AuthorKind.AI for m in rows))
    return ctx, pending
