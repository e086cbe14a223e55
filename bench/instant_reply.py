"""A consumer module for benchmarks: every inbound customer message gets an instant
reply, standing in for the AI so the figures are the pipeline's own cost.

Run as ``huey_consumer bench.instant_reply.huey``.
"""

from __future__ import annotations

import uuid

from smarterchat.backend import events
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Conversation, Message
from smarterchat.backend.services import outbound
from tasks import huey  # noqa: F401  (the consumer's entry point)
from tasks.channels import enqueue_send


def _reply(message_id: uuid.UUID, **_: object) -> None:
    with session_scope() as session:
        message = session.get(Message, message_id)
        if message is None or message.direction != "inbound":
            return
        conversation = session.get(Conversation, message.conversation_id)
        reply = outbound.queue_message(session, conversation, OutboundContent(text="ok"),
                                       author_kind="ai")
    enqueue_send(reply.id)


events.subscribe(events.MESSAGE_CREATED, _reply)
