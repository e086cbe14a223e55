"""Which provider serves which kind of channel."""

from __future__ import annotations

from smarterchat.backend.channels.base import Capabilities, Provider
from smarterchat.backend.channels.instagram import InstagramProvider
from smarterchat.backend.channels.webchat import WebChatProvider
from smarterchat.backend.channels.whatsapp import WhatsAppProvider

PROVIDERS: dict[str, Provider] = {
    p.kind: p for p in (WhatsAppProvider(), InstagramProvider(), WebChatProvider())
}


def provider_for(kind: str) -> Provider:
    return PROVIDERS[kind]


def capabilities_for(kind: str) -> Capabilities:
    """What a kind of channel can do (KeyError for a kind no provider serves)."""
    return PROVIDERS[kind].capabilities
