"""What consultants do in the inbox: take over, reply, note, return to the AI, transfer
to a person or a team, resolve, reopen, label, attach a file.

Every action checks role and tenant here, moves the conversation through
``services.transitions``, is written to the audit log, and is announced with a domain
event so every open browser of the organisation sees it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from smarterchat.backend import events, observability, storage
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.channels.registry import capabilities_for
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import (
    AuthorKind,
    Channel,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Membership,
    Message,
    Organization,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import (
    attachments,
    audit,
    customer_notices,
    outbound,
    response_targets,
    teams,
    transitions,
)
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.attachments import Attachment
from smarterchat.backend.services.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
    RecordId,
    parse_id,
)
from smarterchat.backend.services.inbox.queries import get_conversation


def _changed(session: Session, actor: Actor, conversation: Conversation, action: str,
             change: events.ConversationChanged | None = None, **details) -> None:
    """Audit, commit, then announce (``change``: the transition's event, when one moved it)."""
    session.add(conversation)
    audit.record(session, actor, f"conversation.{action}", target_type="conversation",
                 target_id=conversation.id, details=details)
    session.commit()
    events.emit(change or events.ConversationChanged.of(conversation, action))


def _person(actor: Actor) -> transitions.Person:
    return transitions.Person(actor.user_id, actor.name)


def _check_can_act(actor: Actor, conversation: Conversation) -> None:
    """Consultants act on conversations that are theirs or nobody's; managers on any."""
    actor.require(Permission.CONVERSATIONS_REPLY)
    if conversation.assignee_id not in (None, actor.user_id) and \
            not actor.can(Permission.CONVERSATIONS_ASSIGN):
        raise PermissionDenied("assigned_to_someone_else")


def take_over(session: Session, actor: Actor, conversation_id: RecordId) -> None:
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    if conversation.status == ConversationStatus.HUMAN and \
            conversation.assignee_id == actor.user_id:
        return
    change = transitions.take_over(session, conversation, _person(actor))
    _changed(session, actor, conversation, "take_over", change)


def return_to_ai(session: Session, actor: Actor, conversation_id: RecordId) -> None:
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    channel = linked_row(session, Channel, conversation.channel_id)
    agent_id = conversation.agent_id or channel.agent_id
    if not agent_id:
        raise Conflict("no_agent_on_channel")
    change = transitions.return_to_ai(session, conversation, _person(actor), agent_id)
    _changed(session, actor, conversation, "return_to_ai", change)


def transfer(session: Session, actor: Actor, conversation_id: RecordId, to_user_id: RecordId) -> None:
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    target = session.exec(select(User).join(Membership, col(User.id) == Membership.user_id)
                          .where(Membership.organization_id == conversation.organization_id,
                                 Membership.user_id == parse_id(to_user_id),
                                 Membership.is_active)).first()
    if target is None:
        raise InvalidInput("invalid_assignee", field="to_user_id")
    change = transitions.transfer(session, conversation, _person(actor),
                                  transitions.Person(target.id, target.name))
    _changed(session, actor, conversation, "transfer", change, to=str(target.id))


def transfer_to_team(session: Session, actor: Actor, conversation_id: RecordId, team_id: RecordId) -> None:
    """Back to the queue, for that team only: distribution gives it to one of the team's
    online consultants with room, or it waits (in order) until one is."""
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    team = teams.find_team(session, conversation.organization_id, team_id)
    if team is None:
        raise InvalidInput("invalid_team", field="team_id")
    change = transitions.transfer_to_team(session, conversation, _person(actor), team.id,
                                          team.name)
    _changed(session, actor, conversation, "transfer_team", change, team=str(team.id))


def resolve(session: Session, actor: Actor, conversation_id: RecordId) -> None:
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    if conversation.status == ConversationStatus.RESOLVED:
        return
    change = transitions.resolve(session, conversation, _person(actor))
    _changed(session, actor, conversation, "resolve", change)


def reopen(session: Session, actor: Actor, conversation_id: RecordId) -> None:
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    actor.require(Permission.CONVERSATIONS_REPLY)
    if conversation.status != ConversationStatus.RESOLVED:
        raise Conflict("not_resolved")
    change = transitions.reopen(session, conversation, _person(actor))
    _changed(session, actor, conversation, "reopen", change)


def set_labels(session: Session, actor: Actor, conversation_id: RecordId, labels: list[str]) -> None:
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    actor.require(Permission.CONVERSATIONS_REPLY)
    clean = sorted({" ".join(str(label).split())[:40] for label in labels if str(label).strip()})
    if len(clean) > 20:
        raise InvalidInput("too_many_labels")
    conversation.labels = clean
    _changed(session, actor, conversation, "labels", labels=clean)


def typing(session: Session, actor: Actor, conversation_id: RecordId) -> None:
    """The actor is writing a reply to the customer: the web chat shows it for a moment."""
    conversation = get_conversation(session, actor, conversation_id)
    _check_can_act(actor, conversation)
    events.emit(events.ConsultantTyping(organization_id=conversation.organization_id,
                                        conversation_id=conversation.id, name=actor.name))


def mark_read(session: Session, actor: Actor, conversation_id: RecordId) -> None:
    """A consultant opened it: unread count to zero, and the customer's messages read (the
    web chat shows the ticks)."""
    conversation = get_conversation(session, actor, conversation_id)
    seen = session.exec(select(Message).where(
        Message.conversation_id == conversation.id, Message.direction == Direction.INBOUND,
        Message.delivery_status == DeliveryStatus.RECEIVED)).all()
    if not conversation.unread_count and not seen:
        return
    conversation.unread_count = 0
    session.add(conversation)
    for message in seen:
        message.delivery_status, message.read_at = DeliveryStatus.READ, utcnow()
        session.add(message)
    session.commit()
    if seen:
        events.emit(events.MessageStatusChanged.of(seen[-1]))


def attach(session: Session, actor: Actor, conversation_id: RecordId, filename: str,
           data: bytes) -> Attachment:
    """Check and store a file for a reply on this conversation's channel. Nothing is sent
    until ``reply`` is called with it."""
    conversation = get_conversation(session, actor, conversation_id)
    _check_can_act(actor, conversation)
    channel = linked_row(session, Channel, conversation.channel_id)
    mime, kind = attachments.check(channel.kind, filename, data)
    key = storage.save(conversation.organization_id, data, mime)
    return Attachment(key, mime, kind, attachments.clean_name(filename), len(data))


def _count_response(session: Session, conversation: Conversation) -> None:
    """A reply to a customer who waits for a person counts within or over the target."""
    started = response_targets.waiting_since(session, conversation)
    if started is not None:
        org = linked_row(session, Organization, conversation.organization_id)
        within = response_targets.within_target(org, started)
        observability.HUMAN_REPLIES.labels("true" if within else "false").inc()


def reply(session: Session, actor: Actor, conversation_id: RecordId, text: str, *,
          private: bool = False, template: dict[str, Any] | None = None,
          attachment: Attachment | None = None) -> str:
    """A consultant writes. A reply (not a private note) takes the conversation over:
    the AI stops. With an attachment, ``text`` is its caption. Returns the new message's id."""
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    text = (text or "").strip()
    if len(text) > 4096:
        raise InvalidInput("message_too_long")
    if private:
        if not text:
            raise InvalidInput("empty_message")
        note = Message(organization_id=conversation.organization_id,
                       conversation_id=conversation.id, channel_id=conversation.channel_id,
                       direction=Direction.OUTBOUND, author_kind=AuthorKind.CONSULTANT,
                       author_user_id=actor.user_id, is_private=True, delivery_status="sent",
                       content_type="note", text=text)
        session.add(note)
        _changed(session, actor, conversation, "note")
        return str(note.id)
    captions = []
    if attachment is not None:
        channel = linked_row(session, Channel, conversation.channel_id)
        # Stored by ``attach`` for this organisation and a channel of this kind.
        if not attachment.key.startswith(f"{conversation.organization_id}/") or \
                not attachments.accepts(channel.kind, attachment.mime):
            raise InvalidInput("attachment_type_refused", field="file", channel=channel.kind,
                               name=attachment.name)
        if text and not capabilities_for(channel.kind).caption_with_media:
            # The file carries no text there: the caption follows as a message of its own.
            captions, text = [OutboundContent(text=text)], ""
    content = OutboundContent(
        text=text, template_name=(template or {}).get("name"),
        template_language=(template or {}).get("language"),
        template_parameters=[str(p) for p in (template or {}).get("parameters", [])],
        media_key=attachment.key if attachment else None,
        media_mime=attachment.mime if attachment else None,
        media_type=attachment.kind if attachment else None,
        filename=attachment.name if attachment else None)
    _count_response(session, conversation)  # before the take-over ends the wait
    took_over = conversation.status != ConversationStatus.HUMAN or \
        conversation.assignee_id != actor.user_id
    if took_over:  # first, so the customer reads "Ana joined" before Ana's reply
        transitions.take_over(session, conversation, _person(actor))
    signature = customer_notices.signature_for(session, conversation, actor.name)
    queued = [outbound.queue_message(session, conversation, part,
                                     author_kind=AuthorKind.CONSULTANT,
                                     author_user_id=actor.user_id, extra=signature)
              for part in (content, *captions)]
    message = queued[0]
    if attachment is not None:
        message.media_size = attachment.size
    conversation.unread_count = 0
    _changed(session, actor, conversation, "reply", took_over=took_over,
             **({"attachment": attachment.kind} if attachment else {}))
    for part in queued:
        events.emit(events.OutboundQueued.of(part))
    return str(message.id)


def hand_to_human(session: Session, actor: Actor, conversation_id: RecordId,
                  reason: str = "requested") -> None:
    """Someone other than the AI (an integration, a manager) puts it in the queue for a person."""
    conversation = get_conversation(session, actor, conversation_id, lock=True)
    _check_can_act(actor, conversation)
    if conversation.status == ConversationStatus.RESOLVED:
        raise Conflict("conversation_resolved")
    if conversation.status == ConversationStatus.WAITING_HUMAN:
        return
    change = transitions.hand_to_human(session, conversation, reason)
    _changed(session, actor, conversation, "handoff", change, reason=reason)
