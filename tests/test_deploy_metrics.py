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


def _waiting(session, org, *, status, queued_minutes=None, customer_minutes=(),
             answered_minutes=None):
    """A conversation with people: queued ``queued_minutes`` ago, customer messages that
    many minutes ago, and an answer (a consultant's or the AI's) that many minutes ago."""
    from smarterchat.backend.models import AuthorKind, Direction, Message

    channel, _, conversation, first = make_conversation(session, org)
    session.delete(first)
    now = utcnow()
    conversation.status = status
    if queued_minutes is not None:
        conversation.waiting_since = now - timedelta(minutes=queued_minutes)
    for n, minutes in enumerate(customer_minutes):
        session.add(Message(organization_id=org.id, conversation_id=conversation.id,
                            channel_id=channel.id, text="Oi?", provider_message_id=f"wamid.wait{n}",
                            created_at=now - timedelta(minutes=minutes)))
    if answered_minutes is not None:
        session.add(Message(organization_id=org.id, conversation_id=conversation.id,
                            channel_id=channel.id, direction=Direction.OUTBOUND,
                            author_kind=AuthorKind.CONSULTANT, text="Já vejo",
                            created_at=now - timedelta(minutes=answered_minutes)))
    session.add(conversation)
    session.commit()
    return conversation


def test_customers_waiting_past_their_organisations_target_are_counted(session, redis_url):
    from smarterchat.backend.models import ConversationStatus

    strict, patient = make_org(session, "Strict"), make_org(session, "Patient")
    strict.first_response_target_minutes, patient.first_response_target_minutes = 15, 60
    session.add_all([strict, patient])
    session.commit()
    _waiting(session, strict, status=ConversationStatus.WAITING_HUMAN, queued_minutes=40)
    _waiting(session, strict, status=ConversationStatus.WAITING_HUMAN, queued_minutes=5)
    _waiting(session, patient, status=ConversationStatus.WAITING_HUMAN, queued_minutes=40)
    # With a consultant: waiting since the oldest message after the last answer.
    _waiting(session, strict, status=ConversationStatus.HUMAN, customer_minutes=(90, 25, 20),
             answered_minutes=30)
    _waiting(session, strict, status=ConversationStatus.HUMAN, customer_minutes=(50,),
             answered_minutes=45)
    _waiting(session, strict, status=ConversationStatus.BOT, customer_minutes=(120,))

    values = _scrape(observability.OperationsCollector(RedisHuey("frt", url=redis_url)))
    assert values["smarterchat_customers_waiting_over_target"] == 2
    # The queued one: 40 minutes against 15.
    assert 24 * 60 <= values["smarterchat_customer_wait_over_target_seconds"] < 26 * 60


def test_a_reply_counts_within_or_over_the_target(session):
    from smarterchat.backend.models import ConversationStatus, Role
    from smarterchat.backend.services import inbox
    from tests.factories import actor_for, make_user

    org = make_org(session)
    consultant = make_user(session, org, Role.CONSULTANT)
    actor = actor_for(session, consultant, org)
    late = _waiting(session, org, status=ConversationStatus.WAITING_HUMAN, queued_minutes=30)
    soon = _waiting(session, org, status=ConversationStatus.WAITING_HUMAN, queued_minutes=2)
    before = {flag: _value("smarterchat_human_replies_total", within_target=flag)
              for flag in ("true", "false")}
    for conversation in (late, soon):
        inbox.reply(session, actor, conversation.id, "Olá, sou a Carla")
        session.commit()
    # Answered: a second reply to the same customer waits for nothing and counts nothing.
    inbox.reply(session, actor, soon.id, "Em que posso ajudar?")
    session.commit()
    assert _value("smarterchat_human_replies_total", within_target="false") == \
        before["false"] + 1
    assert _value("smarterchat_human_replies_total", within_target="true") == before["true"] + 1
