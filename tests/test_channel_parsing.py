"""Providers turn Meta's documented webhook shapes into normalised events."""

from __future__ import annotations

import pytest

from smarterchat.backend.channels.base import (
    IdentityChanged,
    InboundMessage,
    MessageDeleted,
    ProviderNotice,
    Reaction,
    StatusUpdate,
    WrongAccount,
    valid_meta_signature,
)
from smarterchat.backend.channels.instagram import InstagramProvider
from smarterchat.backend.channels.whatsapp import WhatsAppProvider
from smarterchat.backend.models import Channel
from tests.fakes import meta

PHONE_ID = "106540352242922"
IG_ID = "17841405822304914"
wa = WhatsAppProvider()
ig = InstagramProvider()
wa_channel = Channel(kind="whatsapp", name="wa", external_id=PHONE_ID)
ig_channel = Channel(kind="instagram", name="ig", external_id=IG_ID)


def _one(payload) -> InboundMessage:
    (event,) = wa.parse(wa_channel, payload)
    return event


WA_KINDS = {
    "text": ({"body": "Oi"}, "Oi", None),
    "image": ({"id": "media1", "mime_type": "image/jpeg", "caption": "foto"}, "foto", "media1"),
    "audio": ({"id": "media2", "mime_type": "audio/ogg; codecs=opus", "voice": True}, "", "media2"),
    "video": ({"id": "media3", "mime_type": "video/mp4"}, "", "media3"),
    "document": ({"id": "media4", "mime_type": "application/pdf", "filename": "boleto.pdf"}, "",
                 "media4"),
    "sticker": ({"id": "media5", "mime_type": "image/webp", "animated": False}, "", "media5"),
    "location": ({"latitude": -23.55, "longitude": -46.63, "name": "Loja Paulista",
                  "address": "Av. Paulista, 1000"}, "Loja Paulista", None),
    "button": ({"payload": "CONFIRMAR", "text": "Confirmar"}, "Confirmar", None),
}


@pytest.mark.parametrize("kind", list(WA_KINDS))
def test_whatsapp_message_kinds(kind):
    body, text, media = WA_KINDS[kind]
    msg = _one(meta.whatsapp_message(PHONE_ID, f"wamid.{kind}", kind=kind, body=body))
    assert msg.content_type == kind and msg.text == text and msg.media_ref == media
    assert msg.contact_external_id == "5511988887777" and msg.contact_name == "Maria Silva"
    assert msg.provider_message_id == f"wamid.{kind}" and msg.timestamp is not None


def test_whatsapp_contacts_and_interactive_replies():
    contacts = _one(meta.whatsapp_message(PHONE_ID, "wamid.c", kind="contacts", body=[
        {"name": {"formatted_name": "João Souza", "first_name": "João"},
         "phones": [{"phone": "+55 11 3333-4444", "type": "WORK"}]}]))
    assert contacts.text == "João Souza" and contacts.extra["contacts"][0]["phones"]
    button = _one(meta.whatsapp_message(PHONE_ID, "wamid.b", kind="interactive", body={
        "type": "button_reply", "button_reply": {"id": "sim", "title": "Sim, quero"}}))
    assert button.text == "Sim, quero" and button.extra["reply_id"] == "sim"
    listed = _one(meta.whatsapp_message(PHONE_ID, "wamid.l", kind="interactive", body={
        "type": "list_reply", "list_reply": {"id": "p2", "title": "Plano 2",
                                             "description": "R$ 99"}}))
    assert listed.text == "Plano 2" and listed.extra["description"] == "R$ 99"


def test_whatsapp_unknown_kinds_are_kept_as_notices():
    (notice,) = wa.parse(wa_channel, meta.whatsapp_message(PHONE_ID, "wamid.u", kind="unsupported",
                                                           body={}))
    assert isinstance(notice, ProviderNotice) and notice.kind == "message.unsupported"
    other_field = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "message_template_status_update", "value": {"event": "APPROVED"}}]}]}
    (notice,) = wa.parse(wa_channel, other_field)
    assert notice.kind == "field.message_template_status_update"


def test_whatsapp_statuses_with_errors():
    (status,) = wa.parse(wa_channel, meta.whatsapp_status(PHONE_ID, "wamid.X", "failed", error={
        "code": 131047, "title": "Re-engagement message",
        "error_data": {"details": "Message failed to send because more than 24 hours have "
                                  "passed since the customer last replied to this number."}}))
    assert isinstance(status, StatusUpdate)
    assert status.status == "failed" and status.error_code == "131047"
    assert "24 hours" in status.error_message


def test_whatsapp_error_notifications():
    payload = meta.whatsapp_envelope(PHONE_ID, {"errors": [{"code": 131000, "title": "x"}]})
    (notice,) = wa.parse(wa_channel, payload)
    assert notice.kind == "error"


def test_whatsapp_for_another_phone_number_is_refused():
    with pytest.raises(WrongAccount):
        wa.parse(wa_channel, meta.whatsapp_message("999", "wamid.z"))


def test_whatsapp_reaction_is_not_a_message_of_its_own():
    (added,) = wa.parse(wa_channel, meta.whatsapp_message(
        PHONE_ID, "wamid.r", kind="reaction", body={"message_id": "wamid.OUT1", "emoji": "👍"}))
    assert isinstance(added, Reaction)
    assert (added.reacted_to, added.emoji, added.contact_external_id) == \
        ("wamid.OUT1", "👍", "5511988887777")
    (removed,) = wa.parse(wa_channel, meta.whatsapp_message(
        PHONE_ID, "wamid.r2", kind="reaction", body={"message_id": "wamid.OUT1"}))
    assert isinstance(removed, Reaction) and removed.emoji == ""


def test_whatsapp_mixed_entries_keep_this_channels_changes():
    ours = meta.whatsapp_message(PHONE_ID, "wamid.ours")
    theirs = meta.whatsapp_message("999", "wamid.theirs")
    mixed = {**ours, "entry": ours["entry"] + theirs["entry"]}
    (msg,) = wa.parse(wa_channel, mixed)
    assert msg.provider_message_id == "wamid.ours"


def test_whatsapp_business_scoped_user_id_without_phone():
    value = {"contacts": [{"profile": {"name": "Bia", "username": "@bia"},
                           "user_id": "BR.1" + "a" * 128}],
             "messages": [{"from_user_id": "BR.1" + "a" * 128, "id": "wamid.u",
                           "timestamp": "1700000000", "type": "text", "text": {"body": "Oi"}}]}
    (msg,) = wa.parse(wa_channel, meta.whatsapp_envelope(PHONE_ID, value))
    assert msg.contact_external_id == "BR.1" + "a" * 128 and msg.contact_phone is None
    assert msg.contact_user_id == msg.contact_external_id and msg.contact_name == "Bia"
    (change,) = wa.parse(wa_channel, meta.whatsapp_envelope(PHONE_ID, {"messages": [{
        "from_user_id": "BR.old", "id": "wamid.s", "timestamp": "1700000001", "type": "system",
        "system": {"body": "User changed", "type": "user_changed_user_id",
                   "user_id": "BR.new"}}]}))
    assert isinstance(change, IdentityChanged) and (change.old_id, change.new_id) == \
        ("BR.old", "BR.new")


def test_instagram_messages_echoes_reactions_reads_and_deletes():
    (text,) = ig.parse(ig_channel, meta.instagram_message(IG_ID, "mid.1"))
    assert text.text == "Oi! Tem no tamanho M?" and not text.is_echo
    assert text.contact_external_id == "17841400000000001"

    (echo,) = ig.parse(ig_channel, meta.instagram_message(IG_ID, "mid.2", text="Temos!",
                                                          echo=True))
    assert echo.is_echo and echo.contact_external_id == "17841400000000001"

    (photo,) = ig.parse(ig_channel, meta.instagram_message(IG_ID, "mid.3", text="", attachments=[
        {"type": "image", "payload": {"url": "https://cdn.example/x.jpg"}}]))
    assert photo.content_type == "image" and photo.media_ref == "https://cdn.example/x.jpg"

    (story,) = ig.parse(ig_channel, meta.instagram_message(IG_ID, "mid.4", text="Lindo!",
                                                           reply_to={"story": {
                                                               "url": "https://cdn/s", "id": "9"}}))
    assert story.extra["story_reply"]["id"] == "9"

    (deleted,) = ig.parse(ig_channel, meta.instagram_message(IG_ID, "mid.1", is_deleted=True))
    assert isinstance(deleted, MessageDeleted) and deleted.provider_message_id == "mid.1"

    reaction, read, postback = ig.parse(ig_channel, meta.instagram_event(IG_ID, [
        {"sender": {"id": "1784"}, "recipient": {"id": IG_ID}, "timestamp": 1700000000000,
         "reaction": {"mid": "mid.OUT", "action": "react", "reaction": "love", "emoji": "❤️"}},
        {"sender": {"id": "1784"}, "recipient": {"id": IG_ID}, "timestamp": 1700000000001,
         "read": {"mid": "mid.OUT"}},
        {"sender": {"id": "1784"}, "recipient": {"id": IG_ID}, "timestamp": 1700000000002,
         "postback": {"title": "Começar", "payload": "START"}},
    ]))
    assert isinstance(reaction, Reaction) and reaction.emoji == "❤️"
    assert reaction.reacted_to == "mid.OUT"
    assert isinstance(read, StatusUpdate) and read.status == "read"
    # A tapped ice-breaker is the customer's message, with its payload.
    assert isinstance(postback, InboundMessage) and postback.text == "Começar"
    assert postback.extra["payload"] == "START" and postback.contact_external_id == "1784"


def test_instagram_for_another_account_is_refused():
    with pytest.raises(WrongAccount):
        ig.parse(ig_channel, meta.instagram_message("123", "mid.z"))


def test_signature_check():
    body = b'{"a": 1}'
    good = meta.sign(body, "app-secret")
    assert valid_meta_signature("app-secret", body, good)
    assert valid_meta_signature("app-secret", body, good.upper().replace("SHA256=", "sha256="))
    assert not valid_meta_signature("app-secret", body + b" ", good)
    assert not valid_meta_signature("other", body, good)
    assert not valid_meta_signature("app-secret", body, None)
    assert not valid_meta_signature("app-secret", body, good.replace("sha256=", "sha1="))
    assert not valid_meta_signature(None, body, good)
