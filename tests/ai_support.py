"""Fixtures and helpers of the AI tests against the fake OpenAI-compatible server, shared by
the test modules that need them (test modules never import each other)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from smarterchat.backend import db
from smarterchat.backend.models import Conversation, Message
from smarterchat.backend.services import agents
from tests.factories import actor_for, make_conversation, make_org, make_user
from tests.fakes.openai_server import DEFAULT_CLASSIFICATION, FakeOpenAI


@pytest.fixture(scope="module")
def fake_openai():
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def openai_env(fake_openai, monkeypatch, database):
    monkeypatch.setenv("SMARTERCHAT_AI_PROVIDER", "openai")
    monkeypatch.setenv("SMARTERCHAT_OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("SMARTERCHAT_OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("SMARTERCHAT_OPENAI_MAX_RETRIES", "2")
    monkeypatch.setenv("SMARTERCHAT_OPENAI_TIMEOUT_SECONDS", "5")
    db.get_settings.cache_clear()

    fake_openai.requests.clear()
    fake_openai.classification = json.loads(json.dumps(DEFAULT_CLASSIFICATION))
    fake_openai.reply = "Entregamos em todo o Brasil em até 5 dias úteis."
    fake_openai.delay = 0
    fake_openai._faults.clear()
    yield fake_openai
    db.get_settings.cache_clear()


@pytest.fixture
def chat(session, openai_env):
    """A conversation in the AI's hands with one unanswered customer message."""
    org = make_org(session, "Loja IA")
    channel, contact, conversation, message = make_conversation(session, org)
    message.text = "Vocês entregam em Campinas?"
    session.add(message)
    session.commit()
    admin = make_user(session, org)
    actor = actor_for(session, admin, org)
    agents.update_agent(session, actor, channel.agent_id, {
        "persona": "Atendente da Loja IA", "business_facts": "Loja de roupas em São Paulo."})
    agents.add_faq(session, actor, channel.agent_id, "Vocês entregam?",
                   "Entregamos em todo o Brasil em até 5 dias úteis.")
    return {"org": org, "conversation": conversation.id, "agent": channel.agent_id,
            "actor": actor, "contact": contact.id}


def ai_messages(session, conversation_id):
    session.expire_all()
    return session.exec(select(Message).where(Message.conversation_id == conversation_id,
                                              Message.author_kind == "ai")).all()


def conversation(session, conversation_id) -> Conversation:
    session.expire_all()
    return session.get(Conversation, conversation_id)
