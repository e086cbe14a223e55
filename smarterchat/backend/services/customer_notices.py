"""What the service itself tells the customer as a conversation moves, and the survey.

Consultants' moves are written by ``services.transitions`` (state and the private thread
line); this module, run by a task after the move's event, says it to the customer through
``outbound.queue_message``:

- a person takes it: the web chat shows "Carla entrou na conversa" from the thread line
  itself (``services.webchat``); WhatsApp and Instagram get the person's name on each reply
  when the organisation turns the signature line on (``signature_for``);
- back to the AI: the customer is told so;
- waiting and nobody can take it: told once per wait (``Conversation.waiting_notice_at``),
  in the agent's words when it has some, with when the team is back when it is outside
  the organisation's hours and, optionally, the place in the queue;
- resolved: the optional closing message and satisfaction survey, as the channel can
  show it (reply buttons, quick replies, stars: ``Capabilities.choices``).

The survey's answer (``record_rating``) is stored on the conversation and is never a new
question for the AI. A customer writing again soon after resolve (``reopen_window``)
reopens the same conversation (``ingest.open_conversation`` asks ``reopenable``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.channels.registry import capabilities_for
from smarterchat.backend.db import linked_row, session_scope
from smarterchat.backend.models import (
    Agent,
    AuthorKind,
    Availability,
    Channel,
    Conversation,
    ConversationStatus,
    Membership,
    Message,
    Organization,
    Role,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import business_hours, outbound
from smarterchat.backend.services.errors import InvalidInput
from smarterchat.backend.services.org_settings import ServiceSettings, service_settings
from smarterchat.i18n import translate

log = logging.getLogger(__name__)

CSAT_PREFIX = "csat:"
# A channel with fewer than five choices asks on a three-point scale, stored as 1, 3, 5.
FIVE_POINTS = [(f"{CSAT_PREFIX}{n}", "⭐" * n) for n in range(1, 6)]
THREE_POINTS = (("1", "customer.survey_bad"), ("3", "customer.survey_ok"),
                ("5", "customer.survey_good"))


# ------------------------------------------------------------------ wording

def when_back(org: Organization, locale: str, at: datetime | None = None) -> str:
    """"Voltamos amanhã às 09:00." for a closed organisation; "" when open or never."""
    schedule = business_hours.schedule_for(org)
    now = at or utcnow()
    opening = business_hours.next_opening(schedule, now)
    if opening is None or opening == now:
        return ""
    local_now, local = now.astimezone(schedule.zone), opening.astimezone(schedule.zone)
    days = (local.date() - local_now.date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        when = translate("customer.when_today", locale, time=clock)
    elif days == 1:
        when = translate("customer.when_tomorrow", locale, time=clock)
    elif days < 7:
        when = translate("customer.when_day", locale, time=clock,
                         day=translate(f"customer.day.{local.weekday()}", locale))
    else:
        when = translate("customer.when_date", locale, time=clock,
                         date=local.strftime("%d/%m" if locale == "pt-BR" else "%b %d"))
    return translate("customer.back_at", locale, when=when)


def with_when_back(text: str, org: Organization, locale: str) -> str:
    """``text`` followed by when the team is back, when it is away now."""
    back = when_back(org, locale)
    return f"{text} {back}" if back else text


def signature_for(session: Session, conversation: Conversation, name: str) -> dict[str, Any]:
    """The ``extra`` of a consultant's reply: their name as a signature line on channels
    that show no author (not the web chat, which shows it itself), when the organisation
    turned it on."""
    channel = linked_row(session, Channel, conversation.channel_id)
    org = linked_row(session, Organization, conversation.organization_id)
    if capabilities_for(channel.kind).widget or not service_settings(org).signature_enabled:
        return {}
    return {"signature": name}


# ------------------------------------------------------------------ after a move

def after_change(conversation_id: uuid.UUID, action: str) -> list[uuid.UUID]:
    """Tell the customer what a move means for them; the ids of the messages queued."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return []
        org = linked_row(session, Organization, conversation.organization_id)
        settings = service_settings(org)
        contents: list[tuple[OutboundContent, dict[str, Any]]] = []
        if action == "return_to_ai" and conversation.status == ConversationStatus.BOT:
            contents.append((OutboundContent(text=translate("customer.back_to_ai", org.locale)),
                             {"notice": "back_to_ai"}))
        elif action in ("handoff", "transfer_team", "queued", "customer_wrote"):
            text = _waiting_text(session, conversation, org, settings)
            if text:
                conversation.waiting_notice_at = utcnow()
                contents.append((OutboundContent(text=text), {"notice": "waiting"}))
        elif action == "resolve" and conversation.status == ConversationStatus.RESOLVED:
            contents += _closing(session, conversation, org, settings)
        queued = _queue(session, conversation, contents)
        session.commit()
    for message in queued:
        events.emit(events.OutboundQueued.of(message))
    return [m.id for m in queued]


def _queue(session: Session, conversation: Conversation,
           contents: list[tuple[OutboundContent, dict[str, Any]]]) -> list[Message]:
    queued = []
    for content, extra in contents:
        try:
            queued.append(outbound.queue_message(session, conversation, content,
                                                 author_kind=AuthorKind.SYSTEM, extra=extra))
        except InvalidInput as exc:  # WhatsApp's window closed: nothing may go out
            log.info("customer notice not sent", extra={
                "conversation_id": str(conversation.id), "code": exc.code})
    return queued


def _waiting_text(session: Session, conversation: Conversation, org: Organization,
                  settings: ServiceSettings) -> str:
    """The waiting notice, or "" when it was given already, or someone can take it."""
    if conversation.status != ConversationStatus.WAITING_HUMAN or \
            conversation.waiting_notice_at is not None or _someone_free(session, conversation):
        return ""
    agent = session.get(Agent, conversation.agent_id) if conversation.agent_id else None
    words = (agent.handoff_rules or {}).get("waiting_message") if agent else None
    text = words or settings.waiting_message or translate("customer.waiting", org.locale)
    if settings.show_queue_position:
        text += " " + translate("customer.queue_position", org.locale,
                                position=queue_position(session, conversation))
    return with_when_back(text, org, org.locale)


def _someone_free(session: Session, conversation: Conversation) -> bool:
    """An online consultant (of its team, when it has one) with a free slot."""
    load = (select(func.count()).select_from(Conversation).where(
        Conversation.organization_id == conversation.organization_id,
        Conversation.assignee_id == Membership.user_id,
        Conversation.status == ConversationStatus.HUMAN).scalar_subquery())
    query = select(Membership.id).where(
        Membership.organization_id == conversation.organization_id, Membership.is_active,
        Membership.role == Role.CONSULTANT, Membership.availability == Availability.ONLINE,
        load < Membership.capacity)
    if conversation.team_id is not None:
        query = query.where(Membership.team_id == conversation.team_id)
    return session.exec(query.limit(1)).first() is not None


def queue_position(session: Session, conversation: Conversation) -> int:
    """1 for the conversation waiting longest in its organisation."""
    since = conversation.waiting_since or utcnow()
    ahead = session.exec(select(func.count()).select_from(Conversation).where(
        Conversation.organization_id == conversation.organization_id,
        Conversation.status == ConversationStatus.WAITING_HUMAN,
        col(Conversation.waiting_since) < since)).one()
    return int(ahead) + 1


def _closing(session: Session, conversation: Conversation, org: Organization,
             settings: ServiceSettings) -> list[tuple[OutboundContent, dict[str, Any]]]:
    contents = []
    if settings.closing_enabled:
        text = settings.closing_message or translate("customer.closing", org.locale)
        contents.append((OutboundContent(text=text), {"notice": "closing"}))
    if settings.survey_enabled and conversation.survey_sent_at is None:
        channel = linked_row(session, Channel, conversation.channel_id)
        contents.append((survey_content(channel, org.locale), {"notice": "survey"}))
        conversation.survey_sent_at = utcnow()
        session.add(conversation)
    return contents


def survey_content(channel: Channel, locale: str) -> OutboundContent:
    """The question with the answers the channel can show: five when it can, else three."""
    question = translate("customer.survey_question", locale)
    if capabilities_for(channel.kind).choices >= 5:
        return OutboundContent(text=question, choices=list(FIVE_POINTS))
    return OutboundContent(text=question, choices=[
        (f"{CSAT_PREFIX}{score}", translate(key, locale)) for score, key in THREE_POINTS])


# ------------------------------------------------------------------ the customer answers

def rating_in(extra: dict[str, Any]) -> int | None:
    """The score a tapped answer carries (WhatsApp's button id, Instagram's quick-reply
    payload), None when the message is not a survey answer."""
    value = extra.get("reply_id") or extra.get("payload") or ""
    if not isinstance(value, str) or not value.startswith(CSAT_PREFIX):
        return None
    score = value[len(CSAT_PREFIX):]
    return int(score) if score.isdigit() and 1 <= int(score) <= 5 else None


def surveyed(session: Session, channel_id: uuid.UUID, contact_id: uuid.UUID) -> Conversation | None:
    """The contact's latest conversation on the channel that was sent a survey."""
    return session.exec(select(Conversation).where(
        Conversation.channel_id == channel_id, Conversation.contact_id == contact_id,
        col(Conversation.survey_sent_at).is_not(None))
        .order_by(col(Conversation.survey_sent_at).desc()).limit(1)).first()


def record_rating(conversation: Conversation, rating: int, comment: str | None = None) -> bool:
    """Store the answer on the conversation; False when it was answered already (the
    first answer counts) or the score is not 1 to 5."""
    if not 1 <= rating <= 5 or conversation.survey_sent_at is None or \
            conversation.csat_answered_at is not None:
        return False
    conversation.csat_rating = rating
    conversation.csat_comment = (comment or "").strip()[:1000] or None
    conversation.csat_answered_at = utcnow()
    return True


def reopen_window(session: Session, organization_id: uuid.UUID) -> timedelta:
    org = linked_row(session, Organization, organization_id)
    return timedelta(hours=service_settings(org).reopen_window_hours)


def reopenable(session: Session, channel_id: uuid.UUID, contact_id: uuid.UUID,
               organization_id: uuid.UUID) -> Conversation | None:
    """The contact's conversation resolved within the organisation's reopen window."""
    window = reopen_window(session, organization_id)
    if window <= timedelta(0):
        return None
    return session.exec(select(Conversation).where(
        Conversation.channel_id == channel_id, Conversation.contact_id == contact_id,
        Conversation.status == ConversationStatus.RESOLVED,
        col(Conversation.resolved_at) >= utcnow() - window)
        .order_by(col(Conversation.resolved_at).desc()).limit(1)).first()
