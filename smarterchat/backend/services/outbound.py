"""Outbound messages: create them (checking WhatsApp's 24-hour window) and deliver them.

``queue_message`` stores a pending message; the send task calls ``deliver`` which
talks to the provider and either records the provider's id, asks to be retried
later (timeouts, 429, 5xx, Meta's rate-limit codes), or marks the message failed
with the provider's reason.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from smarterchat.backend import events, observability
from smarterchat.backend.channels.base import OutboundContent, SendError
from smarterchat.backend.channels.registry import capabilities_for, provider_for
from smarterchat.backend.db import linked_row, session_scope
from smarterchat.backend.models import (
    AuthorKind,
    Channel,
    Contact,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import organizations
from smarterchat.backend.services.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
MAX_BACKOFF = 300.0


def window_closes_at(channel: Channel, conversation: Conversation) -> datetime | None:
    """When the channel's customer-service window closes (None: never opened, or the
    channel has no window)."""
    window = capabilities_for(channel.kind).service_window
    if window is None or conversation.last_inbound_at is None:
        return None
    return conversation.last_inbound_at + window


def window_open(channel: Channel, conversation: Conversation) -> bool:
    """Whether a free-form reply may go out now (a template always may)."""
    if capabilities_for(channel.kind).service_window is None:
        return True
    closes = window_closes_at(channel, conversation)
    return closes is not None and utcnow() < closes


def queue_message(session: Session, conversation: Conversation, content: OutboundContent, *,
                  author_kind: str, author_user_id: uuid.UUID | None = None,
                  extra: dict[str, Any] | None = None) -> Message:
    """Store an outbound message as pending. The caller commits, then enqueues the send."""
    channel = linked_row(session, Channel, conversation.channel_id)
    if not content.template_name and not window_open(channel, conversation):
        raise InvalidInput("whatsapp_window_closed")
    if content.template_name and not capabilities_for(channel.kind).templates:
        raise InvalidInput("templates_whatsapp_only")
    if not (content.text.strip() or content.media_key or content.template_name):
        raise InvalidInput("empty_message")
    data = dict(extra or {})
    if content.template_name:
        data["template"] = {"name": content.template_name,
                            "language": content.template_language,
                            "parameters": content.template_parameters}
    if content.filename:
        data["filename"] = content.filename
    message = Message(
        organization_id=conversation.organization_id, conversation_id=conversation.id,
        channel_id=channel.id, direction=Direction.OUTBOUND, author_kind=author_kind,
        author_user_id=author_user_id,
        content_type="template" if content.template_name else (content.media_type or "text"),
        text=content.text, delivery_status=DeliveryStatus.PENDING, extra=data,
        media_storage_key=content.media_key, media_mime=content.media_mime,
    )
    session.add(message)
    conversation.last_message_at = utcnow()
    session.add(conversation)
    session.flush()
    return message


@dataclass(frozen=True)
class Delivery:
    done: bool
    retry_in: float | None = None  # seconds, when the send should be tried again


def _content(message: Message) -> OutboundContent:
    template = message.extra.get("template") or {}
    media = message.media_storage_key
    return OutboundContent(
        text=message.text, media_key=media, media_mime=message.media_mime if media else None,
        media_type=message.content_type if media else None,
        filename=message.extra.get("filename") if media else None,
        template_name=template.get("name"), template_language=template.get("language"),
        template_parameters=list(template.get("parameters") or []))


def backoff(attempt: int, retry_after: float | None) -> float:
    if retry_after is not None:
        return min(max(retry_after, 0.5), MAX_BACKOFF)
    return min(2.0 ** attempt, MAX_BACKOFF)


@contextlib.contextmanager
def _claimed(message_id: uuid.UUID) -> Iterator[tuple[Session, Message | None]]:
    """The message, locked for this sender; None when gone or another worker is sending it.

    PostgreSQL: a row lock (SKIP LOCKED) held for the send, released if the worker dies.
    SQLite (embedded, one process): a set of ids being sent by this process.
    """
    with session_scope() as session:
        if session.get_bind().dialect.name == "postgresql":
            message = session.exec(select(Message).where(Message.id == message_id)
                                   .with_for_update(skip_locked=True)).first()
            yield session, message
            return
        with _in_flight_lock:
            if message_id in _in_flight:
                yield session, None
                return
            _in_flight.add(message_id)
        try:
            yield session, session.get(Message, message_id)
        finally:
            with _in_flight_lock:
                _in_flight.discard(message_id)


_in_flight: set[uuid.UUID] = set()
_in_flight_lock = threading.Lock()


def deliver(message_id: uuid.UUID, attempt: int = 0) -> Delivery:
    with _claimed(message_id) as (session, message):
        if message is None or message.delivery_status != DeliveryStatus.PENDING:
            return Delivery(done=True)  # sent already, being sent, or gone
        channel = linked_row(session, Channel, message.channel_id)
        conversation = linked_row(session, Conversation, message.conversation_id)
        contact = linked_row(session, Contact, conversation.contact_id)
        if not channel.is_active:
            return _fail(session, message, "channel_disabled", "The channel is disabled.")
        if not organizations.is_active(session, message.organization_id):
            return _fail(session, message, "organization_suspended",
                         "The organisation is suspended.")
        try:
            result = provider_for(channel.kind).send(channel, contact.external_id,
                                                     _content(message))
        except SendError as exc:
            if exc.retryable and attempt + 1 < MAX_ATTEMPTS:
                message.extra = {**message.extra, "attempts": attempt + 1,
                                 "last_error": str(exc)[:300]}
                session.add(message)
                log.warning("send failed, will retry", extra={
                    "message_id": str(message.id), "attempt": attempt + 1, "error": str(exc)})
                return Delivery(done=False, retry_in=backoff(attempt, exc.retry_after))
            return _fail(session, message, exc.code or "send_failed", str(exc))
        # A status webhook may already have moved it on; never move it back.
        if message.delivery_status == DeliveryStatus.PENDING:
            message.delivery_status = DeliveryStatus.SENT
        message.provider_message_id = result.provider_message_id
        message.sent_at = utcnow()
        message.extra = {k: v for k, v in message.extra.items() if k != "last_error"}
        session.add(message)
    events.emit(events.MessageStatusChanged.of(message))
    return Delivery(done=True)


def _fail(session: Session, message: Message, code: str, reason: str) -> Delivery:
    message.delivery_status = DeliveryStatus.FAILED
    message.error_code = code[:40]
    message.error_message = reason[:500]
    session.add(message)
    session.commit()
    log.warning("send gave up", extra={"message_id": str(message.id), "code": code})
    observability.OUTBOUND_FAILURES.labels(code[:40]).inc()
    events.emit(events.MessageStatusChanged.of(message))
    return Delivery(done=True)


def stale_pending(older_than: timedelta) -> list[uuid.UUID]:
    """Outbound messages still pending long after their send should have run."""
    with session_scope() as session:
        return list(session.exec(
            select(Message.id).where(Message.direction == Direction.OUTBOUND,
                                     Message.delivery_status == DeliveryStatus.PENDING,
                                     col(Message.is_private).is_(False),
                                     Message.created_at < utcnow() - older_than)
        ).all())


__all__ = ["AuthorKind", "Delivery", "deliver", "queue_message", "window_open"]
