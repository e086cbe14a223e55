"""The web chat widget: messages arrive through the app itself, replies are stored for the
visitor's page to show. Nothing leaves the platform, so sending always succeeds."""

from __future__ import annotations

import uuid

from smarterchat.backend.channels.base import Event, OutboundContent, SendResult
from smarterchat.backend.models import Channel


class WebChatProvider:
    kind = "webchat"

    def parse(self, channel: Channel, payload: dict) -> list[Event]:
        return []  # visitors' messages are stored directly by the web chat service

    def send(self, channel: Channel, to: str, content: OutboundContent) -> SendResult:
        return SendResult(provider_message_id=f"webchat:{uuid.uuid4().hex}")

    def fetch_media(self, channel: Channel, ref: str) -> tuple[bytes, str]:
        raise LookupError("web chat media is uploaded, never fetched")

    def check_connection(self, channel: Channel) -> dict:
        return {"ok": True}
