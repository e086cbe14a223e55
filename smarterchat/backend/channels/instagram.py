"""Instagram Messaging (Direct)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from smarterchat.backend.channels import graph
from smarterchat.backend.channels.base import (
    Capabilities,
    Event,
    InboundMessage,
    MessageDeleted,
    OutboundContent,
    ProviderNotice,
    Reaction,
    SendResult,
    StatusUpdate,
    TemplatesUnsupported,
    only_this_account,
    stored_media,
)
from smarterchat.backend.channels.media import MB, limits
from smarterchat.backend.models import Channel

ATTACHMENT_TYPES = {"image": "image", "video": "video", "audio": "audio", "file": "document",
                    "ig_reel": "video", "reel": "video", "story_mention": "image",
                    "share": "share", "animated_image_share": "image"}


def _when(ms: int | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if isinstance(ms, int | float) else None


def _message(item: dict[str, Any], account_id: str) -> Event:
    message = item["message"]
    mid = str(message.get("mid", ""))
    if message.get("is_deleted"):
        return MessageDeleted(provider_message_id=mid)
    echo = bool(message.get("is_echo"))
    # An echo was sent by the business: the customer is the recipient.
    customer = (item.get("recipient") if echo else item.get("sender")) or {}
    msg = InboundMessage(contact_external_id=str(customer.get("id", "")),
                         provider_message_id=mid, content_type="text",
                         text=message.get("text", ""), timestamp=_when(item.get("timestamp")),
                         is_echo=echo)
    attachments = message.get("attachments") or []
    if attachments:
        first = attachments[0]
        msg.content_type = ATTACHMENT_TYPES.get(first.get("type", ""), "document")
        msg.media_ref = (first.get("payload") or {}).get("url")
        if len(attachments) > 1:
            msg.extra["attachments"] = attachments
        if first.get("type") == "story_mention":
            msg.extra["story_mention"] = True
    story = (message.get("reply_to") or {}).get("story")
    if story:
        msg.extra["story_reply"] = {"id": story.get("id"), "url": story.get("url")}
    elif (message.get("reply_to") or {}).get("mid"):
        msg.extra["reply_to"] = message["reply_to"]["mid"]
    if message.get("quick_reply"):
        msg.extra["payload"] = message["quick_reply"].get("payload")
    return msg


def _sender(item: dict[str, Any]) -> str:
    return str((item.get("sender") or {}).get("id", ""))


def _postback(item: dict[str, Any]) -> InboundMessage:
    """An ice-breaker or menu button the customer tapped: their message, with its payload."""
    postback = item["postback"]
    return InboundMessage(
        contact_external_id=_sender(item),
        provider_message_id=str(postback.get("mid") or
                                f"postback:{_sender(item)}:{item.get('timestamp')}"),
        content_type="text", text=postback.get("title") or postback.get("payload") or "",
        extra={"postback": True, "payload": postback.get("payload")},
        timestamp=_when(item.get("timestamp")))


def _item(item: dict[str, Any], account_id: str) -> Event:
    if "message" in item:
        return _message(item, account_id)
    if "reaction" in item:
        reaction = item["reaction"]
        return Reaction(contact_external_id=_sender(item), reacted_to=str(reaction.get("mid", "")),
                        emoji="" if reaction.get("action") == "unreact"
                        else reaction.get("emoji") or "",
                        timestamp=_when(item.get("timestamp")))
    if "postback" in item:
        return _postback(item)
    if "read" in item:
        return StatusUpdate(provider_message_id=str(item["read"].get("mid")), status="read",
                            timestamp=_when(item.get("timestamp")))
    # referrals, opt-ins: kept, not acted on
    kinds = [k for k in item if k not in ("sender", "recipient", "timestamp")]
    return ProviderNotice(kind=f"messaging.{'.'.join(kinds) or 'unknown'}", detail=item)


class InstagramProvider:
    kind = "instagram"
    # Instagram's attachments carry no text: a caption is sent as a message of its own.
    capabilities = Capabilities(
        display_name="Instagram", service_window=None, templates=False,
        media_limits=limits({"image/jpeg", "image/png", "image/gif", "audio/aac", "audio/mp4",
                             "audio/wav", "video/mp4", "video/quicktime", "video/webm",
                             "application/pdf"}, image_bytes=8 * MB, other_bytes=16 * MB),
        caption_with_media=False, meta_account=True)

    def parse(self, channel: Channel, payload: dict[str, Any]) -> list[Event]:
        if payload.get("object") != "instagram":
            return [ProviderNotice(kind=f"object.{payload.get('object')}", detail=payload)]
        events: list[Event] = []
        entries = [(str(entry.get("id", "")), entry) for entry in payload.get("entry") or []]
        for entry in only_this_account(channel, entries, "Instagram account") if entries else []:
            for item in entry.get("messaging") or []:
                events.append(_item(item, channel.external_id or ""))
            for change in entry.get("changes") or []:
                events.append(ProviderNotice(kind=f"field.{change.get('field')}", detail=change))
        return events

    def send(self, channel: Channel, to: str, content: OutboundContent) -> SendResult:
        # An attachment carries no text: the inbox queues a caption as a message of its own.
        if content.media_key:
            kind = {"document": "file"}.get(content.media_type or "", content.media_type or "file")
            message: dict[str, Any] = {"attachment": {"type": kind, "payload": {
                "attachment_id": self._upload(channel, kind, content)}}}
        else:
            message = {"text": content.text}
        answer = graph.post_json(f"{channel.external_id}/messages", channel.access_token,
                                 {"recipient": {"id": to}, "message": message})
        return SendResult(provider_message_id=answer["message_id"])

    def _upload(self, channel: Channel, kind: str, content: OutboundContent) -> str:
        """The Attachment Upload API from our server (multipart): an attachment id."""
        message = {"attachment": {"type": kind, "payload": {"is_reusable": True}}}
        answer = graph.request(
            "POST", f"{channel.external_id}/message_attachments", channel.access_token,
            data={"platform": "instagram", "message": json.dumps(message)},
            files={"filedata": (content.filename or "file", stored_media(content),
                                content.media_mime)}).json()
        return str(answer["attachment_id"])

    def fetch_media(self, channel: Channel, ref: str) -> tuple[bytes, str]:
        response = graph.request("GET", ref, None)  # CDN links are signed, no token needed
        return response.content, response.headers.get("content-type", "application/octet-stream")

    def check_connection(self, channel: Channel) -> dict[str, Any]:
        return graph.get_json(str(channel.external_id), channel.access_token,
                              params={"fields": "username,name"})

    def sync_templates(self, channel: Channel) -> list[dict[str, Any]]:
        raise TemplatesUnsupported("Instagram has no message templates")
