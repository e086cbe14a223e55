"""Reading an uploaded document into the agent's knowledge: chunks, and embeddings when
the organisation's provider makes them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from smarterchat.backend.ai import knowledge, llm
from smarterchat.backend.ai.llm import LLMError
from smarterchat.backend.ai.types import Usage
from smarterchat.backend.db import linked_row, session_scope
from smarterchat.backend.models import KnowledgeChunk, KnowledgeItem, KnowledgeStatus, Organization
from smarterchat.backend.services.ai_usage import record_usage


def process_document(item_id: uuid.UUID, *, batch: int = 16) -> None:
    """Split an uploaded document into chunks and embed them when the provider can,
    keeping ``progress`` up to date for the page that shows it."""
    with session_scope() as session:
        item = session.get(KnowledgeItem, item_id)
        if item is None or item.status != KnowledgeStatus.PROCESSING:
            return
        org = linked_row(session, Organization, item.organization_id)
        chunks = knowledge.split(item.content)
        config = llm.config_for(org.openai_api_key, org.openai_base_url, org.openai_model)
        item.progress = 5
        session.add(item)
    chat = llm.Chat(config) if config else None
    try:
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            vectors: Sequence[list[float] | None] = [None] * len(part)
            usages: list[Usage] = []
            if chat is not None:
                vectors, usage = chat.embed(part)
                usages.append(usage)
            with session_scope() as session:
                for offset, (text, vector) in enumerate(zip(part, vectors, strict=True)):
                    session.add(KnowledgeChunk(organization_id=org.id, agent_id=item.agent_id,
                                               item_id=item.id, position=start + offset,
                                               text=text, embedding=vector))
                record_usage(session, org.id, item.agent_id, None, "embed", usages)
                row = linked_row(session, KnowledgeItem, item.id)
                row.progress = min(99, 5 + int(95 * (start + len(part)) / max(1, len(chunks))))
                session.add(row)
        status, error = KnowledgeStatus.READY, None
    except LLMError as exc:
        status, error = KnowledgeStatus.FAILED, f"embeddings failed: {exc}"[:500]
    with session_scope() as session:
        row = linked_row(session, KnowledgeItem, item.id)
        row.status, row.error = status, error
        row.progress = 100 if status == KnowledgeStatus.READY else row.progress
        session.add(row)
