"""What the inbox sends to the browser: small dataclasses (never ORM rows), built from
the inbox service's DTOs with keyword arguments. The filters' options and the templates
are the services' own DTOs (``inbox_views.Option``, ``templates.Template``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from smarterchat.backend.media_links import media_link
from smarterchat.backend.services import inbox
from smarterchat.backend.services.inbox_views import Option
from smarterchat.backend.services.templates import Template as TemplateItem
from smarterchat.i18n import DEFAULT_LOCALE, TABLE, translate

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


@dataclass
class ConversationItem:
    id: str = ""
    contact: str = ""
    phone: str = ""
    channel_kind: str = ""
    channel_name: str = ""
    status: str = ""
    assignee: str = ""
    assignee_id: str = ""
    mine: bool = False
    unread: int = 0
    last_at: str = ""  # ISO 8601, formatted in the browser's time zone
    preview: str = ""
    initial: str = ""
    labels: list[str] = field(default_factory=list)
    handoff_reason: str = ""
    team: str = ""  # the team it was transferred to
    stage: str = ""  # the contact's lead's CRM stage


@dataclass
class MessageItem:
    id: str = ""
    kind: str = ""  # contact, ai, consultant, note, system
    author: str = ""
    text: str = ""
    at: str = ""
    status: str = ""  # pending, sent, delivered, read, failed (outbound only)
    error: str = ""
    media_url: str = ""
    media_kind: str = ""  # image, audio, video, document, file
    sources: str = ""
    is_template: bool = False
    media_name: str = ""  # a document's file name, when the sender gave one
    reaction: str = ""  # the customer's reaction (an emoji), shown on the message


@dataclass
class ConsultantItem:
    user_id: str = ""
    name: str = ""
    role: str = ""
    availability: str = "offline"
    is_me: bool = False


@dataclass
class TeamItem:
    team_id: str = ""
    name: str = ""
    online: int = 0  # its consultants online now


@dataclass
class EarlierItem:
    id: str = ""
    status: str = ""
    at: str = ""


@dataclass
class ContactInfo:
    contact_id: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    temperature: str = ""
    stage: str = ""
    reason: str = ""
    earlier: list[EarlierItem] = field(default_factory=list)
    window_open: bool = True  # the service's check: always open but on WhatsApp
    window_closes_at: str = ""
    needs_template: bool = False  # the service's: window closed on a channel with templates
    templates: list[TemplateItem] = field(default_factory=list)


def initial(name: str) -> str:
    letter = next((ch for ch in name if ch.isalpha()), "")
    return letter.upper() or "#"


def conversation_item(row: inbox.ConversationRow, me: str) -> ConversationItem:
    return ConversationItem(
        id=row.id, contact=row.contact_name, phone=row.contact_phone,
        channel_kind=row.channel_kind, channel_name=row.channel_name, status=row.status,
        assignee=row.assignee_name, assignee_id=row.assignee_id or "",
        mine=row.assignee_id == me, unread=row.unread_count,
        last_at=row.last_message_at.isoformat(), preview=row.preview,
        initial=initial(row.contact_name), labels=list(row.labels),
        handoff_reason=row.handoff_reason or "", team=row.team_name, stage=row.lead_stage)


def _kind(m: inbox.ThreadMessage) -> str:
    if m.author_kind == "system":
        return "system"
    if m.author_kind == "consultant" and m.is_private:
        return "note"
    return m.author_kind if m.author_kind in ("contact", "ai", "consultant") else "system"


def _media_kind(mime: str) -> str:
    if mime in IMAGE_TYPES:
        return "image"
    major = mime.split("/")[0]
    if major in ("audio", "video"):
        return major
    return "document" if mime.startswith("application/") or major == "text" else "file"


def event_text(m: inbox.ThreadMessage, locale: str) -> str:
    """A system line in the reader's language; the stored pt-BR text when the event is new."""
    key = f"event.{m.event}"
    if not m.event or key not in TABLE:
        return m.text
    detail = m.event_detail or {}
    reason = detail.get("reason", "")
    return translate(key, locale, name=m.author_name, to=detail.get("to_name", ""),
                     reason=translate(f"handoff_reason.{reason}", locale)
                     if f"handoff_reason.{reason}" in TABLE else reason)


def message_item(m: inbox.ThreadMessage, org_id: str, locale: str = DEFAULT_LOCALE
                 ) -> MessageItem:
    url = media_link(m.id, org_id) if m.media_key else ""
    mime = (m.media_mime or "").split(";")[0].strip().lower()
    outbound_sent = m.direction == "outbound" and not m.is_private
    kind = _kind(m)
    return MessageItem(
        id=m.id, kind=kind, author=m.author_name,
        text=event_text(m, locale) if kind == "system" else m.text,
        at=m.created_at.isoformat(), status=m.delivery_status if outbound_sent else "",
        error=m.error_message or "", media_url=url, media_kind=_media_kind(mime) if url else "",
        sources=" · ".join(s for s in m.sources if s), is_template=m.content_type == "template",
        media_name=m.media_name, reaction=m.reaction)


def merge(current: list[MessageItem], fresh: list[MessageItem]) -> list[MessageItem]:
    """The latest page read again, laid over what is shown (older pages stay)."""
    by_id = {m.id: m for m in current}
    by_id.update({m.id: m for m in fresh})
    return sorted(by_id.values(), key=lambda m: (m.at, m.id))


def contact_info(panel: inbox.ContactPanel, templates: list[TemplateItem]) -> ContactInfo:
    return ContactInfo(
        contact_id=panel.contact_id, name=panel.name, phone=panel.phone, email=panel.email,
        temperature=panel.lead_temperature or "", stage=panel.lead_stage or "",
        reason=panel.lead_reason or "",
        earlier=[EarlierItem(id=e["id"], status=e["status"], at=e["created_at"].isoformat())
                 for e in panel.earlier],
        window_open=panel.window_open,
        window_closes_at=panel.window_closes_at.isoformat() if panel.window_closes_at else "",
        needs_template=panel.needs_template, templates=templates)


__all__ = ["ConsultantItem", "ContactInfo", "ConversationItem", "EarlierItem", "MessageItem",
           "Option", "TeamItem", "TemplateItem", "contact_info", "conversation_item",
           "event_text", "merge", "message_item"]
