"""Outgoing webhooks reach a local receiver that verifies them with the official
``standardwebhooks`` package: retries keep one id, failures disable, private addresses
are refused, and deliveries survive a lost queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.api.app import create_api
from smarterchat.backend.db import reset
from smarterchat.backend.models import AuditLog, DeliveryState, PipelineStage, WebhookDelivery
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import ssrf
from smarterchat.backend.services import api_keys, webhook_delivery, webhooks
from smarterchat.backend.services.errors import InvalidInput
from tasks import webhooks as webhook_tasks
from tasks.queue import huey
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user
from tests.fakes.webhook_receiver import Receiver


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def allow_loopback(monkeypatch, database):
    monkeypatch.setenv("SMARTERCHAT_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    reset()
    yield
    monkeypatch.delenv("SMARTERCHAT_WEBHOOK_ALLOW_PRIVATE_ADDRESSES")
    reset()


@pytest.fixture
def org_with_endpoint(session, allow_loopback, receiver):
    org = make_org(session, "Loja")
    admin = actor_for(session, make_user(session, org), org)
    created = webhooks.create_endpoint(session, admin, url=receiver.url + "/hook",
                                       events=list(webhooks.EVENT_TYPES))
    receiver.secret = created.secret
    return org, admin, created.endpoint


def _one_delivery(session, org) -> WebhookDelivery:
    ids = webhook_delivery.record_event(session, org.id, "message.created", {"n": 1})
    assert len(ids) == 1
    return session.get(WebhookDelivery, ids[0])


def _row(session, model, key):
    return session.get(model, key, populate_existing=True)


def test_a_receiver_failing_twice_gets_one_id_three_times_and_the_delivery_ends_delivered(
        session, org_with_endpoint, receiver):
    org, _, _ = org_with_endpoint
    delivery = _one_delivery(session, org)
    receiver.answers = [(500, {}), (503, {})]
    start = utcnow()
    assert webhook_delivery.attempt(session, delivery.id, now=start).state == "pending"
    # Not due yet: nothing is sent before the ~5 s retry.
    assert webhook_delivery.attempt(session, delivery.id, now=start + timedelta(seconds=4)) is None
    second = webhook_delivery.attempt(session, delivery.id, now=start + timedelta(seconds=6))
    assert second.state == "pending"
    # The third attempt comes about 5 minutes later (with up to 10 % jitter).
    wait = second.next_attempt_at - (start + timedelta(seconds=6))
    assert timedelta(seconds=270) <= wait <= timedelta(seconds=330)
    third = webhook_delivery.attempt(session, delivery.id, now=second.next_attempt_at)
    assert third.state == DeliveryState.SUCCEEDED and third.status_code == 200
    assert len(receiver.received) == 3
    assert {r.webhook_id for r in receiver.received} == {f"msg_{delivery.id.hex}"}
    assert all(r.verified for r in receiver.received)
    assert receiver.received[0].body["type"] == "message.created"
    stored = _row(session, WebhookDelivery, delivery.id)
    assert stored.attempts == 3 and stored.delivered_at is not None
    assert stored.last_latency_ms is not None and '"status": 200' in stored.last_response


def test_retry_after_of_a_429_sets_the_next_attempt(session, org_with_endpoint, receiver):
    org, _, _ = org_with_endpoint
    delivery = _one_delivery(session, org)
    receiver.answers = [(429, {"Retry-After": "120"})]
    now = utcnow()
    outcome = webhook_delivery.attempt(session, delivery.id, now=now)
    assert outcome.next_attempt_at == now + timedelta(seconds=120)


@pytest.fixture
def mails():
    sent = []
    events.subscribe(events.EmailRequested, sent.append)
    yield sent
    events.unsubscribe(events.EmailRequested, sent.append)


def test_a_receiver_that_always_fails_ends_disabled_and_admins_are_told(
        session, org_with_endpoint, receiver, mails):
    org, admin, endpoint = org_with_endpoint
    receiver.always = (500, {})
    first = _one_delivery(session, org)
    now = utcnow()
    outcome = webhook_delivery.attempt(session, first.id, now=now)
    attempts = 1
    while outcome.next_attempt_at is not None:  # the whole schedule: 5 s ... 10 h
        outcome = webhook_delivery.attempt(session, first.id, now=outcome.next_attempt_at)
        attempts += 1
    assert attempts == 8 and outcome.state == DeliveryState.FAILED
    assert webhooks.get_endpoint(session, admin, endpoint.id).is_active  # not yet 5 days
    # Five days after the first failure, still failing: the endpoint is disabled.
    later = _one_delivery(session, org)
    waiting = _one_delivery(session, org)
    webhook_delivery.attempt(session, later.id, now=now + timedelta(days=5, minutes=1))
    shown = webhooks.get_endpoint(session, admin, endpoint.id)
    assert not shown.is_active and shown.disabled_reason == "failing"
    assert _row(session, WebhookDelivery, waiting.id).state == DeliveryState.FAILED
    told = session.exec(select(AuditLog).where(AuditLog.action == "webhook.disabled")).all()
    assert [a.organization_id for a in told] == [org.id]
    assert [(m.kind, m.context["url"]) for m in mails] == [("webhook_disabled", endpoint.url)]
    # A disabled endpoint gets no new deliveries.
    assert webhook_delivery.record_event(session, org.id, "message.created", {}) == []


def test_410_disables_the_endpoint_at_once(session, org_with_endpoint, receiver):
    org, admin, endpoint = org_with_endpoint
    delivery = _one_delivery(session, org)
    receiver.answers = [(410, {})]
    outcome = webhook_delivery.attempt(session, delivery.id)
    assert outcome.state == DeliveryState.FAILED and outcome.next_attempt_at is None
    shown = webhooks.get_endpoint(session, admin, endpoint.id)
    assert not shown.is_active and shown.disabled_reason == "gone"
    assert len(receiver.received) == 1


def test_private_addresses_are_refused_unless_allowed(session, org_with_endpoint, receiver,
                                                      monkeypatch):
    org, admin, _ = org_with_endpoint
    delivery = _one_delivery(session, org)
    monkeypatch.setenv("SMARTERCHAT_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "false")
    reset()
    with pytest.raises(InvalidInput) as refused:
        webhooks.create_endpoint(session, admin, url="http://127.0.0.1:9/x", events=["message.created"])
    assert refused.value.code == "webhook_address_refused"
    outcome = webhook_delivery.attempt(session, delivery.id)
    assert outcome.state == DeliveryState.PENDING and receiver.received == []
    assert _row(session, WebhookDelivery, delivery.id).last_error.startswith("address_refused")
    for url in ("http://169.254.169.254/latest/meta-data", "http://localhost/", "http://[::1]/",
                "http://10.0.0.5/", "http://[::ffff:127.0.0.1]/", "ftp://example.com/"):
        with pytest.raises(ssrf.AddressRefused):
            ssrf.check_url(url, allow_private=False)


def test_a_redirect_is_followed_only_to_an_allowed_address(session, org_with_endpoint, receiver,
                                                           monkeypatch):
    org, admin, endpoint = org_with_endpoint
    webhooks.update_endpoint(session, admin, endpoint.id, url=receiver.url + "/redirect/final")
    delivery = _one_delivery(session, org)
    assert webhook_delivery.attempt(session, delivery.id).state == DeliveryState.SUCCEEDED
    assert [r.path for r in receiver.received] == ["/redirect/final", "/final"]
    assert all(r.verified for r in receiver.received)
    # Each hop is checked: with loopback refused, the redirect's target is too.
    checked = []
    monkeypatch.setattr(ssrf, "check_url", lambda url, **kw: checked.append(url))
    second = _one_delivery(session, org)
    webhook_delivery.attempt(session, second.id)
    assert checked == [receiver.url + "/redirect/final", receiver.url + "/final"]


def test_a_rotated_secret_and_the_previous_one_both_verify(session, org_with_endpoint, receiver):
    org, admin, endpoint = org_with_endpoint
    old_secret = receiver.secret
    rotated = webhooks.rotate_secret(session, admin, endpoint.id)
    webhook_delivery.attempt(session, _one_delivery(session, org).id)
    assert receiver.received[-1].verified  # still with the old secret
    assert len(receiver.received[-1].signature.split(" ")) == 2
    receiver.secret = rotated.secret
    webhook_delivery.attempt(session, _one_delivery(session, org).id)
    assert receiver.received[-1].verified and rotated.secret != old_secret


@pytest.fixture
def immediate_queue():
    huey.immediate = True  # tasks run in this process, as they are enqueued
    yield
    huey.immediate = False


def test_a_lost_queue_loses_no_delivery(session, org_with_endpoint, receiver, immediate_queue):
    org, _, _ = org_with_endpoint
    delivery = _one_delivery(session, org)
    receiver.answers = [(500, {})]
    webhook_tasks.deliver(str(delivery.id))  # fails; its retry is scheduled in the queue
    assert _row(session, WebhookDelivery, delivery.id).state == DeliveryState.PENDING
    huey.immediate = False  # the worker restarts with an empty queue: the retry is gone
    huey.immediate = True
    session.execute(update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(minutes=5)))
    session.commit()
    assert webhook_tasks.deliver_due.call_local() == 1  # the periodic sweep finds it
    assert _row(session, WebhookDelivery, delivery.id).state == DeliveryState.SUCCEEDED
    assert [r.webhook_id for r in receiver.received] == [f"msg_{delivery.id.hex}"] * 2


def test_a_resolved_conversation_is_announced_to_its_organisation_only(
        session, org_with_endpoint, receiver, immediate_queue):
    org, admin, _ = org_with_endpoint
    other = make_org(session, "Outra")
    webhooks.create_endpoint(session, actor_for(session, make_user(session, other), other),
                             url=receiver.url + "/other", events=["conversation.status_changed"])
    _, _, conversation, _ = make_conversation(session, org)
    key = api_keys.create_key(session, admin, name="ERP", scopes=["write"]).secret
    with TestClient(create_api()) as api:
        answer = api.post(f"/api/v1/conversations/{conversation.id}/resolve",
                          headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200, answer.text
    status_events = [r for r in receiver.received if r.body["type"] == "conversation.status_changed"]
    assert [r.path for r in status_events] == ["/hook"]
    assert status_events[0].verified
    assert status_events[0].body["data"]["conversation"]["status"] == "resolved"


def test_test_events_and_redelivery_through_the_api(session, org_with_endpoint, receiver,
                                                    immediate_queue):
    org, admin, endpoint = org_with_endpoint
    key = api_keys.create_key(session, admin, name="Ops", scopes=["admin"]).secret
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_api()) as api:
        sent = api.post(f"/api/v1/webhooks/{endpoint.id}/test", headers=headers)
        assert sent.status_code == 202, sent.text
        delivery_id = sent.json()["delivery_ids"][0]
        log = api.get(f"/api/v1/webhooks/{endpoint.id}/deliveries", headers=headers).json()
        assert [(d["id"], d["state"], d["last_status_code"]) for d in log["data"]] == \
            [(delivery_id, "succeeded", 200)]
        again = api.post(f"/api/v1/webhooks/{endpoint.id}/deliveries/{delivery_id}/redeliver",
                         headers=headers)
        assert again.json()["delivery_ids"] == [delivery_id]
        start = (utcnow() - timedelta(hours=1)).isoformat()
        end = (utcnow() + timedelta(hours=1)).isoformat()
        ranged = api.post(f"/api/v1/webhooks/{endpoint.id}/redeliver", headers=headers,
                          json={"since": start, "until": end})
        assert ranged.json()["delivery_ids"] == [delivery_id]
        backwards = api.post(f"/api/v1/webhooks/{endpoint.id}/redeliver", headers=headers,
                             json={"since": end, "until": start})
        assert backwards.status_code == 202 and backwards.json()["delivery_ids"] == []
    assert [r.body["type"] for r in receiver.received] == ["webhook.test"] * 3
    assert {r.webhook_id for r in receiver.received} == {f"msg_{delivery_id.replace('-', '')}"}
    assert webhooks.get_endpoint(session, admin, endpoint.id).is_active


def test_moving_a_lead_to_won_sends_stage_changed_and_won(session, org_with_endpoint, receiver,
                                                          immediate_queue):
    org, admin, _ = org_with_endpoint
    _, contact, _, _ = make_conversation(session, org)
    lead = make_lead(session, org, contact)
    won = session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == lead.pipeline_id,
                                                   PipelineStage.kind == "won")).one()
    key = api_keys.create_key(session, admin, name="ERP", scopes=["write"]).secret
    with TestClient(create_api()) as api:
        moved = api.post(f"/api/v1/leads/{lead.id}/move", headers={"Authorization": f"Bearer {key}"},
                         json={"stage_id": str(won.id), "value_cents": 990000})
    assert moved.status_code == 200, moved.text
    by_type = {r.body["type"]: r for r in receiver.received}
    assert {"lead.stage_changed", "lead.won"} <= set(by_type)
    changed = by_type["lead.stage_changed"]
    assert changed.verified and changed.body["data"]["lead"]["id"] == str(lead.id)
    assert changed.body["data"]["lead"]["stage_id"] == str(won.id)
    assert by_type["lead.won"].body["data"]["lead"]["value_cents"] == 990000


def test_the_readme_verification_snippet_accepts_our_signature_and_refuses_a_forged_one():
    import re
    import time
    from pathlib import Path

    from smarterchat.backend.security import webhook_signing

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    snippet = re.search(r"```python\n(import base64, hashlib, hmac, time\n.*?)```", readme, re.S)
    namespace: dict = {}
    exec(snippet.group(1), namespace)  # noqa: S102 - the README's own code
    secret, body = webhook_signing.new_secret(), b'{"type":"message.created"}'
    headers = webhook_signing.headers([secret], "msg_1", int(time.time()), body)
    assert namespace["verify"](secret, headers, body)
    assert not namespace["verify"](secret, headers, body + b" ")
    assert not namespace["verify"](webhook_signing.new_secret(), headers, body)
