"""The web chat widget: messages arrive through the app itself, replies are stored for the
visitor's page to show. Nothing leaves the platform, so sending always succeeds."""

from __future__ import annotations

import uuid
from typing import Any

from smarterchat.backend.channels.base import (
    Capabilities,
    Event,
    OutboundContent,
    SendResult,
    TemplatesUnsupported,
)
from smarterchat.backend.channels.media import KINDS, MB, limits
from smarterchat.backend.models import Channel


class WebChatProvider:
    kind = "webchat"
    capabilities = Capabilities(
        display_name="web chat", service_window=None, templates=False,
        media_limits=limits(KINDS, image_bytes=16 * MB, other_bytes=16 * MB),
        caption_with_media=True, meta_account=False, widget=True, choices=5)  # stars

    def parse(self, channel: Channel, payload: dict[str, Any]) -> list[Event]:
        return []  # visitors' messages are stored directly by the web chat service

    def send(self, channel: Channel, to: str, content: OutboundContent) -> SendResult:
        return SendResult(provider_message_id=f"webchat:{uuid.uuid4().hex}")

    def fetch_media(self, channel: Channel, ref: str) -> tuple[bytes, str]:
        raise LookupError("web chat media is uploaded, never fetched")

    def check_connection(self, channel: Channel) -> dict[str, Any]:
        return {"ok": True}

    def sync_templates(self, channel: Channel) -> list[dict[str, Any]]:
        raise TemplatesUnsupported("the web chat has no message templates")
