"""WhatsApp Business Cloud API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from smarterchat.backend.channels import graph
from smarterchat.backend.channels.base import (
    Capabilities,
    Event,
    IdentityChanged,
    InboundMessage,
    OutboundContent,
    ProviderNotice,
    Reaction,
    SendResult,
    StatusUpdate,
    only_this_account,
    stored_media,
)
from smarterchat.backend.channels.media import MB, OFFICE, limits
from smarterchat.backend.models import Channel

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
# The customer-service window: free-form messages only within 24 h of the customer's last one.
WINDOW_HOURS = 24


def _when(ts: str | int | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(ts), UTC) if ts else None
    except (TypeError, ValueError):
        return None


def _sender_ids(raw: dict[str, Any]) -> tuple[str, str | None]:
    """(phone, business-scoped user id) of a message's sender; either may be empty."""
    user_id = raw.get("from_user_id") or raw.get("user_id")
    return str(raw.get("from") or ""), str(user_id) if user_id else None


def _profiles(value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each ``contacts`` entry, found by phone and by business-scoped user id."""
    found: dict[str, dict[str, Any]] = {}
    for contact in value.get("contacts") or []:
        for key in (contact.get("wa_id"), contact.get("user_id")):
            if key:
                found[str(key)] = contact
    return found


def _system(raw: dict[str, Any], user_id: str | None) -> Event:
    body = raw.get("system") or {}
    new_id = body.get("user_id") or body.get("new_user_id")
    if body.get("type") == "user_changed_user_id" and user_id and new_id:
        return IdentityChanged(old_id=user_id, new_id=str(new_id))
    return ProviderNotice(kind="message.system", detail=raw)


def _message(raw: dict[str, Any], profiles: dict[str, dict[str, Any]]) -> Event:
    kind = raw.get("type", "unknown")
    phone, user_id = _sender_ids(raw)
    if kind == "system":
        return _system(raw, user_id)
    body = raw.get(kind) or {}
    if kind == "reaction":  # empty emoji: the reaction was removed
        return Reaction(contact_external_id=phone or user_id or "",
                        reacted_to=str(body.get("message_id") or ""),
                        emoji=body.get("emoji") or "", timestamp=_when(raw.get("timestamp")))
    profile = (profiles.get(phone) or profiles.get(user_id or "") or {}).get("profile") or {}
    user_id = user_id or (profiles.get(phone) or {}).get("user_id")
    msg = InboundMessage(contact_external_id=phone or user_id or "",
                         provider_message_id=str(raw.get("id", "")), content_type=kind,
                         contact_name=profile.get("name") or profile.get("username"),
                         contact_phone=phone or None, contact_user_id=user_id,
                         timestamp=_when(raw.get("timestamp")))
    if raw.get("context", {}).get("id"):
        msg.extra["reply_to"] = raw["context"]["id"]
    if kind == "text":
        msg.text = body.get("body", "")
    elif kind in MEDIA_TYPES:
        msg.media_ref, msg.media_mime = body.get("id"), body.get("mime_type")
        msg.text = body.get("caption", "")
        for key in ("filename", "voice", "animated", "sha256"):
            if key in body:
                msg.extra[key] = body[key]
    elif kind == "location":
        msg.extra["location"] = body
        msg.text = body.get("name") or body.get("address") or \
            f"{body.get('latitude')}, {body.get('longitude')}"
    elif kind == "contacts":
        msg.extra["contacts"] = body if isinstance(body, list) else []
        msg.text = ", ".join(c.get("name", {}).get("formatted_name", "")
                             for c in msg.extra["contacts"])
    elif kind == "interactive":
        reply = body.get(body.get("type", ""), {}) or {}
        msg.text = reply.get("title", "")
        msg.extra.update(interactive_type=body.get("type"), reply_id=reply.get("id"),
                         description=reply.get("description"))
    elif kind == "button":  # quick reply of a template
        msg.text, msg.extra["payload"] = body.get("text", ""), body.get("payload")
    else:  # order, unsupported and kinds Meta adds later: kept, not acted on
        return ProviderNotice(kind=f"message.{kind}", detail=raw)
    return msg


def _statuses(value: dict[str, Any]) -> list[Event]:
    """Delivery statuses; a failed one may come without ``contacts`` or a phone."""
    events: list[Event] = []
    for status in value.get("statuses") or []:
        error = (status.get("errors") or [{}])[0]
        details = (error.get("error_data") or {}).get("details")
        events.append(StatusUpdate(
            provider_message_id=str(status.get("id", "")),
            status=status.get("status", ""),
            timestamp=_when(status.get("timestamp")),
            error_code=str(error["code"]) if error.get("code") else None,
            error_message=details or error.get("message") or error.get("title"),
            pricing=_pricing(status.get("pricing")),
        ))
    return events


class WhatsAppProvider:
    kind = "whatsapp"
    # What Meta documents for the Cloud API; documents are capped at 16 MB here too.
    capabilities = Capabilities(
        display_name="WhatsApp", service_window=timedelta(hours=WINDOW_HOURS), templates=True,
        media_limits=limits({"image/jpeg", "image/png", "audio/aac", "audio/amr", "audio/mpeg",
                             "audio/mp4", "audio/ogg", "video/mp4", "video/3gpp", *OFFICE},
                            image_bytes=5 * MB, other_bytes=16 * MB),
        caption_with_media=True, meta_account=True)

    def parse(self, channel: Channel, payload: dict[str, Any]) -> list[Event]:
        if payload.get("object") != "whatsapp_business_account":
            return [ProviderNotice(kind=f"object.{payload.get('object')}", detail=payload)]
        events: list[Event] = []
        ours: list[tuple[str, dict[str, Any]]] = []
        for entry in payload.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                if change.get("field") != "messages":
                    events.append(ProviderNotice(kind=f"field.{change.get('field')}",
                                                 detail=value))
                    continue
                ours.append((str((value.get("metadata") or {}).get("phone_number_id", "")),
                             value))
        for value in only_this_account(channel, ours, "phone_number_id") if ours else []:
            profiles = _profiles(value)
            events.extend(_message(m, profiles) for m in value.get("messages") or [])
            events.extend(_statuses(value))
            events.extend(ProviderNotice(kind="error", detail=error)
                          for error in value.get("errors") or [])
        return events

    def send(self, channel: Channel, to: str, content: OutboundContent) -> SendResult:
        # A contact known only by its business-scoped user id is addressed as "recipient".
        address = "to" if to.isdigit() else "recipient"
        payload: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual",
                                   address: to}
        if content.template_name:
            template: dict[str, Any] = {"name": content.template_name,
                              "language": {"code": content.template_language or "pt_BR"}}
            if content.template_parameters:
                template["components"] = [{"type": "body", "parameters": [
                    {"type": "text", "text": p} for p in content.template_parameters]}]
            payload.update(type="template", template=template)
        elif content.media_key:
            kind = content.media_type or "document"
            media: dict[str, Any] = {"id": self._upload(channel, content)}
            if content.text and kind != "audio":  # audio takes no caption
                media["caption"] = content.text
            if kind == "document" and content.filename:
                media["filename"] = content.filename
            payload.update(type=kind, **{kind: media})
        else:
            payload.update(type="text", text={"preview_url": False, "body": content.text})
        answer = graph.post_json(f"{channel.external_id}/messages", channel.access_token, payload)
        return SendResult(provider_message_id=answer["messages"][0]["id"])

    def _upload(self, channel: Channel, content: OutboundContent) -> str:
        """POST /{phone-number-id}/media (multipart): the media id to send."""
        answer = graph.request(
            "POST", f"{channel.external_id}/media", channel.access_token,
            data={"messaging_product": "whatsapp", "type": content.media_mime},
            files={"file": (content.filename or "file", stored_media(content),
                            content.media_mime)}).json()
        return str(answer["id"])

    def fetch_media(self, channel: Channel, ref: str) -> tuple[bytes, str]:
        meta = graph.get_json(ref, channel.access_token)
        response = graph.request("GET", meta["url"], channel.access_token)
        return response.content, meta.get("mime_type") or response.headers.get(
            "content-type", "application/octet-stream")

    def sync_templates(self, channel: Channel) -> list[dict[str, Any]]:
        """Every template of the WhatsApp Business Account, following Graph paging."""
        templates: list[dict[str, Any]] = []
        path: str | None = f"{channel.business_account_id}/message_templates"
        params: dict[str, Any] | None = {"limit": 100, "fields": "name,language,status,category,components"}
        while path:
            page = graph.get_json(path, channel.access_token, params=params)
            templates.extend(page.get("data") or [])
            path, params = (page.get("paging") or {}).get("next"), None
        return templates

    def check_connection(self, channel: Channel) -> dict[str, Any]:
        return graph.get_json(str(channel.external_id), channel.access_token,
                              params={"fields": "display_phone_number,verified_name"})


def _pricing(value: Any) -> dict[str, Any] | None:
    """The status's ``pricing`` object, only the fields reports read and of the right type."""
    if not isinstance(value, dict):
        return None
    kept: dict[str, Any] = {k: str(value[k])[:40] for k in ("category", "pricing_model", "type")
                            if isinstance(value.get(k), str)}
    if isinstance(value.get("billable"), bool):
        kept["billable"] = value["billable"]
    return kept or None
