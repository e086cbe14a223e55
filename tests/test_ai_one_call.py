"""With a provider that supports structured output, one model call classifies and carries
the reply (``SMARTERCHAT_AI_ONE_CALL_TURNS``): half the model's latency per turn."""

from __future__ import annotations

import pytest
from sqlmodel import select

from smarterchat.backend import db
from smarterchat.backend.models import AIUsage
from smarterchat.backend.services import ai_turn
from tests.ai_support import ai_messages, chat, conversation, fake_openai, openai_env  # noqa: F401


@pytest.fixture
def one_call(openai_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SMARTERCHAT_AI_ONE_CALL_TURNS", "true")
    db.get_settings.cache_clear()
    yield openai_env
    db.get_settings.cache_clear()


def test_one_call_classifies_and_replies(session, chat, one_call):  # noqa: F811
    result = ai_turn.respond(chat["conversation"])
    assert result.sent and not result.decision.handoff
    (call,) = one_call.completions()
    assert call["body"]["response_format"]["json_schema"]["name"] == "turn"
    system = call["body"]["messages"][0]["content"]
    assert "Atendente da Loja IA" in system and "5 dias úteis" in system
    (reply,) = ai_messages(session, chat["conversation"])
    assert reply.text == one_call.reply
    assert reply.extra["ai"]["intent"] == "support"
    assert reply.extra["ai"]["sources"][0]["title"] == "Vocês entregam?"
    assert len(session.exec(select(AIUsage)).all()) == 1


def test_one_call_handoff_sends_the_handoff_text_not_the_reply(session, chat,  # noqa: F811
                                                               one_call):
    one_call.classification.update(intent="human_request", wants_human=True)
    result = ai_turn.respond(chat["conversation"])
    assert result.decision.handoff and result.decision.reason == "asked_for_human"
    assert len(one_call.completions()) == 1
    assert all(m.text != one_call.reply for m in ai_messages(session, chat["conversation"]))
    assert conversation(session, chat["conversation"]).status == "waiting_human"
