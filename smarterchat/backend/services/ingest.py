"""Inbound pipeline: raw webhook body -> stored event -> contact, conversation, message.

The webhook route only stores the raw body (``store_event``) and enqueues; a task
calls ``process_pending`` for the channel, which turns stored events into records in
the order they were received. Each customer message is stored once: the database's
unique (channel_id, provider_message_id) settles duplicate and concurrent deliveries.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from smarterchat.backend import events, storage
from smarterchat.backend.channels.base import (
    InboundMessage,
    MessageDeleted,
    ProviderNotice,
    SendError,
    StatusUpdate,
    WrongAccount,
)
from smarterchat.backend.channels.registry import provider_for
from smarterchat.backend.db import get_engine, linked_row, session_scope
from smarterchat.backend.models import (
    DELIVERY_RANK,
    AuthorKind,
    Channel,
    Contact,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    InboundEvent,
    InboundEventStatus,
    Message,
)
from smarterchat.backend.models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a body that fails this often is set aside as poison
# A status may arrive before the send that created its message id is recorded; such an
# event waits (stays pending) for this long before it is given up as unknown.
STATUS_GRACE = timedelta(minutes=10)


def store_event(organization_id: uuid.UUID, channel_id: uuid.UUID, body: bytes) -> uuid.UUID:
    """Keep the raw body durably before the webhook is answered."""
    with session_scope() as session:
        event = InboundEvent(organization_id=organization_id, channel_id=channel_id,
                             body=body.decode("utf-8"))
        session.add(event)
    return event.id


@dataclass
class Outcome:
    created: list[uuid.UUID] = field(default_factory=list)  # new message ids
    statuses: list[uuid.UUID] = field(default_factory=list)  # messages whose status moved
    deferred: bool = False
    # Announced after the commit, built from the rows this pass already holds.
    notices: list[events.Event] = field(default_factory=list)


# ------------------------------------------------------------------ builders

def find_or_create_contact(session: Session, channel: Channel, external_id: str, *,
                           name: str | None = None, phone: str | None = None) -> Contact:
    contact = session.exec(select(Contact).where(Contact.channel_id == channel.id,
                                                 Contact.external_id == external_id)).first()
    if contact is None:
        contact = Contact(organization_id=channel.organization_id, channel_id=channel.id,
                          external_id=external_id, name=name, phone=phone)
        try:
            with session.begin_nested():
                session.add(contact)
        except IntegrityError:  # created meanwhile by another worker
            contact = session.exec(select(Contact).where(
                Contact.channel_id == channel.id, Contact.external_id == external_id)).one()
    elif name and contact.name != name:
        contact.name = name
    contact.last_seen_at = utcnow()
    session.add(contact)
    return contact


def open_conversation(session: Session, channel: Channel, contact: Contact) -> Conversation:
    """The contact's open conversation on this channel; a new one after resolution."""
    conversation = session.exec(
        select(Conversation)
        .where(Conversation.contact_id == contact.id, Conversation.channel_id == channel.id,
               Conversation.status != ConversationStatus.RESOLVED)
        .order_by(col(Conversation.created_at).desc())
    ).first()
    if conversation is None:
        # A channel without an AI agent is served by people from the first message.
        status = ConversationStatus.BOT if channel.agent_id else ConversationStatus.WAITING_HUMAN
        conversation = Conversation(organization_id=channel.organization_id,
                                    channel_id=channel.id, contact_id=contact.id,
                                    agent_id=channel.agent_id, status=status,
                                    waiting_since=None if channel.agent_id else utcnow())
        session.add(conversation)
        session.flush()
    return conversation


def add_inbound_message(session: Session, channel: Channel, msg: InboundMessage) -> Message | None:
    """Store one message; None when it was stored before (a re-delivery)."""
    if session.exec(select(Message.id).where(
            Message.channel_id == channel.id,
            Message.provider_message_id == msg.provider_message_id)).first():
        return None
    contact = find_or_create_contact(session, channel, msg.contact_external_id,
                                     name=None if msg.is_echo else msg.contact_name,
                                     phone=msg.contact_phone)
    conversation = open_conversation(session, channel, contact)
    now = utcnow()
    extra = dict(msg.extra)
    if msg.media_ref:
        extra["media_ref"] = msg.media_ref
    message = Message(
        organization_id=channel.organization_id, conversation_id=conversation.id,
        channel_id=channel.id,
        direction=Direction.OUTBOUND if msg.is_echo else Direction.INBOUND,
        # An echo was written by someone of the business in Instagram's own app.
        author_kind=AuthorKind.CONSULTANT if msg.is_echo else AuthorKind.CONTACT,
        content_type=msg.content_type, text=msg.text, media_mime=msg.media_mime,
        provider_message_id=msg.provider_message_id,
        delivery_status=DeliveryStatus.SENT if msg.is_echo else DeliveryStatus.RECEIVED,
        extra=extra, created_at=now, sent_at=msg.timestamp if msg.is_echo else None,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None  # the same delivery, stored by a concurrent worker a moment ago
    conversation.last_message_at = now
    if not msg.is_echo:
        conversation.last_inbound_at = now
        conversation.unread_count += 1
    session.add(conversation)
    return message


def apply_status(session: Session, channel: Channel, update: StatusUpdate) -> uuid.UUID | None:
    """Move a message's delivery status forward only; the message's id, None when unknown."""
    message = session.exec(select(Message).where(
        Message.channel_id == channel.id,
        Message.provider_message_id == update.provider_message_id)).first()
    if message is None:
        return None
    current, new = message.delivery_status, update.status
    if new not in DELIVERY_RANK:
        return message.id
    when = update.timestamp or utcnow()
    if new == DeliveryStatus.FAILED:
        if current in (DeliveryStatus.PENDING, DeliveryStatus.SENT):
            message.delivery_status = new
            message.error_code, message.error_message = update.error_code, update.error_message
    elif DELIVERY_RANK[new] > DELIVERY_RANK.get(current, 0) and current != DeliveryStatus.FAILED:
        message.delivery_status = new
    # Timestamps are kept even when a later status already arrived.
    stamp = {"sent": "sent_at", "delivered": "delivered_at", "read": "read_at"}.get(new)
    if stamp and getattr(message, stamp) is None:
        setattr(message, stamp, when)
    session.add(message)
    return message.id


# ------------------------------------------------------------------ processing

@contextlib.contextmanager
def channel_lock(channel_id: uuid.UUID) -> Iterator[None]:
    """One worker at a time processes a channel, so a conversation's events keep their order.

    PostgreSQL: a session advisory lock, released by the database if the worker dies.
    SQLite (the embedded default, one process): a lock of this process.
    """
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        with _local_locks[channel_id]:
            yield
        return
    key = int.from_bytes(channel_id.bytes[:8], "big", signed=True)
    with engine.connect() as conn:
        conn.execute(text("SET lock_timeout = '30s'"))
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


_local_locks: defaultdict[uuid.UUID, threading.Lock] = defaultdict(threading.Lock)


def process_pending(channel_id: uuid.UUID, *, limit: int = 500) -> int:
    """Process the channel's pending events oldest first, holding the channel's lock."""
    with channel_lock(channel_id):
        return _drain(channel_id, limit)


def _drain(channel_id: uuid.UUID, limit: int) -> int:
    with session_scope() as session:
        ids = session.exec(
            select(InboundEvent.id)
            .where(InboundEvent.channel_id == channel_id,
                   InboundEvent.status == InboundEventStatus.PENDING)
            .order_by(col(InboundEvent.received_at), col(InboundEvent.id)).limit(limit)
        ).all()
    done = 0
    for event_id in ids:
        process_event(event_id)
        done += 1
    return done


def process_event(event_id: uuid.UUID) -> Outcome:
    outcome = Outcome()
    try:
        with session_scope() as session:
            event = session.get(InboundEvent, event_id)
            if event is None or event.status != InboundEventStatus.PENDING:
                return outcome
            channel = linked_row(session, Channel, event.channel_id)
            provider = provider_for(channel.kind)
            try:
                parsed = provider.parse(channel, json.loads(event.body))
            except WrongAccount as exc:
                log.warning("webhook for another account ignored", extra={
                    "channel_id": str(channel.id), "reason": str(exc)})
                event.status, event.error = InboundEventStatus.IGNORED, str(exc)
                event.processed_at = utcnow()
                session.add(event)
                return outcome
            notes = []
            only_statuses = all(isinstance(item, StatusUpdate) for item in parsed)
            for item in parsed:
                if isinstance(item, InboundMessage):
                    if not item.provider_message_id or not item.contact_external_id:
                        notes.append("message without id skipped")
                        continue
                    message = add_inbound_message(session, channel, item)
                    if message is not None:
                        outcome.created.append(message.id)
                        outcome.notices.append(events.MessageCreated.of_rows(
                            message, session.get(Conversation, message.conversation_id),
                            channel.kind))
                elif isinstance(item, StatusUpdate):
                    updated = apply_status(session, channel, item)
                    if updated is not None:
                        outcome.statuses.append(updated)
                    else:
                        if only_statuses and utcnow() - event.received_at < STATUS_GRACE:
                            outcome.deferred = True
                        else:
                            notes.append(
                                f"status for unknown message {item.provider_message_id}")
                elif isinstance(item, MessageDeleted):
                    _mark_deleted(session, channel, item.provider_message_id)
                elif isinstance(item, ProviderNotice):
                    if item.kind == "error":
                        log.warning("provider error notification", extra={
                            "channel_id": str(channel.id), "detail": item.detail})
                    notes.append(item.kind)
            if outcome.deferred:
                # A status overtook the send that records its message id: keep the event
                # pending and apply it again on the next pass (statuses never move back).
                session.rollback()
                return outcome
            outcome.notices += [events.MessageStatusChanged.of(session.get(Message, moved))
                                for moved in dict.fromkeys(outcome.statuses)]
            event.status = InboundEventStatus.PROCESSED
            event.processed_at = utcnow()
            event.error = "; ".join(notes)[:2000] or None
            session.add(event)
    except Exception as exc:
        log.exception("inbound event failed", extra={"event_id": str(event_id)})
        _count_failure(event_id, exc)
        return Outcome()
    for notice in outcome.notices:
        events.emit(notice)
    return outcome


def _mark_deleted(session: Session, channel: Channel, provider_message_id: str) -> None:
    message = session.exec(select(Message).where(
        Message.channel_id == channel.id,
        Message.provider_message_id == provider_message_id)).first()
    if message is not None:
        # The customer withdrew it: keep the row for the thread's shape, drop the content.
        message.text = ""
        message.extra = {**message.extra, "deleted": True}
        session.add(message)


def _count_failure(event_id: uuid.UUID, exc: Exception) -> None:
    with session_scope() as session:
        event = session.get(InboundEvent, event_id)
        if event is None:
            return
        event.attempts += 1
        event.error = f"{type(exc).__name__}: {exc}"[:2000]
        if event.attempts >= MAX_ATTEMPTS:
            event.status = InboundEventStatus.FAILED
        session.add(event)


def fetch_media_if_any(message_id: uuid.UUID) -> bool:
    """Download an inbound message's media into storage; False when it must be tried again."""
    with session_scope() as session:
        message = session.get(Message, message_id)
        ref = message.extra.get("media_ref") if message else None
        if message is None or not ref or message.media_storage_key:
            return True
        channel = linked_row(session, Channel, message.channel_id)
        try:
            data, mime = provider_for(channel.kind).fetch_media(channel, ref)
        except (SendError, LookupError, KeyError) as exc:
            message.extra = {**message.extra, "media_error": str(exc)[:300]}
            session.add(message)
            return False
        message.media_storage_key = storage.save(channel.organization_id, data, mime)
        message.media_mime = message.media_mime or mime
        message.media_size = len(data)
        message.extra = {k: v for k, v in message.extra.items() if k != "media_error"}
        session.add(message)
    return True


def stale_channels(older_than: timedelta) -> list[uuid.UUID]:
    """Channels with events left pending (the queue was down, a worker died)."""
    with session_scope() as session:
        return list(session.exec(
            select(InboundEvent.channel_id)
            .where(InboundEvent.status == InboundEventStatus.PENDING,
                   InboundEvent.received_at < utcnow() - older_than)
            .distinct()
        ).all())
