"""The operations metrics the alert rules watch, measured on real Redis and databases:
the age of the oldest waiting task, webhook ingest lag, AI latency and errors, outbound
failures by reason, and what the app's /metrics exposes."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from huey import RedisHuey
from prometheus_client import CollectorRegistry

from smarterchat.backend import observability
from smarterchat.backend.models import InboundEvent
from smarterchat.backend.models.base import utcnow
from tests.factories import make_conversation, make_org


def _scrape(collector) -> dict[str, float]:
    registry = CollectorRegistry()
    registry.register(collector)
    values = {}
    for family in registry.collect():
        for sample in family.samples:
            values[sample.name] = sample.value
    return values


def _value(name: str, **labels) -> float:
    return observability.REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_oldest_waiting_task_ages_until_a_worker_starts_it(redis_url, database):
    queue = RedisHuey(f"metrics-{uuid.uuid4().hex[:6]}", url=redis_url)
    observability.track_queue(queue)

    @queue.task()
    def noop():
        return "done"

    assert _scrape(observability.OperationsCollector(queue))[
        "smarterchat_queue_oldest_task_age_seconds"] == 0.0
    noop()
    time.sleep(1.2)
    later = noop.schedule(delay=3600)  # due in an hour: not late, not counted
    waiting = _scrape(observability.OperationsCollector(queue))
    assert waiting["smarterchat_queue_depth"] == 2
    assert 1.0 <= waiting["smarterchat_queue_oldest_task_age_seconds"] < 30

    # The worker takes the first task; the one due later does not make the queue look old.
    task = queue.dequeue()
    assert queue.execute(task) == "done"
    after = _scrape(observability.OperationsCollector(queue))
    assert after["smarterchat_queue_depth"] == 1
    assert after["smarterchat_queue_oldest_task_age_seconds"] == 0.0
    later.revoke()


def test_ingest_lag_is_the_age_of_the_oldest_unprocessed_webhook(session, redis_url):
    queue = RedisHuey(f"metrics-{uuid.uuid4().hex[:6]}", url=redis_url)
    collector = observability.OperationsCollector(queue)
    assert _scrape(collector)["smarterchat_webhook_ingest_lag_seconds"] == 0.0

    channel, _, _, _ = make_conversation(session, make_org(session))
    org_id = channel.organization_id
    session.add_all([
        InboundEvent(organization_id=org_id, channel_id=channel.id, body="{}",
                     received_at=utcnow() - timedelta(seconds=90)),
        InboundEvent(organization_id=org_id, channel_id=channel.id, body="{}",
                     received_at=utcnow() - timedelta(seconds=10)),
        InboundEvent(organization_id=org_id, channel_id=channel.id, body="{}",
                     status="processed", received_at=utcnow() - timedelta(hours=5)),
    ])
    session.commit()
    values = _scrape(collector)
    assert 89 <= values["smarterchat_webhook_ingest_lag_seconds"] < 120
    assert values["smarterchat_webhook_pending_events"] == 2


def test_ai_calls_are_timed_and_failures_counted():
    before_errors = _value("smarterchat_ai_errors_total", kind="json")
    before_count = _value("smarterchat_ai_request_duration_seconds_count", kind="json")
    with observability.ai_call("json"):
        time.sleep(0.01)
    with pytest.raises(RuntimeError), observability.ai_call("json"):
        raise RuntimeError("model down")
    assert _value("smarterchat_ai_request_duration_seconds_count", kind="json") == \
        before_count + 2
    assert _value("smarterchat_ai_errors_total", kind="json") == before_errors + 1


def test_a_send_given_up_on_is_counted_by_its_reason(session):
    from smarterchat.backend.models import Direction, Message
    from smarterchat.backend.services import outbound

    channel, _, conversation, _ = make_conversation(session, make_org(session))
    channel.is_active = False
    message = Message(organization_id=channel.organization_id, conversation_id=conversation.id,
                      channel_id=channel.id, direction=Direction.OUTBOUND, text="Olá")
    session.add_all([channel, message])
    session.commit()
    before = _value("smarterchat_outbound_send_failures_total", reason="channel_disabled")
    outbound.deliver(message.id)
    assert _value("smarterchat_outbound_send_failures_total", reason="channel_disabled") == \
        before + 1


def test_the_app_metrics_route_exposes_the_operations_gauges(database):
    from smarterchat.backend.api.app import create_api

    body = TestClient(create_api()).get("/metrics").text
    for name in ("smarterchat_queue_depth", "smarterchat_queue_oldest_task_age_seconds",
                 "smarterchat_webhook_ingest_lag_seconds", "smarterchat_websocket_clients"):
        assert f"\n{name} " in body, name
