"""Inbound pipeline: raw webhook body -> stored event -> contact, conversation, message.

The webhook route stores the raw body (``store_event``) and enqueues; a task calls
``process_pending`` for one customer of a channel, which turns that customer's stored
events into records in the order they were received. Events are keyed by the customer
(``conversation_key``), not by the channel: one customer's events never overtake each
other, while a busy number's customers are processed in parallel by every worker thread,
process and machine. Each customer message is stored once: the database's unique
(channel_id, provider_message_id) settles duplicate and concurrent deliveries.

Over 300 lines because storing, claiming and processing an event share one table's rules
(the customer key, attempts, poison); split, each part would reach into the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from smarterchat.backend import events, fastpath, storage
from smarterchat.backend.channels.base import (
    IdentityChanged,
    InboundMessage,
    MessageDeleted,
    ProviderNotice,
    Reaction,
    SendError,
    StatusUpdate,
    WrongAccount,
)
from smarterchat.backend.channels.registry import provider_for
from smarterchat.backend.db import get_engine, linked_row, session_scope
from smarterchat.backend.db_retry import retrying
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
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import customer_notices, organizations, transitions
from smarterchat.backend.services.notices import notify_admins

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a body that fails this often is set aside as poison
# A status may arrive before the send that created its message id is recorded; such an
# event waits (stays pending) for this long before it is given up as unknown.
STATUS_GRACE = timedelta(minutes=10)
DRAIN_LIMIT = 500  # events one drain settles in its transaction; the rest wait for the next
LATE_AFTER = timedelta(minutes=1)  # a delivery this much after its provider time is late


# ------------------------------------------------------------------ storing

def split_by_customer(kind: str, payload: dict[str, Any], body: bytes) -> list[tuple[str, str]]:
    """(conversation key, body) pairs to store: one per customer the delivery is about.

    Almost every delivery concerns one customer and is stored exactly as received. Meta
    may batch several customers into one delivery; each then gets a body of its own, so
    one customer's lock never covers another's messages.
    """
    keys: dict[str, None] = {}
    try:
        _walk(kind, payload, lambda key: keys.setdefault(key))
    except (AttributeError, TypeError):
        # Not in Meta's shape: stored as it came, for processing to set aside as poison.
        return [("", body.decode("utf-8"))]
    if len(keys) <= 1:
        return [(next(iter(keys), ""), body.decode("utf-8"))]
    return [(key, orjson.dumps(_only(kind, payload, key)).decode()) for key in keys]


def _whatsapp_key(field_name: str, item: dict[str, Any]) -> str:
    if field_name == "messages":
        return str(item.get("from") or item.get("from_user_id") or item.get("user_id") or "")
    if field_name == "statuses":
        return str(item.get("recipient_id") or item.get("recipient_user_id") or "")
    return str(item.get("wa_id") or item.get("user_id") or "")  # contacts


def _instagram_key(entry: dict[str, Any], item: dict[str, Any]) -> str:
    sender = str((item.get("sender") or {}).get("id") or "")
    # An echo (or any event the business sent) is about the customer it went to.
    if sender and sender == str(entry.get("id") or ""):
        return str((item.get("recipient") or {}).get("id") or "")
    return sender


def _walk(kind: str, payload: dict[str, Any], seen: Callable[[str], object]) -> None:
    for entry in payload.get("entry") or []:
        if kind == "instagram":
            for item in entry.get("messaging") or []:
                seen(_instagram_key(entry, item))
            if entry.get("changes"):
                seen("")
            continue
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages" or value.get("errors"):
                seen("")
            for name in ("messages", "statuses"):
                for item in value.get(name) or []:
                    seen(_whatsapp_key(name, item))


def _only(kind: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
    """The delivery with only what concerns one customer (key "" keeps the rest)."""
    entries = []
    for entry in payload.get("entry") or []:
        if kind == "instagram":
            kept = {**entry, "messaging": [i for i in entry.get("messaging") or []
                                           if _instagram_key(entry, i) == key]}
            if key != "":
                kept.pop("changes", None)
            entries.append(kept)
            continue
        changes = []
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages":
                if key == "":
                    changes.append(change)
                continue
            kept_value = {k: v for k, v in value.items()
                          if k not in ("messages", "statuses", "contacts", "errors")}
            for name in ("messages", "statuses", "contacts"):
                items = [i for i in value.get(name) or [] if _whatsapp_key(name, i) == key]
                if items:
                    kept_value[name] = items
            if key == "" and value.get("errors"):
                kept_value["errors"] = value["errors"]
            changes.append({**change, "value": kept_value})
        entries.append({**entry, "changes": changes})
    return {**payload, "entry": entries}


# The one statement that writes new events on PostgreSQL (SQLite goes through the model).
# id, organization, channel, conversation key, body, status, received at
_Row = tuple[uuid.UUID, uuid.UUID, uuid.UUID, str, str, str, datetime]
_PG_INSERT = (
    "INSERT INTO inbound_event (id, organization_id, channel_id, conversation_key, body, "
    "status, attempts, received_at) VALUES (%s, %s, %s, %s, %s, %s, 0, %s)")
# A retry after a lost connection may repeat an INSERT that did commit.
_SAME_ID = " ON CONFLICT (id) DO NOTHING"


async def store_event(organization_id: uuid.UUID, channel_id: uuid.UUID,
                      parts: list[tuple[str, str]]) -> list[uuid.UUID]:
    """Keep a delivery durably before the webhook is answered, one row per customer
    (see ``split_by_customer``); several rows are written in one transaction.

    PostgreSQL: one statement on an autocommit async pool (no BEGIN/COMMIT round trips,
    no session: this is the webhook's whole cost). SQLite: a session in a thread.
    """
    now = utcnow()
    rows: list[_Row] = [(uuid.uuid4(), organization_id, channel_id, key, body, InboundEventStatus.PENDING.value,
             now) for key, body in parts]
    if fastpath.available():
        # A connection lost to a database restart is tried again for a moment; the
        # same ids each time, so an INSERT that did land is not written twice.
        await retrying(lambda: _store_with_pool(rows), "store_event")
    else:
        await asyncio.to_thread(_store_with_session, rows)
    return [row[0] for row in rows]


async def _store_with_pool(rows: list[_Row]) -> None:
    pool = await fastpath.pool()
    async with pool.connection() as conn:
        if len(rows) == 1:
            await conn.execute(_PG_INSERT + _SAME_ID, rows[0])
        else:
            async with conn.transaction():
                async with conn.cursor() as cur:
                    await cur.executemany(_PG_INSERT + _SAME_ID, rows)


def _store_with_session(rows: list[_Row]) -> None:
    with session_scope() as session:
        for event_id, org_id, channel_id, key, body, status, received_at in rows:
            session.add(InboundEvent(id=event_id, organization_id=org_id, channel_id=channel_id,
                                     conversation_key=key, body=body, status=status,
                                     received_at=received_at))


@dataclass
class Outcome:
    created: list[uuid.UUID] = field(default_factory=list)  # new message ids
    statuses: list[uuid.UUID] = field(default_factory=list)  # messages whose status moved
    deferred: bool = False
    # Announced after the commit, built from the rows this pass already holds.
    notices: list[events.Event] = field(default_factory=list)


# ------------------------------------------------------------------ builders

def _contact_by_ids(session: Session, channel: Channel, ids: list[str]) -> Contact | None:
    """The channel's contact known by any of ``ids`` (phone or business-scoped user id)."""
    return session.exec(select(Contact).where(
        Contact.channel_id == channel.id,
        or_(col(Contact.external_id).in_(ids), col(Contact.business_user_id).in_(ids)))
        .order_by(col(Contact.created_at))).first()


def find_or_create_contact(session: Session, channel: Channel, external_id: str, *,
                           name: str | None = None, phone: str | None = None,
                           user_id: str | None = None) -> Contact:
    """The channel's contact with this id (or, on WhatsApp, this business-scoped user id),
    created on first contact. Identity is per channel."""
    ids = list(dict.fromkeys(filter(None, [external_id, user_id])))
    contact = _contact_by_ids(session, channel, ids)
    if contact is None:
        contact = Contact(organization_id=channel.organization_id, channel_id=channel.id,
                          external_id=external_id, name=name, phone=phone,
                          business_user_id=user_id)
        try:
            with session.begin_nested():
                session.add(contact)
        except IntegrityError:  # created meanwhile by another worker
            contact = _contact_by_ids(session, channel, ids)
            if contact is None:
                raise
    elif name and contact.name != name:
        contact.name = name
    if user_id and not contact.business_user_id:
        contact.business_user_id = user_id
    if phone and not contact.phone:
        contact.phone = phone
    contact.last_seen_at = utcnow()
    session.add(contact)
    return contact


def change_user_id(session: Session, channel: Channel, change: IdentityChanged) -> bool:
    """WhatsApp's ``user_changed_user_id``: the contact keeps its history under the new id."""
    contact = _contact_by_ids(session, channel, [change.old_id])
    if contact is None or _contact_by_ids(session, channel, [change.new_id]) is not None:
        return False
    if contact.external_id == change.old_id:
        contact.external_id = change.new_id
    contact.business_user_id = change.new_id
    session.add(contact)
    return True


def open_conversation(session: Session, channel: Channel, contact: Contact) -> Conversation:
    """The contact's open conversation on this channel; the one resolved within the
    organisation's reopen window, reopened; else a new one."""
    conversation = session.exec(
        select(Conversation)
        .where(Conversation.contact_id == contact.id, Conversation.channel_id == channel.id,
               Conversation.status != ConversationStatus.RESOLVED)
        .order_by(col(Conversation.created_at).desc())
    ).first()
    if conversation is None:
        conversation = customer_notices.reopenable(session, channel.id, contact.id,
                                                   channel.organization_id)
        if conversation is not None:
            transitions.customer_reopen(session, conversation)
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


def message_time(provider_time: datetime | None, received_at: datetime | None = None) -> datetime:
    """When a message was written. A late delivery (Meta retries for days) keeps the
    provider's time, so it sorts where it belongs; one that arrives promptly keeps the time
    our webhook stored it, which is finer than Meta's whole seconds and so keeps a burst in
    order. Lateness is judged at the door, never when a worker gets to the event: a busy
    queue must not turn prompt messages into "late" ones (their whole-second times then sort
    before messages already answered, and the AI's cursor passed them by)."""
    arrived = received_at or utcnow()
    if provider_time is None or arrived - provider_time < LATE_AFTER:
        return arrived
    return provider_time


def add_inbound_message(session: Session, channel: Channel, msg: InboundMessage, *,
                        received_at: datetime | None = None) -> Message | None:
    """Store one message; None when it was stored before (a re-delivery). ``received_at``:
    when the webhook carrying it was stored (now, when it is stored at once)."""
    if session.exec(select(Message.id).where(
            Message.channel_id == channel.id,
            Message.provider_message_id == msg.provider_message_id)).first():
        return None
    contact = find_or_create_contact(session, channel, msg.contact_external_id,
                                     name=None if msg.is_echo else msg.contact_name,
                                     phone=msg.contact_phone, user_id=msg.contact_user_id)
    rating = None if msg.is_echo else customer_notices.rating_in(msg.extra)
    surveyed = customer_notices.surveyed(session, channel.id, contact.id) if rating else None
    # A survey answer belongs to the conversation that asked, and is no new question.
    conversation = surveyed or open_conversation(session, channel, contact)
    now = message_time(msg.timestamp, received_at)
    extra = dict(msg.extra)
    if surveyed is not None and rating is not None:
        extra["csat"] = rating
        customer_notices.record_rating(surveyed, rating)
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
    conversation.last_message_at = max(conversation.last_message_at, now)
    if not msg.is_echo:
        conversation.last_inbound_at = max(conversation.last_inbound_at or now, now)
        conversation.unread_count += 0 if surveyed else 1
    session.add(conversation)
    return message


def apply_reaction(session: Session, channel: Channel, reaction: Reaction) -> Message | None:
    """Show the customer's reaction on the message it reacts to; the newest one wins (Meta
    may deliver them out of order). None when that message is unknown."""
    message = session.exec(select(Message).where(
        Message.channel_id == channel.id,
        Message.provider_message_id == reaction.reacted_to)).first()
    if message is None:
        return None
    at = (reaction.timestamp or utcnow()).isoformat()
    current = (message.extra or {}).get("reaction") or {}
    if current.get("at", "") > at:
        return message
    message.extra = {**message.extra, "reaction": {"emoji": reaction.emoji, "at": at}}
    session.add(message)
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
    if update.pricing:  # analytics reads what Meta bills, by category
        message.extra = {**(message.extra or {}), "pricing": update.pricing}
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

def _lock_key(channel_id: uuid.UUID, conversation_key: str) -> int:
    digest = hashlib.blake2b(f"{channel_id}:{conversation_key}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


# SQLite (the embedded default, one process) has one writer at a time anyway: the
# process's drains take turns.
_sqlite_drain = threading.Lock()


@contextlib.contextmanager
def conversation_session(channel_id: uuid.UUID, conversation_key: str) -> Iterator[Session]:
    """A session that holds the customer's lock until it commits or rolls back.

    PostgreSQL: a transaction-scoped advisory lock, so it is released with the
    transaction, and by the database when a worker dies mid-way (its work rolls back
    and the events stay pending for the next drain). One customer's drains wait for
    each other; different customers never do.
    """
    if get_engine().dialect.name != "postgresql":
        with _sqlite_drain, session_scope() as session:
            # Take the write lock before the first read: a transaction that read first
            # cannot write after the web process stored an event ("database is locked");
            # an IMMEDIATE one waits for the writer instead (busy_timeout).
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
        return
    with session_scope() as session:
        session.execute(text("SET LOCAL lock_timeout = '30s'"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": _lock_key(channel_id, conversation_key)})
        yield session


class _Deferred(Exception):
    """Raised inside an event's savepoint to undo it and leave the event pending."""


def process_pending(channel_id: uuid.UUID, conversation_key: str = "", *,
                    limit: int = DRAIN_LIMIT) -> int:
    """Settle one customer's pending events oldest first, in one transaction under the
    customer's lock (a delivery burst is one commit); returns how many were settled.

    Each event runs in a savepoint: one that fails is undone alone and counted (set
    aside as poison after MAX_ATTEMPTS), one that must wait is left pending.
    """
    outcomes: list[Outcome] = []
    set_aside = 0
    with conversation_session(channel_id, conversation_key) as session:
        pending = session.exec(
            select(InboundEvent)
            .where(InboundEvent.channel_id == channel_id,
                   InboundEvent.conversation_key == conversation_key,
                   InboundEvent.status == InboundEventStatus.PENDING)
            .order_by(col(InboundEvent.received_at), col(InboundEvent.id)).limit(limit)
        ).all()
        if not pending:
            return 0
        channel = linked_row(session, Channel, channel_id)
        if not organizations.is_active(session, channel.organization_id):
            return 0  # held, not lost: processed when the organisation is reactivated
        for event in pending:
            try:
                with session.begin_nested():
                    outcomes.append(_apply(session, channel, event))
            except _Deferred:
                continue
            except Exception as exc:
                log.exception("inbound event failed", extra={"event_id": str(event.id)})
                set_aside += _count_failure(session, event.id, exc)
    # After the commit: listeners see the records.
    if set_aside:
        _tell_admins_set_aside(channel_id, set_aside)
    for outcome in outcomes:
        for notice in outcome.notices:
            events.emit(notice)
    return len(outcomes)


def _apply(session: Session, channel: Channel, event: InboundEvent) -> Outcome:
    outcome = Outcome()
    try:
        parsed = provider_for(channel.kind).parse(channel, json.loads(event.body))
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
            message = add_inbound_message(session, channel, item, received_at=event.received_at)
            if message is not None:
                outcome.created.append(message.id)
                outcome.notices.append(events.MessageCreated.of_rows(
                    message, session.get(Conversation, message.conversation_id), channel.kind))
        elif isinstance(item, Reaction):
            reacted = apply_reaction(session, channel, item)
            if reacted is None:
                notes.append(f"reaction to unknown message {item.reacted_to}")
            else:
                outcome.notices.append(events.MessageReacted.of(reacted, emoji=item.emoji))
        elif isinstance(item, IdentityChanged):
            if not change_user_id(session, channel, item):
                notes.append("user id change for an unknown contact")
        elif isinstance(item, StatusUpdate):
            updated = apply_status(session, channel, item)
            if updated is not None:
                outcome.statuses.append(updated)
            elif only_statuses and utcnow() - event.received_at < STATUS_GRACE:
                # A status overtook the send that records its message id: keep the event
                # pending and apply it again on a later pass (statuses never move back).
                raise _Deferred
            else:
                notes.append(f"status for unknown message {item.provider_message_id}")
        elif isinstance(item, MessageDeleted):
            _mark_deleted(session, channel, item.provider_message_id)
        elif isinstance(item, ProviderNotice):
            if item.kind == "error":
                log.warning("provider error notification", extra={
                    "channel_id": str(channel.id), "detail": item.detail})
            notes.append(item.kind)
    outcome.notices += [events.MessageStatusChanged.of(session.get(Message, moved))
                        for moved in dict.fromkeys(outcome.statuses)]
    event.status = InboundEventStatus.PROCESSED
    event.processed_at = utcnow()
    event.error = "; ".join(notes)[:2000] or None
    session.add(event)
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


def _count_failure(session: Session, event_id: uuid.UUID, exc: Exception) -> bool:
    """Count a failed attempt; True when the event is now set aside."""
    event = session.get(InboundEvent, event_id)
    if event is None:
        return False
    event.attempts += 1
    event.error = f"{type(exc).__name__}: {exc}"[:2000]
    if event.attempts >= MAX_ATTEMPTS:
        event.status = InboundEventStatus.FAILED
    session.add(event)
    return event.status == InboundEventStatus.FAILED


def _tell_admins_set_aside(channel_id: uuid.UUID, count: int) -> None:
    with session_scope() as session:
        channel = session.get(Channel, channel_id)
        if channel is not None:
            notify_admins(session, channel.organization_id, "event_set_aside",
                          channel=channel.name, attempts=MAX_ATTEMPTS, count=count)


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


def stale_conversations(older_than: timedelta) -> list[tuple[uuid.UUID, str]]:
    """(channel, customer) pairs with events left pending (the queue was down, a worker
    died, a status waited for its send); a suspended organisation's wait for it."""
    with session_scope() as session:
        return [(row[0], row[1]) for row in session.exec(
            select(InboundEvent.channel_id, InboundEvent.conversation_key)
            .join(Organization, col(Organization.id) == InboundEvent.organization_id)
            .where(InboundEvent.status == InboundEventStatus.PENDING,
                   col(Organization.is_active).is_(True),
                   InboundEvent.received_at < utcnow() - older_than)
            .distinct()
        ).all()]


def held_conversations(organization_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(channel, customer) pairs of an organisation with events still pending."""
    with session_scope() as session:
        return [(row[0], row[1]) for row in session.exec(
            select(InboundEvent.channel_id, InboundEvent.conversation_key)
            .where(InboundEvent.organization_id == organization_id,
                   InboundEvent.status == InboundEventStatus.PENDING)
            .distinct()
        ).all()]
