"""The channel pipeline end to end, as in production: signed webhooks posted to the app
under uvicorn, stored in PostgreSQL, processed by ``huey_consumer`` processes through
Redis, replies sent to a fake Graph API speaking Meta's wire format."""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import time
import uuid
from datetime import timedelta

import httpx
import pytest
from huey import RedisHuey
from sqlmodel import select

from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import (
    Channel,
    Contact,
    Conversation,
    ConversationStatus,
    InboundEvent,
    Message,
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import channels as channel_service
from smarterchat.backend.services import outbound
from smarterchat.backend.services.errors import InvalidInput
from tests.factories import actor_for, make_user
from tests.fakes import meta
from tests.fakes.pipeline import Pipeline
from tests.support import create_pg_database, drop_pg_database, migrate, need, need_postgresql

WA_SECRET = "wa-app-secret-0123456789"
IG_SECRET = "ig-app-secret-0123456789"
PHONE_ID = "106540352242922"
IG_ID = "17841405822304914"


@pytest.fixture(scope="module")
def pipeline(request):
    need_postgresql(request)
    need(request, bool(shutil.which("redis-server")), "redis-server")
    url = create_pg_database()
    migrate(url)
    p = Pipeline(url, consumers=1, workers=4).start()
    from smarterchat.backend import db

    # This process acts as the admin's browser would (template sync, test connection).
    os.environ["SMARTERCHAT_GRAPH_API_BASE_URL"] = p.graph.base_url
    db.reset()
    yield p
    p.stop()
    del os.environ["SMARTERCHAT_GRAPH_API_BASE_URL"]
    db.reset()
    drop_pg_database(url)


@pytest.fixture(scope="module")
def world(pipeline):
    """One organisation with a WhatsApp and an Instagram channel."""
    with session_scope() as session:
        org = Organization(name="Loja", slug=f"loja-{uuid.uuid4().hex[:6]}")
        session.add(org)
        session.flush()
        wa = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp",
                     external_id=PHONE_ID, business_account_id="102290129340398",
                     access_token="EAAG-token", app_secret=WA_SECRET, verify_token="verify-me")
        ig = Channel(organization_id=org.id, kind="instagram", name="Instagram",
                     external_id=IG_ID, access_token="IGQ-token", app_secret=IG_SECRET,
                     verify_token="verify-ig")
        session.add_all([wa, ig])
    return {"org": org.id, "wa": wa.id, "ig": ig.id}


@pytest.fixture(scope="module")
def queue(pipeline):
    """A client of the pipeline's queue, to enqueue sends as the inbox will."""
    from tasks.channels import enqueue_on, send_message

    client = RedisHuey("smarterchat", url=pipeline.redis.url)
    return lambda message_id: enqueue_on(client, send_message.s(str(message_id)))


def post(pipeline, kind, channel_id, payload, secret, *, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    sig = signature if signature is not None else meta.sign(body, secret)
    if sig:
        headers["X-Hub-Signature-256"] = sig
    return httpx.post(f"{pipeline.base_url}/webhooks/{kind}/{channel_id}", content=body,
                      headers=headers, timeout=10)


def wait_for(check, timeout=15.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def messages(channel_id, provider_id=None):
    with session_scope() as session:
        query = select(Message).where(Message.channel_id == channel_id)
        if provider_id:
            query = query.where(Message.provider_message_id == provider_id)
        return session.exec(query).all()


def events_count(channel_id=None) -> int:
    with session_scope() as session:
        query = select(InboundEvent)
        if channel_id:
            query = query.where(InboundEvent.channel_id == channel_id)
        return len(session.exec(query).all())


# ------------------------------------------------------------------ verification handshake

def test_meta_verification_handshake(pipeline, world):
    url = f"{pipeline.base_url}/webhooks/whatsapp/{world['wa']}"
    ok = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    bad = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "nope",
                                 "hub.challenge": "1"})
    assert bad.status_code == 403
    other = httpx.get(f"{pipeline.base_url}/webhooks/whatsapp/{uuid.uuid4()}",
                      params={"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                              "hub.challenge": "1"})
    assert other.status_code == 403


# ------------------------------------------------------------------ bad input changes nothing

def test_bad_requests_are_refused_and_store_nothing(pipeline, world):
    before = events_count()
    payload = meta.whatsapp_message(PHONE_ID, "wamid.bad")
    unsigned = post(pipeline, "whatsapp", world["wa"], payload, WA_SECRET, signature="")
    assert unsigned.status_code == 401 and unsigned.json()["error"]["code"] == "bad_signature"
    wrong = post(pipeline, "whatsapp", world["wa"], payload, WA_SECRET,
                 signature=meta.sign(b"other body", WA_SECRET))
    assert wrong.status_code == 401
    other_secret = post(pipeline, "whatsapp", world["wa"], payload, IG_SECRET)
    assert other_secret.status_code == 401
    malformed = post(pipeline, "whatsapp", world["wa"], None, WA_SECRET, raw=b"{not json")
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "malformed_json"
    huge = post(pipeline, "whatsapp", world["wa"], None, WA_SECRET,
                raw=b'{"x": "' + b"a" * (3 * 1024 * 1024) + b'"}')
    assert huge.status_code == 413
    unknown = post(pipeline, "whatsapp", uuid.uuid4(), payload, WA_SECRET)
    assert unknown.status_code == 404
    wrong_kind = post(pipeline, "instagram", world["wa"], payload, WA_SECRET)
    assert wrong_kind.status_code == 404
    assert events_count() == before
    assert not messages(world["wa"], "wamid.bad")


# ------------------------------------------------------------------ inbound

def test_whatsapp_text_creates_contact_conversation_and_message(pipeline, world):
    r = post(pipeline, "whatsapp", world["wa"],
             meta.whatsapp_message(PHONE_ID, "wamid.T1", sender="5511911110001", name="Ana"),
             WA_SECRET)
    assert r.status_code == 200 and r.json()["status"] == "received"
    (msg,) = wait_for(lambda: messages(world["wa"], "wamid.T1"), what="message stored")
    assert msg.text == "Olá, vocês entregam em Campinas?" and msg.author_kind == "contact"
    with session_scope() as session:
        conversation = session.get(Conversation, msg.conversation_id)
        contact = session.get(Contact, conversation.contact_id)
    assert contact.name == "Ana" and contact.external_id == "5511911110001"
    # This channel has no AI agent: people serve it from the first message.
    assert conversation.status == ConversationStatus.WAITING_HUMAN
    assert conversation.unread_count == 1
    assert conversation.last_inbound_at is not None

    # The next message of the same customer joins the same open conversation.
    post(pipeline, "whatsapp", world["wa"],
         meta.whatsapp_message(PHONE_ID, "wamid.T2", sender="5511911110001"), WA_SECRET)
    (second,) = wait_for(lambda: messages(world["wa"], "wamid.T2"))
    assert second.conversation_id == msg.conversation_id


def test_after_resolution_a_new_message_starts_a_new_conversation(pipeline, world):
    sender = "5511911110002"
    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message(PHONE_ID, "wamid.R1",
                                                                  sender=sender), WA_SECRET)
    (first,) = wait_for(lambda: messages(world["wa"], "wamid.R1"))
    with session_scope() as session:
        conversation = session.get(Conversation, first.conversation_id)
        conversation.status, conversation.resolved_at = ConversationStatus.RESOLVED, utcnow()
        session.add(conversation)
    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message(PHONE_ID, "wamid.R2",
                                                                  sender=sender), WA_SECRET)
    (second,) = wait_for(lambda: messages(world["wa"], "wamid.R2"))
    assert second.conversation_id != first.conversation_id


def test_media_is_downloaded_into_storage(pipeline, world):
    from smarterchat.backend import storage

    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message(
        PHONE_ID, "wamid.IMG", kind="image",
        body={"id": "media777", "mime_type": "image/jpeg", "caption": "meu pedido"}), WA_SECRET)
    msg = wait_for(lambda: [m for m in messages(world["wa"], "wamid.IMG")
                            if m.media_storage_key], what="media stored")[0]
    assert msg.text == "meu pedido" and msg.media_mime == "image/jpeg"
    assert storage.load(msg.media_storage_key).endswith(b"media777")
    fetched = [r.path for r in pipeline.graph.requests if r.method == "GET"]
    assert "/v21.0/media777" in fetched


def test_redelivery_and_concurrent_duplicates_are_stored_once(pipeline, world):
    payload = meta.whatsapp_message(PHONE_ID, "wamid.DUP", sender="5511911110003")
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: post(pipeline, "whatsapp", world["wa"], payload,
                                               WA_SECRET), range(10)))
    assert all(a.status_code == 200 for a in answers)
    time.sleep(0.5)
    post(pipeline, "whatsapp", world["wa"], payload, WA_SECRET)  # Meta re-delivers later
    with session_scope() as session:
        wait_for(lambda: all(e.status != "pending" for e in session.exec(
            select(InboundEvent).where(InboundEvent.channel_id == world["wa"])).all()) or
            session.expire_all(), what="events processed")
    assert len(messages(world["wa"], "wamid.DUP")) == 1


def test_events_for_another_phone_number_are_ignored(pipeline, world):
    r = post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message("999999", "wamid.OTHER"),
             WA_SECRET)
    assert r.status_code == 200
    event_id = uuid.UUID(r.json()["event_id"])

    def status():
        with session_scope() as session:
            return session.get(InboundEvent, event_id).status
    assert wait_for(lambda: status() != "pending" and status()) == "ignored"
    assert not messages(world["wa"], "wamid.OTHER")


def test_unknown_event_kinds_are_kept_and_skipped(pipeline, world):
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}}]}]}
    r = post(pipeline, "whatsapp", world["wa"], payload, WA_SECRET)
    event_id = uuid.UUID(r.json()["event_id"])

    def event():
        with session_scope() as session:
            return session.get(InboundEvent, event_id)
    done = wait_for(lambda: event().status == "processed" and event())
    assert "field.account_update" in done.error and json.loads(done.body) == payload


def test_instagram_messages_echoes_and_deletions(pipeline, world):
    post(pipeline, "instagram", world["ig"], meta.instagram_message(IG_ID, "mid.IG1"), IG_SECRET)
    (msg,) = wait_for(lambda: messages(world["ig"], "mid.IG1"))
    assert msg.author_kind == "contact" and msg.direction == "inbound"
    post(pipeline, "instagram", world["ig"],
         meta.instagram_message(IG_ID, "mid.IG2", text="Temos sim!", echo=True), IG_SECRET)
    (echo,) = wait_for(lambda: messages(world["ig"], "mid.IG2"))
    assert echo.author_kind == "consultant" and echo.direction == "outbound"
    assert echo.conversation_id == msg.conversation_id
    post(pipeline, "instagram", world["ig"],
         meta.instagram_message(IG_ID, "mid.IG1", is_deleted=True), IG_SECRET)
    wait_for(lambda: messages(world["ig"], "mid.IG1")[0].extra.get("deleted"))
    assert messages(world["ig"], "mid.IG1")[0].text == ""


# ------------------------------------------------------------------ outbound

def _conversation(world, sender: str) -> uuid.UUID:
    wamid = f"wamid.open-{sender}"
    return wait_for(lambda: messages(world["wa"], wamid), what="conversation")[0].conversation_id


# These channels have no AI agent and nobody is online: a customer's first message starts a
# wait, and the customer is told once that everyone is busy (issue 13). Sends are picked by
# recipient and content, never by position or total count.
WAITING = "estão ocupadas"


def sends_to(pipeline, recipient: str) -> list:
    """The Graph API sends addressed to one customer (WhatsApp ``to``, Instagram
    ``recipient.id``), in the order they arrived."""
    return [r for r in pipeline.graph.sends()
            if r.body.get("to") == recipient or
            (r.body.get("recipient") or {}).get("id") == recipient]


def _text(send) -> str:
    body = send.body
    return (body.get("text") or {}).get("body") or (body.get("message") or {}).get("text") or ""


def _is_notice(send) -> bool:
    return WAITING in _text(send)


def replies_to(pipeline, recipient: str) -> list:
    """What was sent to the customer other than the waiting notice."""
    return [s for s in sends_to(pipeline, recipient) if not _is_notice(s)]


def _waiting_notice(pipeline, recipient: str):
    """The customer's one waiting notice, once it has gone out (so it can neither take a
    fault the test prepares for its own send nor arrive in the middle of what it checks)."""
    wait_for(lambda: [s for s in sends_to(pipeline, recipient) if _is_notice(s)],
             what=f"waiting notice to {recipient}")
    (notice,) = [s for s in sends_to(pipeline, recipient) if _is_notice(s)]
    return notice


def _open(pipeline, world, sender):
    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message(
        PHONE_ID, f"wamid.open-{sender}", sender=sender), WA_SECRET)
    conversation_id = _conversation(world, sender)
    _waiting_notice(pipeline, sender)
    return conversation_id


def _queue_text(conversation_id, text="Entregamos sim!", **content):
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        message = outbound.queue_message(session, conversation,
                                         OutboundContent(text=text, **content), author_kind="ai")
    return message.id


def _message(message_id) -> Message:
    with session_scope() as session:
        return session.get(Message, message_id)


def test_reply_is_sent_and_statuses_apply_in_any_order(pipeline, world, queue):
    conversation_id = _open(pipeline, world, "5511922220001")
    message_id = _queue_text(conversation_id)
    queue(message_id)
    wait_for(lambda: replies_to(pipeline, "5511922220001"), what="reply sent")
    (reply,) = replies_to(pipeline, "5511922220001")
    assert reply.body == {"messaging_product": "whatsapp", "recipient_type": "individual",
                          "to": "5511922220001", "type": "text",
                          "text": {"preview_url": False, "body": "Entregamos sim!"}}
    assert reply.headers["authorization"] == "Bearer EAAG-token"
    msg = wait_for(lambda: _message(message_id).provider_message_id and _message(message_id))
    assert msg.delivery_status == "sent"
    wamid = msg.provider_message_id

    for status in ("read", "delivered", "sent"):  # Meta may deliver them in any order
        post(pipeline, "whatsapp", world["wa"], meta.whatsapp_status(PHONE_ID, wamid, status),
             WA_SECRET)
    wait_for(lambda: _message(message_id).delivered_at is not None)
    time.sleep(0.3)
    final = _message(message_id)
    assert final.delivery_status == "read" and final.read_at is not None
    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_status(
        PHONE_ID, wamid, "failed", error={"code": 131026, "title": "Undeliverable"}), WA_SECRET)
    time.sleep(0.5)
    assert _message(message_id).delivery_status == "read"  # never backwards


def test_failed_status_records_the_providers_reason(pipeline, world, queue):
    conversation_id = _open(pipeline, world, "5511922220002")
    message_id = _queue_text(conversation_id)
    queue(message_id)
    wamid = wait_for(lambda: _message(message_id).provider_message_id)
    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_status(PHONE_ID, wamid, "failed", error={
        "code": 131047, "title": "Re-engagement message",
        "error_data": {"details": "More than 24 hours have passed"}}), WA_SECRET)
    failed = wait_for(lambda: _message(message_id).delivery_status == "failed" and
                      _message(message_id))
    assert failed.error_code == "131047" and "24 hours" in failed.error_message


@pytest.mark.parametrize("fault", ["429", "500", "hang"])
def test_sends_are_retried_on_rate_limits_server_errors_and_timeouts(pipeline, world, queue,
                                                                      fault):
    sender = f"55119333{['429', '500', 'hang'].index(fault)}"
    conversation_id = _open(pipeline, world, sender)
    pipeline.graph.fail_next(2, fault, 1.5 if fault == "hang" else 0.2)
    message_id = _queue_text(conversation_id, text=f"retry {fault}")
    queue(message_id)
    msg = wait_for(lambda: _message(message_id).delivery_status == "sent" and _message(message_id),
                   timeout=30, what="sent after retries")
    assert msg.provider_message_id.startswith("wamid.FAKE")
    attempts = [r for r in sends_to(pipeline, sender) if _text(r) == f"retry {fault}"]
    assert len(attempts) == 3
    assert len([r for r in sends_to(pipeline, sender) if _is_notice(r)]) == 1


def test_a_permanent_error_marks_the_message_failed_with_the_reason(pipeline, world, queue):
    conversation_id = _open(pipeline, world, "5511944440001")
    pipeline.graph.fail_next(1, "131026")
    message_id = _queue_text(conversation_id)
    queue(message_id)
    failed = wait_for(lambda: _message(message_id).delivery_status == "failed" and
                      _message(message_id))
    assert failed.error_code == "131026" and "Recipient not available" in failed.error_message


PDF = b"%PDF-1.4\n% orcamento\n%%EOF\n"


def test_an_attachment_is_uploaded_to_whatsapp_then_sent_by_id(pipeline, world, queue):
    from smarterchat.backend import storage

    conversation_id = _open(pipeline, world, "5511944440002")
    key = storage.save(world["org"], PDF, "application/pdf")
    uploads_before = len(pipeline.graph.uploads)
    pipeline.graph.fail_next(1, "500")  # the first upload fails: the send is retried whole
    message_id = _queue_text(conversation_id, text="Segue o orçamento", media_key=key,
                             media_mime="application/pdf", media_type="document",
                             filename="orçamento.pdf")
    queue(message_id)
    sent = wait_for(lambda: _message(message_id).delivery_status == "sent" and
                    _message(message_id), timeout=30, what="attachment sent")
    (upload,) = pipeline.graph.uploads[uploads_before:]
    assert upload.path == f"/{meta.VERSION}/{PHONE_ID}/media"
    assert upload.fields == {"messaging_product": "whatsapp", "type": "application/pdf"}
    assert (upload.filename, upload.content_type, upload.data) == \
        ("orçamento.pdf", "application/pdf", PDF)
    (send,) = replies_to(pipeline, "5511944440002")
    assert send.body == {"messaging_product": "whatsapp", "recipient_type": "individual",
                         "to": "5511944440002", "type": "document", "document": {
                             "id": upload.media_id, "caption": "Segue o orçamento",
                             "filename": "orçamento.pdf"}}
    assert sent.provider_message_id.startswith("wamid.FAKE")


def test_an_attachment_is_uploaded_to_instagram_then_sent_by_attachment_id(pipeline, world,
                                                                           queue):
    from smarterchat.backend import storage

    sender = "17841400000000777"
    post(pipeline, "instagram", world["ig"],
         meta.instagram_message(IG_ID, "mid.IG-open-777", sender=sender), IG_SECRET)
    (opened,) = wait_for(lambda: messages(world["ig"], "mid.IG-open-777"))
    _waiting_notice(pipeline, sender)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    key = storage.save(world["org"], png, "image/png")
    uploads_before = len(pipeline.graph.uploads)
    message_id = _queue_text(opened.conversation_id, text="", media_key=key,
                             media_mime="image/png", media_type="image", filename="foto.png")
    queue(message_id)
    wait_for(lambda: _message(message_id).delivery_status == "sent", what="attachment sent")
    (upload,) = pipeline.graph.uploads[uploads_before:]
    assert upload.path == f"/{meta.VERSION}/{IG_ID}/message_attachments"
    assert upload.fields["platform"] == "instagram"
    assert json.loads(upload.fields["message"]) == {
        "attachment": {"type": "image", "payload": {"is_reusable": True}}}
    assert (upload.filename, upload.content_type, upload.data) == ("foto.png", "image/png", png)
    (send,) = replies_to(pipeline, sender)
    assert send.body == {"recipient": {"id": sender}, "message": {"attachment": {
        "type": "image", "payload": {"attachment_id": upload.media_id}}}}


def test_an_attachment_gone_from_storage_fails_with_the_reason(pipeline, world, queue):
    conversation_id = _open(pipeline, world, "5511944440003")
    message_id = _queue_text(conversation_id, text="", media_key=f"{world['org']}/00/missing.pdf",
                             media_mime="application/pdf", media_type="document",
                             filename="x.pdf")
    queue(message_id)
    failed = wait_for(lambda: _message(message_id).delivery_status == "failed" and
                      _message(message_id))
    assert failed.error_code == "attachment_missing"
    assert replies_to(pipeline, "5511944440003") == []


def test_whatsapp_24_hour_window(pipeline, world, queue):
    conversation_id = _open(pipeline, world, "5511955550001")
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        conversation.last_inbound_at = utcnow() - timedelta(hours=25)
        session.add(conversation)
    with pytest.raises(InvalidInput) as refused:
        _queue_text(conversation_id)
    assert refused.value.code == "whatsapp_window_closed"
    message_id = _queue_text(conversation_id, text="", template_name="pedido_enviado",
                             template_language="pt_BR", template_parameters=["Ana", "#123"])
    queue(message_id)
    wait_for(lambda: replies_to(pipeline, "5511955550001"), what="template sent")
    (sent,) = replies_to(pipeline, "5511955550001")
    assert sent.body["type"] == "template"
    assert sent.body["template"] == {
        "name": "pedido_enviado", "language": {"code": "pt_BR"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"},
                                                        {"type": "text", "text": "#123"}]}]}


def test_templates_are_synced_across_pages(pipeline, world):
    with session_scope() as session:
        org = session.get(Organization, world["org"])
        admin = make_user(session, org)
        actor = actor_for(session, admin, org)
        templates = channel_service.sync_templates(session, actor, world["wa"])
        assert len(templates) == 7
        approved = channel_service.approved_templates(session.get(Channel, world["wa"]))
    assert {t["name"] for t in approved} == {f"template_{i}" for i in range(7) if i % 3}
    pages = [r for r in pipeline.graph.requests if r.path.endswith("/message_templates")]
    assert len(pages) >= 3


# ------------------------------------------------------------------ nothing lost

def test_redis_down_during_ingestion_loses_nothing(pipeline, world):
    from tasks.channels import sweep_now

    pipeline.redis.stop()
    wamids = [f"wamid.DOWN{i}" for i in range(5)]
    for i, wamid in enumerate(wamids):
        r = post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message(
            PHONE_ID, wamid, sender=f"55119666600{i}"), WA_SECRET)
        assert r.status_code == 200  # stored; Meta must not retry us into a storm
    assert all(not messages(world["wa"], w) for w in wamids)
    pipeline.redis.start()  # the consumers reconnect by themselves
    time.sleep(1)
    sweep_now(timedelta(0), queue=RedisHuey("smarterchat", url=pipeline.redis.url))
    for wamid in wamids:
        wait_for(lambda w=wamid: messages(world["wa"], w), timeout=20, what=wamid)
    assert all(len(messages(world["wa"], w)) == 1 for w in wamids)


def test_poison_event_is_set_aside_with_its_error(pipeline, world):
    from tasks.channels import sweep_now

    poison = {"object": "whatsapp_business_account", "entry": [{"changes": "not a list"}]}
    r = post(pipeline, "whatsapp", world["wa"], poison, WA_SECRET)
    event_id = uuid.UUID(r.json()["event_id"])
    client = RedisHuey("smarterchat", url=pipeline.redis.url)

    def event():
        with session_scope() as session:
            return session.get(InboundEvent, event_id)
    for _ in range(3):
        attempts = event().attempts
        sweep_now(timedelta(0), queue=client)
        wait_for(lambda a=attempts: event().attempts > a or event().status == "failed")
    failed = event()
    assert failed.status == "failed" and "AttributeError" in failed.error
    # Later work on the channel is not blocked by it.
    post(pipeline, "whatsapp", world["wa"], meta.whatsapp_message(PHONE_ID, "wamid.AFTER"),
         WA_SECRET)
    wait_for(lambda: messages(world["wa"], "wamid.AFTER"))
