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

from smarterchat.backend import events
from smarterchat.backend.channels.base import InboundMessage
from smarterchat.backend.db import linked_row
from smarterchat.backend.media_links import media_link
from smarterchat.backend.models import (
    Agent,
    Channel,
    ChannelKind,
    Contact,
    Conversation,
    Message,
    Organization,
)
from smarterchat.backend.security import ratelimit
from smarterchat.backend.services import organizations
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, TooManyAttempts
from smarterchat.backend.services.ingest import add_inbound_message

MAX_TEXT = 4000
_VISITOR_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Widget:
    channel_id: str
    organization_name: str
    title: str
    greeting: str
    is_active: bool
    organization_id: str = ""  # whose real-time notices the page follows


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
                  channel.is_active and org.is_active, str(org.id))


def frame_origins(session: Session, channel_id: uuid.UUID) -> list[str]:
    """The sites allowed to embed this web chat (its channel's ``embed_origins``); none for
    a channel that is not a web chat."""
    channel = session.get(Channel, channel_id)
    if channel is None or channel.kind != ChannelKind.WEBCHAT:
        return []
    return [o for o in channel.config.get("embed_origins") or [] if isinstance(o, str) and o]


def send(session: Session, channel_id: RecordId, visitor_id: str, text: str, *, client_id: str,
         name: str | None = None) -> ChatLine:
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
    verdict = ratelimit.hit(f"webchat:{channel.id}:{visitor_id}", 20, 60)
    if not verdict.allowed:
        raise TooManyAttempts("too_many_messages", retry_after=verdict.retry_after)
    name = " ".join((name or "").split())[:120] or None
    message = add_inbound_message(session, channel, InboundMessage(
        contact_external_id=visitor_id, provider_message_id=f"webchat:{visitor_id}:{client_id}",
        content_type="text", text=text, contact_name=name))
    created = None if message is None else events.MessageCreated.of_rows(
        message, session.get(Conversation, message.conversation_id), channel.kind)
    session.commit()
    if created is None:  # the same message again: answer with the stored one
        message = session.exec(select(Message).where(
            Message.channel_id == channel.id,
            Message.provider_message_id == f"webchat:{visitor_id}:{client_id}")).one()
    else:
        events.emit(created)
    return _line(message)


def history(session: Session, channel_id: RecordId, visitor_id: str, *, limit: int = 100) -> list[ChatLine]:
    """The visitor's public messages on this channel, oldest first (latest ``limit``)."""
    channel = _channel(session, channel_id)
    contact = session.exec(select(Contact).where(Contact.channel_id == channel.id,
                                                 Contact.external_id == _visitor(visitor_id))
                           ).first()
    if contact is None:
        return []

    rows = session.exec(
        select(Message)
        .join(Conversation, col(Conversation.id) == Message.conversation_id)
        .where(Conversation.contact_id == contact.id, Message.channel_id == channel.id,
               col(Message.is_private).is_(False))
        .order_by(col(Message.created_at).desc()).limit(limit)
    ).all()
    return [_line(m) for m in reversed(rows)]


def _line(message: Message) -> ChatLine:
    author = {"contact": "visitor", "system": "system"}.get(message.author_kind, "agent")
    media = message.media_storage_key is not None
    return ChatLine(str(message.id), author, message.text, message.created_at,
                    message.delivery_status,
                    media_link(str(message.id), str(message.organization_id)) if media else "",
                    message.content_type if media else "",
                    str(message.extra.get("filename") or "") if media else "",
                    str(message.conversation_id))
