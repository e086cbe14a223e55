"""The satisfaction survey on Meta's channels, on the running pipeline: the survey goes out
to the fake Graph API as WhatsApp reply buttons and Instagram quick replies, and the
customer's tap comes back as a signed webhook that the huey_consumer process stores as the
conversation's rating, not as a new question for the AI."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid

import httpx
import pytest
from sqlmodel import select

from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Agent, Channel, Conversation, Message, Organization
from smarterchat.backend.services import customer_notices, outbound, transitions
from tests.fakes import meta
from tests.fakes.pipeline import Pipeline
from tests.support import create_pg_database, drop_pg_database, migrate, need, need_postgresql

WA_SECRET = "survey-wa-secret-0123456789"
IG_SECRET = "survey-ig-secret-0123456789"
PHONE_ID = "5550009998887"
IG_ID = "17841405822309999"


@pytest.fixture(scope="module")
def stack(request):
    need_postgresql(request)
    need(request, bool(shutil.which("redis-server")), "redis-server")
    url = create_pg_database()
    migrate(url)
    pipeline = Pipeline(url, workers=2, extra_env={"SMARTERCHAT_AI_COALESCE_SECONDS": "0"}).start()
    from smarterchat.backend import db

    os.environ["SMARTERCHAT_GRAPH_API_BASE_URL"] = pipeline.graph.base_url
    db.reset()
    with session_scope() as session:
        org = Organization(name="Loja Pesquisa", slug=f"lps-{uuid.uuid4().hex[:6]}",
                           service_settings={"survey_enabled": True})
        session.add(org)
        session.flush()
        agent = Agent(organization_id=org.id, name="Assistente")
        session.add(agent)
        session.flush()
        wa = Channel(organization_id=org.id, kind="whatsapp", name="WA", agent_id=agent.id,
                     external_id=PHONE_ID, access_token="tok", app_secret=WA_SECRET)
        ig = Channel(organization_id=org.id, kind="instagram", name="IG", agent_id=agent.id,
                     external_id=IG_ID, access_token="tok-ig", app_secret=IG_SECRET)
        session.add_all([wa, ig])
    yield pipeline, wa.id, ig.id
    pipeline.stop()
    del os.environ["SMARTERCHAT_GRAPH_API_BASE_URL"]
    db.reset()
    drop_pg_database(url)


def post(pipeline, kind: str, channel_id, payload: dict, secret: str) -> None:
    body = json.dumps(payload).encode()
    answer = httpx.post(f"{pipeline.base_url}/webhooks/{kind}/{channel_id}", content=body,
                        headers={"X-Hub-Signature-256": meta.sign(body, secret),
                                 "Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 200


def wait_for(check, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def stored(provider_id: str) -> Message | None:
    with session_scope() as session:
        return session.exec(select(Message).where(
            Message.provider_message_id == provider_id)).first()


def resolve_and_survey(conversation_id: uuid.UUID) -> dict:
    """A consultant resolves it; the notice task's work, then the send task's."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        transitions.resolve(session, conversation, None)  # type: ignore[arg-type]
    (survey_id,) = customer_notices.after_change(conversation_id, "resolve")
    assert outbound.deliver(survey_id).done
    with session_scope() as session:
        return session.get(Message, survey_id).extra


def outbound_count(conversation_id: uuid.UUID) -> int:
    with session_scope() as session:
        return len(session.exec(select(Message).where(
            Message.conversation_id == conversation_id, Message.direction == "outbound",
            Message.author_kind != "system")).all())


def test_whatsapp_survey_buttons_and_the_reply_stored_as_the_rating(stack):
    pipeline, wa, _ = stack
    sender = "5511966660001"
    post(pipeline, "whatsapp", wa, meta.whatsapp_message(PHONE_ID, "wamid.sv1", sender=sender,
                                                         body={"body": "oi"}), WA_SECRET)
    first = wait_for(lambda: stored("wamid.sv1"), "the first message")
    conversation_id = first.conversation_id
    wait_for(lambda: outbound_count(conversation_id) >= 1, "the AI's answer")
    resolve_and_survey(conversation_id)
    # The AI's answer may reach the fake Graph after the survey: pick the survey out.
    (survey,) = [r.body for r in pipeline.graph.sends()
                 if r.body.get("to") == sender and r.body.get("type") == "interactive"]
    assert survey["interactive"]["type"] == "button"
    assert survey["interactive"]["body"]["text"] == "Como você avalia este atendimento?"
    buttons = survey["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["csat:1", "csat:3", "csat:5"]
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)
    replies_before = outbound_count(conversation_id)
    tap = {"type": "button_reply", "button_reply": {"id": "csat:5", "title": "😀 Ótimo"}}
    post(pipeline, "whatsapp", wa, meta.whatsapp_message(
        PHONE_ID, "wamid.sv2", sender=sender, kind="interactive", body=tap), WA_SECRET)
    answer = wait_for(lambda: stored("wamid.sv2"), "the button reply")
    time.sleep(1.5)  # room for a wrong AI turn to show up
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        assert (conversation.csat_rating, conversation.status) == (5, "resolved")
        assert answer.conversation_id == conversation_id and answer.extra["csat"] == 5
    assert outbound_count(conversation_id) == replies_before  # no AI turn


def test_instagram_survey_quick_replies_and_the_tap_stored_as_the_rating(stack):
    pipeline, _, ig = stack
    sender = "17841400000007777"
    post(pipeline, "instagram", ig, meta.instagram_message(IG_ID, "mid.sv1", sender=sender,
                                                           text="oi"), IG_SECRET)
    first = wait_for(lambda: stored("mid.sv1"), "the first message")
    conversation_id = first.conversation_id
    wait_for(lambda: outbound_count(conversation_id) >= 1, "the AI's answer")
    resolve_and_survey(conversation_id)
    (survey,) = [r.body["message"] for r in pipeline.graph.sends()
                 if (r.body.get("recipient") or {}).get("id") == sender
                 and "quick_replies" in r.body.get("message", {})]
    assert survey["text"] == "Como você avalia este atendimento?"
    quick = survey["quick_replies"]
    assert [q["payload"] for q in quick] == [f"csat:{n}" for n in range(1, 6)]
    assert all(q["content_type"] == "text" for q in quick)
    replies_before = outbound_count(conversation_id)
    post(pipeline, "instagram", ig, meta.instagram_message(
        IG_ID, "mid.sv2", sender=sender, text="⭐⭐", quick_reply={"payload": "csat:2"}),
        IG_SECRET)
    wait_for(lambda: stored("mid.sv2"), "the quick reply")
    time.sleep(1.5)
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        assert (conversation.csat_rating, conversation.status) == (2, "resolved")
    assert outbound_count(conversation_id) == replies_before
