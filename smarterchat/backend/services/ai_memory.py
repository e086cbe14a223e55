"""The AI's long-term memory of a customer: a running summary folded in when a
conversation ends, read back in the customer's next conversations."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from smarterchat.backend.ai import llm, prompts
from smarterchat.backend.ai.llm import LLMError
from smarterchat.backend.db import linked_row, session_scope
from smarterchat.backend.models import AuthorKind, Contact, Conversation, Message, Organization
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.ai_usage import record_usage

SUMMARY_CHARS = 1200


def summarise_conversation(conversation_id: uuid.UUID) -> str:
    """When a conversation ends, fold it into the contact's running summary, which the AI
    reads back ("what we know about this customer") in the customer's next conversations.
    With a model: the model writes it. Offline: the facts and the customer's last request."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return ""
        org = linked_row(session, Organization, conversation.organization_id)
        if not org.is_active:  # suspended: no AI work
            return ""
        contact = linked_row(session, Contact, conversation.contact_id)
        rows = session.exec(select(Message).where(
            Message.conversation_id == conversation.id, col(Message.is_private).is_(False),
            Message.author_kind != AuthorKind.SYSTEM)
            .order_by(col(Message.created_at).desc()).limit(40)).all()
        rows = rows[::-1]
        previous = contact.summary
        config = llm.config_for(org.openai_api_key, org.openai_base_url, org.openai_model)
        history = "\n".join(
            f"{'Cliente' if m.author_kind == AuthorKind.CONTACT else 'Equipe'}: {m.text}"
            for m in rows if m.text)
        customer = [m.text for m in rows if m.author_kind == AuthorKind.CONTACT and m.text]
        facts = dict(contact.facts or {})
    if not history:
        return previous
    summary = ""
    if config is not None:
        try:
            summary, usage = llm.Chat(config).text([{"role": "user", "content": prompts.render(
                "summary", organization=org.name, previous=previous or "(vazio)",
                history=history)}], temperature=0.2, max_tokens=200)
            with session_scope() as session:
                record_usage(session, org.id, None, conversation_id, "summary", [usage])
        except LLMError:
            summary = ""
    if not summary:  # offline, or the model failed: a plain record instead
        when = utcnow().strftime("%d/%m/%Y")
        known = ", ".join(f"{k}: {v}" for k, v in facts.items())
        last = customer[-1][:200] if customer else ""
        summary = " ".join(filter(None, [previous, f"Conversa de {when}: pediu \"{last}\"."
                                         if last else "", f"Dados: {known}." if known else ""]))
    summary = summary.strip()[-SUMMARY_CHARS:]
    with session_scope() as session:
        contact = linked_row(session, Contact, contact.id)
        contact.summary = summary
        session.add(contact)
    return summary
