"""The web chat channel, seen from the visitor's side (public, no account).

A visitor is known by a random id kept in their browser; their messages enter the
same contact -> conversation -> message pipeline as WhatsApp's and Instagram's, and
they read back only their own conversation's public messages.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from smarterchat.backend import events, storage
from smarterchat.backend.channels.base import InboundMessage
from smarterchat.backend.db import linked_row
from smarterchat.backend.media_links import media_link
from smarterchat.backend.models import (
    Agent,
    AuthorKind,
    Channel,
    ChannelKind,
    Contact,
    Conversation,
    ConversationStatus,
    Message,
    Organization,
    User,
)
from smarterchat.backend.security import ratelimit
from smarterchat.backend.services import attachments, customer_notices, organizations
from smarterchat.backend.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    RecordId,
    TooManyAttempts,
    parse_id,
)
from smarterchat.backend.services.ingest import add_inbound_message
from smarterchat.backend.services.org_settings import service_settings

MAX_TEXT = 4000
_VISITOR_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

# Flood limits, checked before anything is stored or any AI work starts: (count, seconds).
# A visitor's cookie is free to change, so the address and the channel count too.
PER_VISITOR = (20, 60)
PER_IP = (60, 60)
PER_CHANNEL = (600, 60)
NEW_CHATS_PER_IP = (10, 3600)  # conversations a network may start in an hour

# The thread lines (``transitions``) the visitor sees, as "Carla joined" and the like.
_CUSTOMER_EVENTS = {"take_over": "joined", "auto_assign": "joined", "transfer": "joined",
                    "reopen": "joined", "return_to_ai": "back_to_ai"}


@dataclass(frozen=True)
class Widget:
    channel_id: str
    organization_name: str
    title: str
    greeting: str
    is_active: bool
    organization_id: str = ""  # whose real-time notices the page follows
    privacy_notice: str = ""  # the organisation's LGPD notice, shown under the composer


@dataclass(frozen=True)
class ChatLine:
    id: str
    author: str  # visitor, agent (AI or consultant), system
    text: str
    created_at: datetime
    status: str
    media_url: str = ""  # a signed link to an attached file
    media_kind: str = ""  # image, audio, video, document
    media_name: str = ""
    conversation_id: str = ""
    author_name: str = ""  # the consultant's name (empty for the AI)
    notice: str = ""  # joined, back_to_ai, waiting, closing, survey
    rating: int = 0  # a survey line: the stars given (0: not answered)


def new_visitor_id() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex[:8]


def _channel(session: Session, channel_id: RecordId) -> Channel:
    try:
        cid = channel_id if isinstance(channel_id, uuid.UUID) else uuid.UUID(str(channel_id))
    except ValueError as exc:
        raise NotFound() from exc
    channel = session.get(Channel, cid)
    if channel is None or channel.kind != ChannelKind.WEBCHAT:
        raise NotFound()
    return channel


def _visitor(visitor_id: str) -> str:
    if not _VISITOR_RE.match(visitor_id or ""):
        raise InvalidInput("invalid_visitor")
    return visitor_id


def widget(session: Session, channel_id: RecordId) -> Widget:
    channel = _channel(session, channel_id)
    org = linked_row(session, Organization, channel.organization_id)
    agent = session.get(Agent, channel.agent_id) if channel.agent_id else None
    return Widget(str(channel.id), org.name, channel.config.get("title") or org.name,
                  channel.config.get("greeting") or (agent.greeting if agent else ""),
                  channel.is_active and org.is_active, str(org.id),
                  service_settings(org).privacy_notice)


def frame_origins(session: Session, channel_id: uuid.UUID) -> list[str]:
    """The sites allowed to embed this web chat (its channel's ``embed_origins``); none for
    a channel that is not a web chat."""
    channel = session.get(Channel, channel_id)
    if channel is None or channel.kind != ChannelKind.WEBCHAT:
        return []
    return [o for o in channel.config.get("embed_origins") or [] if isinstance(o, str) and o]


def send(session: Session, channel_id: RecordId, visitor_id: str, text: str, *, client_id: str,
         name: str | None = None, ip: str | None = None) -> ChatLine:
    """A visitor's message. ``client_id`` comes from the page, so a resend after a
    dropped connection is stored once."""
    channel = _channel(session, channel_id)
    visitor_id = _visitor(visitor_id)
    if not channel.is_active or not organizations.is_active(session, channel.organization_id):
        raise InvalidInput("channel_disabled")  # the visitor reads "this chat is paused"
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise InvalidInput("invalid_message", max=MAX_TEXT)
    if not re.match(r"^[A-Za-z0-9_-]{8,64}$", client_id or ""):
        raise InvalidInput("invalid_message")
    _check_flood(session, channel, visitor_id, ip)
    return _store(session, channel, InboundMessage(
        contact_external_id=visitor_id, provider_message_id=f"webchat:{visitor_id}:{client_id}",
        content_type="text", text=text, contact_name=_name(name)))


def send_file(session: Session, channel_id: RecordId, visitor_id: str, filename: str,
              data: bytes, *, client_id: str, name: str | None = None,
              ip: str | None = None) -> ChatLine:
    """A visitor's image or document, checked like the consultants' attachments (type by
    content, the channel's size limits) and stored before it enters the pipeline."""
    channel = _channel(session, channel_id)
    visitor_id = _visitor(visitor_id)
    if not channel.is_active:
        raise InvalidInput("channel_disabled")
    if not re.match(r"^[A-Za-z0-9_-]{8,64}$", client_id or ""):
        raise InvalidInput("invalid_message")
    mime, kind = attachments.check(channel.kind, filename, data)
    _check_flood(session, channel, visitor_id, ip)
    key = storage.save(channel.organization_id, data, mime)
    return _store(session, channel, InboundMessage(
        contact_external_id=visitor_id, provider_message_id=f"webchat:{visitor_id}:{client_id}",
        content_type=kind, contact_name=_name(name), media_mime=mime,
        extra={"filename": attachments.clean_name(filename)}), media=(key, len(data)))


def _name(name: str | None) -> str | None:
    return " ".join((name or "").split())[:120] or None


def _store(session: Session, channel: Channel, inbound: InboundMessage,
           media: tuple[str, int] | None = None) -> ChatLine:
    """Store the visitor's message once (a resend with the same client id answers with the
    stored one), then announce it."""
    message = add_inbound_message(session, channel, inbound)
    if message is not None and media is not None:
        message.media_storage_key, message.media_size = media
        session.add(message)
    created = None if message is None else events.MessageCreated.of_rows(
        message, session.get(Conversation, message.conversation_id), channel.kind)
    session.commit()
    if created is None:  # the same message again: answer with the stored one
        message = session.exec(select(Message).where(
            Message.channel_id == channel.id,
            Message.provider_message_id == inbound.provider_message_id)).one()
    else:
        events.emit(created)
    return _line(message)


def _check_flood(session: Session, channel: Channel, visitor_id: str, ip: str | None) -> None:
    """Refuse a message over any limit: the visitor's, their address's, the channel's, and
    (for a visitor without an open conversation) new conversations from the address."""
    checks = [(f"webchat:{channel.id}:{visitor_id}", PER_VISITOR, "too_many_messages"),
              (f"webchat-channel:{channel.id}", PER_CHANNEL, "chat_busy")]
    if ip:
        checks.insert(1, (f"webchat-ip:{ip}", PER_IP, "too_many_messages"))
        if not _has_open_conversation(session, channel, visitor_id):
            checks.append((f"webchat-new:{ip}", NEW_CHATS_PER_IP, "too_many_chats"))
    for key, (limit, window), code in checks:
        verdict = ratelimit.hit(key, limit, window)
        if not verdict.allowed:
            raise TooManyAttempts(code, retry_after=verdict.retry_after)


def _has_open_conversation(session: Session, channel: Channel, visitor_id: str) -> bool:
    return session.exec(
        select(Conversation.id).join(Contact, col(Contact.id) == Conversation.contact_id)
        .where(Contact.channel_id == channel.id, Contact.external_id == visitor_id,
               Conversation.status != ConversationStatus.RESOLVED).limit(1)).first() is not None


def rate(session: Session, channel_id: RecordId, visitor_id: str, conversation_id: RecordId,
         rating: int, comment: str = "") -> None:
    """The visitor's stars (and comment) for a conversation of theirs that asked."""
    channel = _channel(session, channel_id)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("invalid_rating")
    if len((comment or "").strip()) > 1000:
        raise InvalidInput("text_too_long", max=1000)
    conversation = session.exec(
        select(Conversation).join(Contact, col(Contact.id) == Conversation.contact_id)
        .where(Conversation.id == parse_id(conversation_id), Contact.channel_id == channel.id,
               Contact.external_id == _visitor(visitor_id))).first()
    if conversation is None:
        raise NotFound()
    if not customer_notices.record_rating(conversation, rating, comment):
        raise Conflict("survey_closed")
    session.add(conversation)
    session.commit()
    events.emit(events.ConversationChanged.of(conversation, "rated"))


def history(session: Session, channel_id: RecordId, visitor_id: str, *, limit: int = 100) -> list[ChatLine]:
    """The visitor's public messages on this channel, oldest first (latest ``limit``)."""
    channel = _channel(session, channel_id)
    contact = session.exec(select(Contact).where(Contact.channel_id == channel.id,
                                                 Contact.external_id == _visitor(visitor_id))
                           ).first()
    if contact is None:
        return []

    event_line = (Message.author_kind == AuthorKind.SYSTEM) & (Message.content_type == "event")
    rows = session.exec(
        select(Message, User.name, Conversation.csat_rating)
        .join(Conversation, col(Conversation.id) == Message.conversation_id)
        .outerjoin(User, col(User.id) == Message.author_user_id)
        .where(Conversation.contact_id == contact.id, Message.channel_id == channel.id,
               col(Message.is_private).is_(False) | event_line)
        .order_by(col(Message.created_at).desc()).limit(limit)
    ).all()
    lines = [_line(m, name or "", rating or 0) for m, name, rating in reversed(rows)]
    return [line for line in lines if line.author != "event"]


def _line(message: Message, author_name: str = "", rating: int = 0) -> ChatLine:
    author = {"contact": "visitor", "system": "system"}.get(message.author_kind, "agent")
    notice = str(message.extra.get("notice") or "")
    if message.content_type == "event":  # a thread line: shown when it is the customer's news
        notice = _CUSTOMER_EVENTS.get(str(message.extra.get("event")), "")
        author = "system" if notice else "event"
        author_name = str(message.extra.get("to_name") or author_name)
    media = message.media_storage_key is not None
    return ChatLine(
        id=str(message.id), author=author, text="" if message.content_type == "event" else
        message.text, created_at=message.created_at, status=message.delivery_status,
        media_url=media_link(str(message.id), str(message.organization_id)) if media else "",
        media_kind=message.content_type if media else "",
        media_name=str(message.extra.get("filename") or "") if media else "",
        conversation_id=str(message.conversation_id),
        author_name=author_name if message.author_kind == AuthorKind.CONSULTANT or notice ==
        "joined" else "", notice=notice, rating=rating if notice == "survey" else 0)
