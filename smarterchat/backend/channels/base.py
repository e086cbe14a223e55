"""The contract every channel provider implements, and the normalised events it yields."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from smarterchat.backend import storage
from smarterchat.backend.models import Channel

log = logging.getLogger(__name__)


@dataclass
class InboundMessage:
    """A message from a customer (or, with ``is_echo``, sent by the business elsewhere)."""

    contact_external_id: str
    provider_message_id: str
    content_type: str  # text, image, audio, video, document, sticker, location, contacts, ...
    text: str = ""
    contact_name: str | None = None
    contact_phone: str | None = None
    media_ref: str | None = None  # provider media id (WhatsApp) or URL (Instagram)
    media_mime: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    timestamp: datetime | None = None
    is_echo: bool = False
    # WhatsApp's business-scoped user id; with a username the phone may be missing.
    contact_user_id: str | None = None


@dataclass
class Reaction:
    """A customer's reaction to a message: shown on that message, never a turn of its own."""

    contact_external_id: str
    reacted_to: str  # the provider id of the message reacted to
    emoji: str  # "" when the reaction was removed
    timestamp: datetime | None = None


@dataclass
class IdentityChanged:
    """The customer's business-scoped user id changed (WhatsApp ``user_changed_user_id``)."""

    old_id: str
    new_id: str


@dataclass
class StatusUpdate:
    provider_message_id: str
    status: str  # sent, delivered, read, failed
    timestamp: datetime | None = None
    error_code: str | None = None
    error_message: str | None = None
    # What Meta bills for the message: billable, category, pricing_model, type (WhatsApp).
    pricing: dict[str, Any] | None = None


@dataclass
class MessageDeleted:
    provider_message_id: str


@dataclass
class ProviderNotice:
    """An account-level error or an event kind we keep but do not act on."""

    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


Event = InboundMessage | Reaction | IdentityChanged | StatusUpdate | MessageDeleted | ProviderNotice


@dataclass
class OutboundContent:
    text: str = ""  # with media, its caption
    media_key: str | None = None  # a file in our storage (see backend/storage.py)
    media_mime: str | None = None
    media_type: str | None = None  # image, audio, video, document
    filename: str | None = None
    template_name: str | None = None
    template_language: str | None = None
    template_parameters: list[str] = field(default_factory=list)


@dataclass
class SendResult:
    provider_message_id: str


class SendError(Exception):
    """A send that failed. ``retryable`` errors (timeouts, 429, 5xx) are tried again."""

    def __init__(self, message: str, *, code: str | None = None, retryable: bool = False,
                 retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after


def stored_media(content: OutboundContent) -> bytes:
    """The bytes of an attached file, for a provider to upload. A store that is down is worth
    another try; a file that is gone is not."""
    try:
        return storage.load(content.media_key or "")
    except FileNotFoundError as exc:
        raise SendError("The attached file is no longer stored.", code="attachment_missing") \
            from exc
    except storage.StorageUnavailable as exc:
        raise SendError(str(exc), code="storage", retryable=True) from exc


@dataclass(frozen=True)
class Capabilities:
    """What a channel can do, so callers ask its provider instead of testing its kind."""

    # As written in running text (the AI's prompt); pages translate ``channel.<kind>``.
    display_name: str
    # Free-form replies only this long after the customer's last message (None: any time).
    service_window: timedelta | None
    templates: bool  # pre-approved message templates (they also open a closed window)
    media_limits: dict[str, int]  # the files it can deliver: {mime: max bytes}
    caption_with_media: bool  # a file's caption travels with it, not as a message of its own
    meta_account: bool  # connected with Meta's account id, access token and app secret
    widget: bool = False  # our own embeddable chat widget

    def max_bytes(self, mime: str) -> int | None:
        """The largest file of this type it delivers; None when it cannot deliver the type."""
        return self.media_limits.get(mime)


class TemplatesUnsupported(LookupError):
    """``sync_templates`` on a channel without message templates."""


class WrongAccount(ValueError):
    """The payload names a phone number or account that is not this channel's."""


def only_this_account(channel: Channel, entries: list[tuple[str, Any]], what: str) -> list[Any]:
    """The parts of a delivery addressed to this channel's account; the others are logged and
    ignored. WrongAccount when nothing in it is this channel's (the whole event is set aside)."""
    ours = [part for account, part in entries if account == channel.external_id]
    others = sorted({account for account, _ in entries if account != channel.external_id})
    if others:
        if not ours:
            raise WrongAccount(f"{what} {', '.join(others)} is not this channel's")
        log.warning("webhook parts for another account ignored", extra={
            "channel_id": str(channel.id), "accounts": others})
    return ours


class Provider(Protocol):
    kind: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    def parse(self, channel: Channel, payload: dict[str, Any]) -> list[Event]: ...

    def send(self, channel: Channel, to: str, content: OutboundContent) -> SendResult: ...

    def fetch_media(self, channel: Channel, ref: str) -> tuple[bytes, str]: ...

    def check_connection(self, channel: Channel) -> dict[str, Any]:
        """The account as the provider describes it (name, number...); SendError when not."""
        ...

    def sync_templates(self, channel: Channel) -> list[dict[str, Any]]:
        """The account's message templates; TemplatesUnsupported without templates."""
        ...


def valid_meta_signature(app_secret: str | None, body: bytes, header: str | None) -> bool:
    """X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body, compared in constant time."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256="):].strip().lower())
