"""The AI in the running pipeline: webhooks in, a huey_consumer process asks the fake
OpenAI-compatible server (via the base-URL setting), the reply goes out to the fake
Graph API. A burst of customer messages gets one reply."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import select

from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Agent, Channel, Conversation, Message, Organization
from tests.fakes import meta
from tests.fakes.openai_server import DEFAULT_CLASSIFICATION, FakeOpenAI
from tests.fakes.pipeline import Pipeline
from tests.support import create_pg_database, drop_pg_database, migrate, need, need_postgresql

SECRET = "ai-pipeline-secret-0123456789"
PHONE_ID = "5550001112223"


@pytest.fixture(scope="module")
def stack(request):
    need_postgresql(request)
    need(request, bool(shutil.which("redis-server")), "redis-server")
    url = create_pg_database()
    migrate(url)
    openai = FakeOpenAI().start()
    pipeline = Pipeline(url, workers=4, extra_env={
        "SMARTERCHAT_AI_PROVIDER": "openai", "SMARTERCHAT_OPENAI_API_KEY": "sk-pipeline",
        "SMARTERCHAT_OPENAI_BASE_URL": openai.base_url, "SMARTERCHAT_AI_COALESCE_SECONDS": "1",
    }).start()
    with session_scope() as session:
        org = Organization(name="Loja Pipeline", slug=f"lp-{uuid.uuid4().hex[:6]}")
        session.add(org)
        session.flush()
        agent = Agent(organization_id=org.id, name="Assistente",
                      business_facts="Entregamos em todo o Brasil.")
        session.add(agent)
        session.flush()
        channel = Channel(organization_id=org.id, kind="whatsapp", name="WA", agent_id=agent.id,
                          external_id=PHONE_ID, access_token="tok", app_secret=SECRET)
        session.add(channel)
    yield pipeline, openai, channel.id
    pipeline.stop()
    openai.stop()
    from smarterchat.backend import db

    db.reset()
    drop_pg_database(url)


@pytest.fixture
def fresh(stack):
    pipeline, openai, channel_id = stack
    openai.classification = json.loads(json.dumps(DEFAULT_CLASSIFICATION))
    openai.requests.clear()
    return pipeline, openai, channel_id


def post(pipeline, channel_id, wamid, sender, text):
    body = json.dumps(meta.whatsapp_message(PHONE_ID, wamid, sender=sender,
                                            body={"body": text})).encode()
    r = httpx.post(f"{pipeline.base_url}/webhooks/whatsapp/{channel_id}", content=body,
                   headers={"X-Hub-Signature-256": meta.sign(body, SECRET),
                            "Content-Type": "application/json"})
    assert r.status_code == 200


def sends_to(pipeline, sender):
    return [r for r in pipeline.graph.sends() if r.body.get("to") == sender]


def test_a_burst_of_messages_gets_one_reply(fresh):
    pipeline, openai, channel_id = fresh
    sender = "5511977770001"
    for i, text in enumerate(["oi", "tudo bem?", "vocês entregam em Recife?"]):
        post(pipeline, channel_id, f"wamid.burst{i}", sender, text)
        time.sleep(0.15)
    deadline = time.monotonic() + 20
    while not sends_to(pipeline, sender) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2.5)  # long enough for a second, wrong, reply to show up
    sends = sends_to(pipeline, sender)
    assert len(sends) == 1, [s.body for s in sends]
    assert sends[0].body["text"]["body"] == openai.reply
    (completion,) = openai.completions("text")
    assert completion["body"]["messages"][-1]["content"] == "oi\ntudo bem?\nvocês entregam em Recife?"


def test_asking_for_a_person_hands_off_and_the_ai_goes_quiet(fresh):
    pipeline, openai, channel_id = fresh
    sender = "5511977770002"
    openai.classification.update(intent="human_request", wants_human=True)
    post(pipeline, channel_id, "wamid.human1", sender, "quero falar com um atendente")
    deadline = time.monotonic() + 20
    while not sends_to(pipeline, sender) and time.monotonic() < deadline:
        time.sleep(0.1)
    deadline = time.monotonic() + 10
    while len(sends_to(pipeline, sender)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    # The handoff, then (nobody online to take it) the waiting notice.
    told, waiting = sends_to(pipeline, sender)
    assert "pessoa da nossa equipe" in told.body["text"]["body"]
    assert "estão ocupadas" in waiting.body["text"]["body"]
    with session_scope() as session:
        message = session.exec(select(Message).where(
            Message.provider_message_id == "wamid.human1")).one()
        conversation = session.get(Conversation, message.conversation_id)
        assert conversation.status == "waiting_human"
        assert conversation.handoff_reason == "asked_for_human"
    # Later messages wait for a person: the AI does not answer them.
    post(pipeline, channel_id, "wamid.human2", sender, "alô?")
    time.sleep(2.5)
    assert len(sends_to(pipeline, sender)) == 2  # and the waiting notice is not repeated


def test_a_turn_starts_when_its_wait_ends_not_at_a_scheduler_tick(fresh):
    pipeline, openai, channel_id = fresh
    # Warm the consumer's AI path first: the first turn of a process pays its imports.
    post(pipeline, channel_id, "wamid.warm1", "5511977770008", "bom dia")
    deadline = time.monotonic() + 20
    while not sends_to(pipeline, "5511977770008") and time.monotonic() < deadline:
        time.sleep(0.05)
    openai.requests.clear()
    post(pipeline, channel_id, "wamid.due1", "5511977770009", "vocês abrem sábado?")
    while not openai.completions() and time.monotonic() < deadline + 20:
        time.sleep(0.01)
    called = datetime.fromtimestamp(
        openai.completions()[0]["at"] + time.time() - time.monotonic(), UTC)
    with session_scope() as session:
        stored = session.exec(select(Message).where(
            Message.provider_message_id == "wamid.due1")).one()
    # The 1 s wait counts from the stored message; through Huey's scheduler (one tick a
    # second) the turn started 1-2 s after it.
    waited = (called - stored.created_at).total_seconds()
    assert 1.0 <= waited < 1.4, waited
