"""Each provider says what its channel can do, and the services obey it: the service
window, templates, which files and how large, where a caption goes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smarterchat.backend.channels.base import TemplatesUnsupported
from smarterchat.backend.channels.registry import PROVIDERS, capabilities_for
from smarterchat.backend.models import Channel, ChannelKind, Conversation
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import attachments, outbound
from smarterchat.backend.services.errors import InvalidInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def test_every_kind_of_channel_has_a_provider_with_the_whole_contract():
    assert set(PROVIDERS) == {k.value for k in ChannelKind}
    for provider in PROVIDERS.values():
        for method in ("parse", "send", "fetch_media", "check_connection", "sync_templates"):
            assert callable(getattr(provider, method)), (provider.kind, method)
        assert provider.capabilities.display_name
        assert provider.capabilities.media_limits  # every channel takes some files


@pytest.mark.parametrize("kind", ["instagram", "webchat"])
def test_channels_without_templates_say_so_when_asked_to_sync(kind):
    assert not capabilities_for(kind).templates
    with pytest.raises(TemplatesUnsupported):
        PROVIDERS[kind].sync_templates(Channel(kind=kind, name="x"))


def test_only_whatsapp_has_a_window_and_it_lasts_24_hours():
    assert capabilities_for("whatsapp").service_window == timedelta(hours=24)
    assert capabilities_for("instagram").service_window is None
    assert capabilities_for("webchat").service_window is None


@pytest.mark.parametrize(("kind", "hours_ago", "is_open"), [
    ("whatsapp", 23, True), ("whatsapp", 25, False), ("instagram", 25, True),
    ("webchat", 500, True)])
def test_the_window_follows_the_providers_word(kind, hours_ago, is_open):
    channel = Channel(kind=kind, name="x")
    conversation = Conversation(last_inbound_at=utcnow() - timedelta(hours=hours_ago))
    assert outbound.window_open(channel, conversation) is is_open
    closes = outbound.window_closes_at(channel, conversation)
    if kind == "whatsapp":
        assert closes == conversation.last_inbound_at + timedelta(hours=24)
    else:
        assert closes is None


def test_file_limits_come_from_the_provider():
    # A 6 MB PNG: over WhatsApp's 5 MB for images, within Instagram's 8 MB.
    big = PNG + b"\0" * (6 * 1024 * 1024)
    with pytest.raises(InvalidInput) as refused:
        attachments.check("whatsapp", "foto.png", big)
    assert refused.value.code == "attachment_too_large" and refused.value.params["max_mb"] == 5
    assert attachments.check("instagram", "foto.png", big) == ("image/png", "image")
    # A GIF goes on Instagram, not on WhatsApp; a Word file the other way round.
    gif = b"GIF89a" + b"\0" * 10
    assert attachments.check("instagram", "a.gif", gif) == ("image/gif", "image")
    with pytest.raises(InvalidInput):
        attachments.check("whatsapp", "a.gif", gif)
    assert attachments.accepts("whatsapp", "application/msword")
    assert not attachments.accepts("instagram", "application/msword")
    assert set(attachments.accept_list("instagram")) == \
        set(capabilities_for("instagram").media_limits)
    assert attachments.MAX_BYTES == 16 * 1024 * 1024
    # No conversation open (no channel): the picker offers nothing, and nothing is taken.
    assert attachments.accept_list("") == {}
    with pytest.raises(InvalidInput):
        attachments.check("", "foto.png", PNG)


def test_only_instagram_sends_a_caption_on_its_own():
    assert [k for k, p in PROVIDERS.items() if not p.capabilities.caption_with_media] == \
        ["instagram"]
