"""Meta's webhook cases that used to lose or mislabel messages (issue 18), as Meta sends
them: signed payloads posted to the app under uvicorn, processed by a ``huey_consumer``
through Redis, stored in PostgreSQL; replies go to a fake Graph API."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import col, select

from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import (
    Agent,
    Channel,
    Contact,
    Conversation,
    InboundEvent,
    Message,
    Organization,
)
from smarterchat.backend.services import outbound
from tests.fakes import meta
from tests.fakes.pipeline import Pipeline
from tests.support import create_pg_database, drop_pg_database, migrate, need, need_postgresql

SECRET = "wa-app-secret-meta-cases"
IG_SECRET = "ig-app-secret-meta-cases"
PHONE_ID = "106540352240018"
IG_ID = "17841405822300018"
# Business-scoped user ids: a country code, a dot, up to 128 alphanumerics.
BSUID = "BR." + "7Kq2" * 32
BSUID_NEW = "BR." + "9Zx1" * 32


@pytest.fixture(scope="module")
def stack(request):
    need_postgresql(request)
    need(request, bool(shutil.which("redis-server")), "redis-server")
    url = create_pg_database()
    migrate(url)
    pipeline = Pipeline(url, workers=4, extra_env={"SMARTERCHAT_AI_COALESCE_SECONDS": "0.5"}).start()
    with session_scope() as session:
        org = Organization(name="Loja Meta", slug=f"lm-{uuid.uuid4().hex[:6]}")
        session.add(org)
        session.flush()
        agent = Agent(organization_id=org.id, name="Assistente",
                      business_facts="Entregamos em todo o Brasil.")
        session.add(agent)
        session.flush()
        wa = Channel(organization_id=org.id, kind="whatsapp", name="WA", agent_id=agent.id,
                     external_id=PHONE_ID, access_token="tok", app_secret=SECRET,
                     verify_token="verify-me")
        ig = Channel(organization_id=org.id, kind="instagram", name="IG", external_id=IG_ID,
                     access_token="ig-tok", app_secret=IG_SECRET)
        session.add_all([wa, ig])
    yield pipeline, wa.id, ig.id
    pipeline.stop()
    from smarterchat.backend import db

    db.reset()
    drop_pg_database(url)


def post(pipeline, kind, channel_id, payload, secret=SECRET, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    return httpx.post(f"{pipeline.base_url}/webhooks/{kind}/{channel_id}", content=body,
                      headers={"X-Hub-Signature-256": meta.sign(body, secret),
                               "Content-Type": "application/json"}, timeout=10)


def wait_for(check, timeout=15.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def message(channel_id, provider_id) -> Message | None:
    with session_scope() as session:
        return session.exec(select(Message).where(
            Message.channel_id == channel_id,
            Message.provider_message_id == provider_id)).first()


def conversation_of(msg: Message) -> Conversation:
    with session_scope() as session:
        return session.get(Conversation, msg.conversation_id)


def contact_of(msg: Message) -> Contact:
    with session_scope() as session:
        return session.get(Contact, conversation_of(msg).contact_id)


def settled(event_id: str) -> InboundEvent:
    def done():
        with session_scope() as session:
            event = session.get(InboundEvent, uuid.UUID(event_id))
            return event if event.status != "pending" else None
    return wait_for(done, what="event processed")


def text_from(sender, wamid, text="Oi", *, timestamp=None):
    return meta.whatsapp_message(PHONE_ID, wamid, sender=sender, body={"body": text},
                                 timestamp=timestamp)


def thread(conversation_id) -> list[Message]:
    with session_scope() as session:
        return list(session.exec(select(Message).where(Message.conversation_id == conversation_id)
                                 .order_by(col(Message.created_at))).all())


# ------------------------------------------------------------------ at the door

def test_verification_without_a_challenge_is_refused(stack):
    pipeline, wa, _ = stack
    url = f"{pipeline.base_url}/webhooks/whatsapp/{wa}"
    missing = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me"})
    assert missing.status_code == 400
    ok = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                "hub.challenge": "42"})
    assert ok.status_code == 200 and ok.text == "42"


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"1", b"null"])
def test_a_signed_body_that_is_not_an_object_is_refused_and_stores_nothing(stack, raw):
    pipeline, wa, _ = stack
    with session_scope() as session:
        before = len(session.exec(select(InboundEvent.id)).all())
    answer = post(pipeline, "whatsapp", wa, None, raw=raw)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "malformed_json"
    with session_scope() as session:
        assert len(session.exec(select(InboundEvent.id)).all()) == before


# ------------------------------------------------------------------ mixed deliveries

def test_a_delivery_mixing_two_numbers_keeps_this_channels_messages(stack):
    pipeline, wa, _ = stack
    ours = text_from("5511933330001", "wamid.MIX-OURS", "Quero um orçamento")
    theirs = meta.whatsapp_message("999000111", "wamid.MIX-THEIRS", sender="5511933330002")
    mixed = {**ours, "entry": ours["entry"] + theirs["entry"]}
    answer = post(pipeline, "whatsapp", wa, mixed)
    assert answer.status_code == 200
    kept = wait_for(lambda: message(wa, "wamid.MIX-OURS"), what="our message")
    assert kept.text == "Quero um orçamento"
    time.sleep(0.3)
    assert message(wa, "wamid.MIX-THEIRS") is None
    assert "webhook parts for another account ignored" in pipeline.logs()


# ------------------------------------------------------------------ reactions

def _ai_replies(conversation_id) -> list[Message]:
    return [m for m in thread(conversation_id) if m.author_kind == "ai"]


def _reaction(sender, wamid, target, emoji, ts):
    return meta.whatsapp_message(PHONE_ID, wamid, sender=sender, kind="reaction",
                                 body={"message_id": target, **({"emoji": emoji} if emoji else {})},
                                 timestamp=ts)


def test_reactions_show_on_their_message_and_are_not_a_turn(stack):
    pipeline, wa, _ = stack
    sender = "5511933330010"
    post(pipeline, "whatsapp", wa, text_from(sender, "wamid.RX-1", "Vocês entregam hoje?"))
    first = wait_for(lambda: message(wa, "wamid.RX-1"))
    # The control: a customer's text is a turn, the AI answers it.
    wait_for(lambda: _ai_replies(first.conversation_id), timeout=20, what="AI reply")
    replies = len(_ai_replies(first.conversation_id))
    before = conversation_of(first)
    now = int(time.time())
    for wamid, emoji, ts in (("wamid.RX-a", "❤️", now + 1), ("wamid.RX-c", "😂", now + 3),
                             ("wamid.RX-b", "👍", now + 2)):  # the older one arrives last
        assert post(pipeline, "whatsapp", wa, _reaction(sender, wamid, "wamid.RX-1", emoji,
                                                        ts)).status_code == 200
    wait_for(lambda: (message(wa, "wamid.RX-1").extra.get("reaction") or {}).get("emoji") == "😂",
             what="reaction shown")
    time.sleep(1.5)  # longer than the AI's coalescing wait
    after = conversation_of(first)
    assert after.unread_count == before.unread_count
    assert after.last_message_at == before.last_message_at
    assert len(_ai_replies(first.conversation_id)) == replies
    assert {m.provider_message_id for m in thread(first.conversation_id)
            if m.author_kind == "contact"} == {"wamid.RX-1"}
    assert message(wa, "wamid.RX-1").extra["reaction"]["emoji"] == "😂"  # the newest won

    post(pipeline, "whatsapp", wa, _reaction(sender, "wamid.RX-d", "wamid.RX-1", "", now + 4))
    wait_for(lambda: message(wa, "wamid.RX-1").extra["reaction"]["emoji"] == "",
             what="reaction removed")


def test_instagram_reaction_and_postback(stack):
    pipeline, _, ig = stack
    post(pipeline, "instagram", ig, meta.instagram_message(IG_ID, "mid.PB-1", sender="1784001"),
         IG_SECRET)
    first = wait_for(lambda: message(ig, "mid.PB-1"))
    ts = int(time.time() * 1000)
    post(pipeline, "instagram", ig, meta.instagram_event(IG_ID, [
        {"sender": {"id": "1784001"}, "recipient": {"id": IG_ID}, "timestamp": ts,
         "reaction": {"mid": "mid.PB-1", "action": "react", "reaction": "love", "emoji": "❤️"}},
        {"sender": {"id": "1784001"}, "recipient": {"id": IG_ID}, "timestamp": ts + 1,
         "postback": {"mid": "mid.PB-2", "title": "Ver horários", "payload": "HOURS"}},
    ]), IG_SECRET)
    postback = wait_for(lambda: message(ig, "mid.PB-2"), what="postback stored")
    assert postback.author_kind == "contact" and postback.text == "Ver horários"
    assert postback.extra["payload"] == "HOURS"
    assert postback.conversation_id == first.conversation_id
    assert message(ig, "mid.PB-1").extra["reaction"]["emoji"] == "❤️"
    assert conversation_of(first).unread_count == 2  # the text and the postback, not the ❤️


# ------------------------------------------------------------------ provider time

def test_a_late_delivery_keeps_the_time_it_was_written(stack):
    pipeline, wa, _ = stack
    sender = "5511933330020"
    post(pipeline, "whatsapp", wa, text_from(sender, "wamid.LATE-new", "segunda mensagem"))
    newest = wait_for(lambda: message(wa, "wamid.LATE-new"))
    written = datetime.now(UTC) - timedelta(days=2)
    post(pipeline, "whatsapp", wa, text_from(sender, "wamid.LATE-old", "primeira mensagem",
                                             timestamp=int(written.timestamp())))
    late = wait_for(lambda: message(wa, "wamid.LATE-old"))
    assert abs((late.created_at - written).total_seconds()) < 1
    contact_lines = [m.provider_message_id for m in thread(newest.conversation_id)
                     if m.author_kind == "contact"]
    assert contact_lines == ["wamid.LATE-old", "wamid.LATE-new"]
    # The conversation does not jump up the list as if it were new.
    assert conversation_of(late).last_message_at >= newest.created_at


# ------------------------------------------------------------------ business-scoped user ids

def _bsuid_message(wamid, user_id, *, phone=None, name="Bia"):
    item = {"id": wamid, "timestamp": str(int(time.time())), "type": "text",
            "text": {"body": "Oi, sou eu"}, "from_user_id": user_id}
    profile = {"profile": {"name": name}, "user_id": user_id}
    if phone:
        item["from"], profile["wa_id"] = phone, phone
    return meta.whatsapp_envelope(PHONE_ID, {"contacts": [profile], "messages": [item]})


def test_a_customer_known_by_phone_is_found_again_by_user_id_alone(stack):
    pipeline, wa, _ = stack
    post(pipeline, "whatsapp", wa, _bsuid_message("wamid.B-1", BSUID, phone="5511933330030"))
    first = wait_for(lambda: message(wa, "wamid.B-1"))
    post(pipeline, "whatsapp", wa, _bsuid_message("wamid.B-2", BSUID))  # no phone any more
    second = wait_for(lambda: message(wa, "wamid.B-2"), what="message without a phone")
    assert second.conversation_id == first.conversation_id
    contact = contact_of(second)
    assert contact.external_id == "5511933330030" and contact.business_user_id == BSUID


def test_a_customer_with_only_a_user_id_is_kept_answered_and_renamed(stack):
    pipeline, wa, _ = stack
    user_id = "BR." + "Q" * 128  # 131 characters
    answer = post(pipeline, "whatsapp", wa, _bsuid_message("wamid.U-1", user_id, name="Caio"))
    assert answer.status_code == 200
    first = wait_for(lambda: message(wa, "wamid.U-1"), what="message of a username user")
    contact = contact_of(first)
    assert contact.external_id == user_id and contact.phone is None and contact.name == "Caio"

    # Answerable: the reply goes to the user id as "recipient".
    with session_scope() as session:
        reply = outbound.queue_message(session, session.get(Conversation, first.conversation_id),
                                       OutboundContent(text="Olá, Caio!"), author_kind="ai")
    from huey import RedisHuey

    from tasks.channels import enqueue_on, send_message

    enqueue_on(RedisHuey("smarterchat", url=pipeline.redis.url), send_message.s(str(reply.id)))
    (sent,) = wait_for(lambda: [s for s in pipeline.graph.sends()
                                if (s.body.get("text") or {}).get("body") == "Olá, Caio!"],
                       what="reply sent")
    assert sent.body["recipient"] == user_id and "to" not in sent.body
    wamid = wait_for(lambda: message_by_id(reply.id).provider_message_id)

    # A failed status without contacts, addressed by user id only, still applies.
    failed = {"id": wamid, "status": "failed", "timestamp": str(int(time.time())),
              "recipient_user_id": user_id,
              "errors": [{"code": 131047, "title": "Re-engagement message"}]}
    post(pipeline, "whatsapp", wa, meta.whatsapp_envelope(PHONE_ID, {"statuses": [failed]}))
    wait_for(lambda: message_by_id(reply.id).delivery_status == "failed", what="failed status")

    # The id changes (user_changed_user_id): the same contact, found by the new one.
    change = {"from_user_id": user_id, "id": "wamid.U-sys", "timestamp": str(int(time.time())),
              "type": "system", "system": {"body": "User Caio changed", "type":
                                           "user_changed_user_id", "user_id": BSUID_NEW}}
    settled(post(pipeline, "whatsapp", wa,
                 meta.whatsapp_envelope(PHONE_ID, {"messages": [change]})).json()["event_id"])
    post(pipeline, "whatsapp", wa, _bsuid_message("wamid.U-2", BSUID_NEW, name="Caio"))
    later = wait_for(lambda: message(wa, "wamid.U-2"), what="message under the new id")
    assert later.conversation_id == first.conversation_id
    assert contact_of(later).business_user_id == BSUID_NEW


def message_by_id(message_id) -> Message:
    with session_scope() as session:
        return session.get(Message, message_id)


# ------------------------------------------------------------------ a suspended organisation

def test_a_suspended_organisations_webhooks_are_held_until_it_is_reactivated(stack):
    from huey import RedisHuey

    from tasks.channels import enqueue_on, process_conversation

    pipeline, wa, _ = stack
    with session_scope() as session:
        org = session.get(Organization, session.get(Channel, wa).organization_id)
        org.is_active = False
        session.add(org)
    try:
        sender = "5511933330040"
        answer = post(pipeline, "whatsapp", wa, text_from(sender, "wamid.SUSP-1", "Alguém aí?"))
        assert answer.status_code == 200  # kept: Meta must not retry it for days
        time.sleep(1.5)  # the drain ran and left it
        with session_scope() as session:
            event = session.get(InboundEvent, uuid.UUID(answer.json()["event_id"]))
            assert event.status == "pending" and event.attempts == 0
        assert message(wa, "wamid.SUSP-1") is None
    finally:
        with session_scope() as session:
            org = session.get(Organization, org.id)
            org.is_active = True
            session.add(org)
    # What the reactivation's listener enqueues (tests/test_suspension.py runs the listener).
    enqueue_on(RedisHuey("smarterchat", url=pipeline.redis.url),
               process_conversation.s(str(wa), sender))
    held = wait_for(lambda: message(wa, "wamid.SUSP-1"), what="held message processed")
    assert held.text == "Alguém aí?"
