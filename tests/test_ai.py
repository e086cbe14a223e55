"""The AI's turn against a fake OpenAI-compatible server reached through the base-URL
setting: replies, handoff by each rule, takeover while the model thinks, budget,
provider failures, leads, suggestions, documents."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from smarterchat.backend import db
from smarterchat.backend.models import (
    AIUsage,
    AuditLog,
    KnowledgeChunk,
    KnowledgeItem,
    Lead,
    Message,
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import (
    agents,
    ai_assist,
    ai_documents,
    ai_memory,
    ai_turn,
    ai_usage,
)
from smarterchat.backend.services.errors import NotFound
from tests.ai_support import ai_messages, chat, conversation, fake_openai, openai_env  # noqa: F401
from tests.factories import actor_for, make_conversation, make_org, make_user
from tests.fakes.openai_server import DEFAULT_CLASSIFICATION


def set_rules(session, chat, **rules):
    agents.update_agent(session, chat["actor"], chat["agent"], {"handoff_rules": rules})


def test_reply_is_queued_with_decision_sources_and_usage(session, chat, openai_env):
    result = ai_turn.respond(chat["conversation"])
    assert result.sent and not result.decision.handoff
    (reply,) = ai_messages(session, chat["conversation"])
    assert reply.text == "Entregamos em todo o Brasil em até 5 dias úteis."
    assert reply.delivery_status == "pending" and reply.direction == "outbound"
    assert reply.extra["ai"]["intent"] == "support"
    assert reply.extra["ai"]["sources"][0]["title"] == "Vocês entregam?"
    # The model saw the persona, the facts and the retrieved knowledge.
    system = openai_env.completions("text")[-1]["body"]["messages"][0]["content"]
    assert "Atendente da Loja IA" in system and "Loja de roupas" in system
    assert "5 dias úteis" in system
    assert openai_env.completions("text")[-1]["headers"]["authorization"] == "Bearer sk-test"
    usage = session.exec(select(AIUsage)).all()
    assert len(usage) == 2 and all(u.prompt_tokens > 0 for u in usage)
    assert sum(u.cost_micro_usd for u in usage) > 0
    assert conversation(session, chat["conversation"]).ai_cursor_at is not None
    # Nothing new from the customer: a second turn sends nothing.
    assert not ai_turn.respond(chat["conversation"]).sent


HANDOFF_CASES = {
    "asked_for_human": ({}, {"intent": "human_request", "wants_human": True}),
    "keyword": ({"keywords": ["Campinas"]}, {}),
    "negative_sentiment": ({}, {"intent": "complaint", "sentiment": "negative"}),
    "low_confidence": ({"min_confidence": 0.5}, {"confidence": 0.2}),
    "hot_lead": ({"hot_lead": True}, {"intent": "purchase", "lead": {
        **DEFAULT_CLASSIFICATION["lead"], "temperature": "hot", "reason": "quer fechar hoje"}}),
}


@pytest.mark.parametrize("reason", list(HANDOFF_CASES))
def test_handoff_by_each_rule(session, chat, openai_env, reason):
    rules, classification = HANDOFF_CASES[reason]
    set_rules(session, chat, **rules)
    openai_env.classification.update(classification)
    result = ai_turn.respond(chat["conversation"])
    assert result.decision.handoff and result.decision.reason == reason
    conv = conversation(session, chat["conversation"])
    assert conv.status == "waiting_human" and conv.handoff_reason == reason
    assert conv.waiting_since is not None
    (told,) = ai_messages(session, chat["conversation"])
    assert "pessoa da nossa equipe" in told.text  # the customer is told, in their language
    note = session.exec(select(Message).where(Message.author_kind == "system")).one()
    assert note.is_private and note.extra["reason"] == reason
    assert not openai_env.completions("text")  # no answer was generated


def test_handoff_outside_business_hours_uses_the_agents_words(session, chat, openai_env):
    org = session.get(Organization, chat["org"].id)
    org.business_hours = {"mon": ["00:00", "00:01"]}  # closed nearly always
    session.add(org)
    session.commit()
    set_rules(session, chat, business_hours_only=True,
              outside_hours_message="Voltamos amanhã às 9h!")
    result = ai_turn.respond(chat["conversation"])
    assert result.decision.reason == "outside_hours"
    assert ai_messages(session, chat["conversation"])[0].text == "Voltamos amanhã às 9h!"


def _customer_says(session, chat, text: str, wamid: str) -> None:
    conv = conversation(session, chat["conversation"])
    session.add(Message(organization_id=conv.organization_id, conversation_id=conv.id,
                        channel_id=conv.channel_id, text=text, author_kind="contact",
                        provider_message_id=wamid))
    session.commit()


def test_fallbacks_are_not_failures_but_asking_again_twice_hands_off(session, chat, openai_env):
    agents.update_agent(session, chat["actor"], chat["agent"], {"business_facts": ""})
    for item in agents.list_knowledge(session, chat["actor"], chat["agent"]):
        agents.delete_knowledge(session, chat["actor"], item.id)
    set_rules(session, chat, max_turns_without_progress=2)
    openai_env.reply = "Hmm, não sei."
    first = ai_turn.respond(chat["conversation"])
    assert first.sent and first.decision.fallback and not first.decision.handoff
    # A second answer that found nothing, on another question: the customer moves on.
    _customer_says(session, chat, "E vocês abrem no domingo?", "wamid.2")
    second = ai_turn.respond(chat["conversation"])
    assert second.sent and second.decision.fallback and not second.decision.handoff
    # The customer says the answer did not help: once is not yet "twice unanswered".
    _customer_says(session, chat, "não foi isso que eu perguntei, abrem domingo?", "wamid.3")
    third = ai_turn.respond(chat["conversation"])
    assert third.sent and not third.decision.handoff
    _customer_says(session, chat, "você não respondeu minha pergunta", "wamid.4")
    fourth = ai_turn.respond(chat["conversation"])
    assert fourth.decision.handoff and fourth.decision.reason == "no_progress"
    assert conversation(session, chat["conversation"]).status == "waiting_human"


def test_takeover_while_the_model_thinks_sends_nothing(session, chat, openai_env):
    openai_env.delay = 1.5
    results = []
    worker = threading.Thread(target=lambda: results.append(
        ai_turn.respond(chat["conversation"])))
    worker.start()
    assert openai_env.in_flight.wait(10)
    while not openai_env.completions("text"):  # classification done, reply being written
        openai_env.in_flight.wait(0.05)
    conv = conversation(session, chat["conversation"])
    conv.status = "human"  # a consultant takes it over
    session.add(conv)
    session.commit()
    worker.join(15)
    assert results and results[0].dropped and not results[0].sent
    assert ai_messages(session, chat["conversation"]) == []
    assert conversation(session, chat["conversation"]).status == "human"
    assert session.exec(select(AIUsage)).all()  # what was spent is still counted


def test_budget_exhausted_hands_off_without_calling_the_model(session, chat, openai_env):
    org = session.get(Organization, chat["org"].id)
    org.monthly_ai_budget_cents = 1  # US$ 0.01 = 10,000 micro-dollars
    session.add(org)
    session.add(AIUsage(organization_id=org.id, provider="openai", model="m", purpose="reply",
                        cost_micro_usd=10_000))
    session.commit()
    result = ai_turn.respond(chat["conversation"])
    assert result.decision.reason == "budget_exhausted"
    assert openai_env.completions() == []
    assert conversation(session, chat["conversation"]).status == "waiting_human"
    alerts = session.exec(select(AuditLog).where(AuditLog.action == "ai.budget_exhausted")).all()
    assert len(alerts) == 1
    # Last month's spending does not count against this month.
    old = session.exec(select(AIUsage)).one()
    old.created_at = utcnow() - timedelta(days=40)
    session.add(old)
    session.commit()
    assert not ai_usage.budget_exhausted(session, session.get(Organization, org.id))


def test_model_down_hands_off_politely_after_retries(session, chat, openai_env):
    openai_env.fail_next(10, 500)
    result = ai_turn.respond(chat["conversation"])
    assert result.decision.reason == "ai_unavailable" and result.sent
    assert "pessoa da nossa equipe" in ai_messages(session, chat["conversation"])[0].text
    assert len(openai_env.completions()) == 3  # one call and two retries
    assert conversation(session, chat["conversation"]).status == "waiting_human"


def test_rate_limit_is_retried_and_then_answered(session, chat, openai_env):
    openai_env.fail_next(1, 429)
    result = ai_turn.respond(chat["conversation"])
    assert result.sent and not result.decision.handoff


def test_lead_is_created_and_updated_from_the_conversation(session, chat, openai_env):
    openai_env.classification.update(intent="purchase", lead={
        **DEFAULT_CLASSIFICATION["lead"], "email": "bia@example.com", "interest": "vestidos",
        "budget": "R$ 500", "temperature": "warm", "reason": "perguntou preços"})
    ai_turn.respond(chat["conversation"])
    lead = session.exec(select(Lead)).one()
    assert lead.temperature == "warm" and lead.fields["email"] == "bia@example.com"
    assert lead.fields["budget"] == "R$ 500" and lead.temperature_reason == "perguntou preços"
    assert lead.contact_id == chat["contact"]


def test_suggested_replies_for_consultants_are_tenant_scoped(session, chat, openai_env):
    assert ai_assist.suggest(session, chat["actor"], chat["conversation"]) == \
        openai_env.suggestions
    other = make_org(session, "Outra")
    stranger = actor_for(session, make_user(session, other), other)
    with pytest.raises(NotFound):
        ai_assist.suggest(session, stranger, chat["conversation"])


def test_uploaded_document_is_split_embedded_and_retrieved(session, chat, openai_env):
    text = ("Política de trocas.\n\n" + "Você pode trocar qualquer peça em até 30 dias. " * 40
            + "\n\nGarantia.\n\nTodas as peças têm garantia de 90 dias contra defeitos.")
    item_id = agents.add_document(session, chat["actor"], chat["agent"], "politicas.md",
                                  text.encode())
    ai_documents.process_document(uuid.UUID(item_id))
    session.expire_all()
    item = session.get(KnowledgeItem, uuid.UUID(item_id))
    assert item.status == "ready" and item.progress == 100
    chunks = session.exec(select(KnowledgeChunk).where(KnowledgeChunk.item_id == item.id)).all()
    assert len(chunks) >= 2 and all(c.embedding and len(c.embedding) == 16 for c in chunks)
    passages = agents.passages(session, chat["agent"])
    from smarterchat.backend.ai import knowledge

    best = knowledge.search("qual a garantia das peças?", passages)[0]
    assert "garantia de 90 dias" in best.passage.text


def test_unsupported_or_empty_documents_are_refused(session, chat, openai_env):
    from smarterchat.backend.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        agents.add_document(session, chat["actor"], chat["agent"], "planilha.xlsx", b"PK\x03")
    assert err.value.code == "unsupported_document"
    with pytest.raises(InvalidInput):
        agents.add_document(session, chat["actor"], chat["agent"], "vazio.txt", b"   ")
    with pytest.raises(InvalidInput) as err:
        agents.add_document(session, chat["actor"], chat["agent"], "quebrado.pdf", b"%PDF-1.4 x")
    assert err.value.code == "unreadable_document"


def test_agent_config_cache_is_invalidated_on_change(session, chat, openai_env):
    first = agents.load_config(session, chat["agent"])
    assert first.persona == "Atendente da Loja IA"
    agents.update_agent(session, chat["actor"], chat["agent"], {"persona": "Nova persona"})
    assert agents.load_config(session, chat["agent"]).persona == "Nova persona"


def test_try_it_preview_shows_decisions_and_stores_no_messages(session, chat, openai_env):
    turns = ai_assist.preview(session, chat["actor"], chat["agent"], {"tone": "divertido"},
                               ["Oi", "Vocês entregam?"])
    assert [t.reply for t in turns] == [openai_env.reply] * 2
    assert turns[1].intent == "support" and turns[1].sources == ["Vocês entregam?"]
    assert ai_messages(session, chat["conversation"]) == []
    assert "divertido" in openai_env.completions("text")[-1]["body"]["messages"][0]["content"]


# ------------------------------------------------------------------ offline provider

@pytest.fixture
def offline_chat(session, database, monkeypatch):
    monkeypatch.delenv("SMARTERCHAT_AI_PROVIDER", raising=False)
    db.get_settings.cache_clear()
    org = make_org(session, "Loja Offline")
    channel, contact, conversation, message = make_conversation(session, org)
    actor = actor_for(session, make_user(session, org), org)
    agents.update_agent(session, actor, channel.agent_id, {
        "greeting": "Olá! Sou a assistente da loja.",
        "fallback_message": "Não sei responder isso. Quer falar com alguém da equipe?"})
    agents.add_faq(session, actor, channel.agent_id, "Qual o prazo de entrega?",
                   "Entregamos em todo o Brasil em 2 a 5 dias úteis.")
    return {"conversation": conversation.id, "message": message.id, "actor": actor,
            "agent": channel.agent_id}


def test_offline_provider_answers_from_the_knowledge_base(session, offline_chat):
    msg = session.get(Message, offline_chat["message"])
    msg.text = "qual o prazo de entrega pra Campinas?"
    session.add(msg)
    session.commit()
    result = ai_turn.respond(offline_chat["conversation"])
    assert result.sent and not result.decision.handoff
    (reply,) = ai_messages(session, offline_chat["conversation"])
    assert "2 a 5 dias úteis" in reply.text
    assert reply.extra["ai"]["provider"] == "offline"
    assert session.exec(select(AIUsage)).all() == []  # the offline provider costs nothing


def test_offline_provider_hands_off_when_asked_for_a_person(session, offline_chat):
    msg = session.get(Message, offline_chat["message"])
    msg.text = "quero falar com um atendente humano por favor"
    session.add(msg)
    session.commit()
    result = ai_turn.respond(offline_chat["conversation"])
    assert result.decision.handoff and result.decision.reason == "asked_for_human"
    assert conversation(session, offline_chat["conversation"]).status == "waiting_human"


def test_handoff_rules_with_bad_numbers_are_refused_by_field(session, chat, openai_env):
    from smarterchat.backend.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        set_rules(session, chat, min_confidence="muito")
    assert err.value.params["field"] == "min_confidence"


def test_try_it_says_the_outside_hours_message(session, chat, openai_env):
    org = session.get(Organization, chat["org"].id)
    org.business_hours = {"mon": ["00:00", "00:01"]}
    session.add(org)
    session.commit()
    turns = ai_assist.preview(session, chat["actor"], chat["agent"], {"handoff_rules": {
        "business_hours_only": True, "outside_hours_message": "Voltamos às 9h!"}}, ["Oi"])
    assert turns[0].handoff and turns[0].reason == "outside_hours"
    assert turns[0].reply == "Voltamos às 9h!"


def test_a_binary_file_named_txt_is_refused(session, chat, openai_env):
    from smarterchat.backend.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        agents.add_document(session, chat["actor"], chat["agent"], "foto.txt",
                            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert err.value.code == "unsupported_document"


def test_what_the_customer_said_is_remembered_and_read_back(session, chat, openai_env):
    from smarterchat.backend.models import Contact

    openai_env.classification.update(lead={**DEFAULT_CLASSIFICATION["lead"],
                                           "company": "Padaria Sol", "email": "rui@sol.com"})
    ai_turn.respond(chat["conversation"])
    session.expire_all()
    contact = session.get(Contact, chat["contact"])
    assert contact.facts["company"] == "Padaria Sol" and contact.email == "rui@sol.com"
    conv = conversation(session, chat["conversation"])
    session.add(Message(organization_id=conv.organization_id, conversation_id=conv.id,
                        channel_id=conv.channel_id, text="e o preço?", author_kind="contact",
                        provider_message_id="wamid.memory"))
    session.commit()
    ai_turn.respond(chat["conversation"])
    system = openai_env.completions("text")[-1]["body"]["messages"][0]["content"]
    assert "company: Padaria Sol" in system  # the next turn knows it


def test_admins_see_the_budget_alert_on_the_dashboard(session, chat, openai_env):
    from smarterchat.backend.services import overview

    org = session.get(Organization, chat["org"].id)
    org.monthly_ai_budget_cents = 0
    session.add(org)
    session.commit()
    assert not overview.dashboard(session, chat["actor"]).ai_budget_exhausted
    ai_turn.respond(chat["conversation"])
    assert overview.dashboard(session, chat["actor"]).ai_budget_exhausted
    consultant = actor_for(session, make_user(session, chat["org"], "consultant"), chat["org"])
    assert not overview.dashboard(session, consultant).ai_budget_exhausted


def test_an_ended_conversation_is_folded_into_the_contacts_summary(session, chat, openai_env):
    from smarterchat.backend.models import Contact

    ai_turn.respond(chat["conversation"])
    openai_env.reply = "Cliente de Campinas, quer saber prazos de entrega; já respondido."
    summary = ai_memory.summarise_conversation(chat["conversation"])
    assert summary == openai_env.reply
    session.expire_all()
    assert session.get(Contact, chat["contact"]).summary == summary
    summary_call = openai_env.completions("text")[-1]["body"]["messages"][0]["content"]
    assert "Vocês entregam em Campinas?" in summary_call
    # The next conversation's AI reads it back.
    conv = conversation(session, chat["conversation"])
    session.add(Message(organization_id=conv.organization_id, conversation_id=conv.id,
                        channel_id=conv.channel_id, text="oi de novo", author_kind="contact",
                        provider_message_id="wamid.again"))
    session.commit()
    ai_turn.respond(chat["conversation"])
    system = openai_env.completions("text")[-1]["body"]["messages"][0]["content"]
    assert "Cliente de Campinas, quer saber prazos" in system


def test_offline_summary_keeps_the_request_and_the_facts(session, offline_chat):
    from smarterchat.backend.models import Contact

    msg = session.get(Message, offline_chat["message"])
    msg.text = "quero trocar o tamanho do meu pedido, meu email é ana@example.com"
    session.add(msg)
    session.commit()
    ai_turn.respond(offline_chat["conversation"])
    summary = ai_memory.summarise_conversation(offline_chat["conversation"])
    assert "quero trocar o tamanho" in summary and "ana@example.com" in summary
    session.expire_all()
    contact_id = conversation(session, offline_chat["conversation"]).contact_id
    assert session.get(Contact, contact_id).summary == summary


def test_extraction_continues_after_the_handoff(session, offline_chat):
    from smarterchat.backend.models import Lead

    msg = session.get(Message, offline_chat["message"])
    msg.text = "quero falar com um atendente"
    session.add(msg)
    session.commit()
    assert ai_turn.respond(offline_chat["conversation"]).decision.handoff
    conv = conversation(session, offline_chat["conversation"])
    for i, text in enumerate(["meu nome é Patricia Souza", "email patricia.souza@hotmail.com"]):
        session.add(Message(organization_id=conv.organization_id, conversation_id=conv.id,
                            channel_id=conv.channel_id, text=text, author_kind="contact",
                            provider_message_id=f"wamid.after.{i}"))
        session.commit()
        ai_turn.learn_from_customer(conv.id)
    session.expire_all()
    lead = session.exec(select(Lead).where(Lead.contact_id == conv.contact_id)).one()
    assert lead.fields["name"] == "Patricia Souza"
    assert lead.fields["email"] == "patricia.souza@hotmail.com"
    # The AI does not answer a conversation that is a person's.
    assert not ai_turn.respond(conv.id).sent


def test_a_customer_message_to_a_person_still_reaches_the_lead(session, offline_chat):
    """The listener path: a message in a conversation a person handles feeds the lead."""
    import tasks
    from smarterchat.backend import events
    from smarterchat.backend.models import Lead

    conv = conversation(session, offline_chat["conversation"])
    conv.status = "waiting_human"
    session.add(conv)
    message = Message(organization_id=conv.organization_id, conversation_id=conv.id,
                      channel_id=conv.channel_id, text="aqui é Bruno da Farmácia Central, "
                      "bruno@farmaciacentral.com.br", author_kind="contact",
                      provider_message_id="wamid.to.person")
    session.add(message)
    session.commit()
    tasks.huey.immediate = True
    try:
        tasks.ai.on_message_created(events.MessageCreated.of_rows(message, conv, "whatsapp"))
    finally:
        tasks.huey.immediate = False
    session.expire_all()
    lead = session.exec(select(Lead).where(Lead.contact_id == conv.contact_id)).one()
    assert lead.fields["name"] == "Bruno" and lead.fields["company"] == "Farmácia Central"
    assert lead.fields["email"] == "bruno@farmaciacentral.com.br"
    assert ai_messages(session, conv.id) == []  # and the AI stayed quiet


@pytest.mark.parametrize("exceptions, handoff", [([], True), (["assinatura"], False)])
def test_a_cancellation_hands_off_unless_the_admin_made_it_an_exception(session, offline_chat,
                                                                         exceptions, handoff):
    agents.update_agent(session, offline_chat["actor"], offline_chat["agent"], {
        "handoff_rules": {"cancellation_exceptions": ", ".join(exceptions)}})
    assert agents.get_agent(session, offline_chat["actor"], offline_chat["agent"]).handoff_rules[
        "cancellation_exceptions"] == exceptions
    msg = session.get(Message, offline_chat["message"])
    msg.text = "quero cancelar minha assinatura"
    session.add(msg)
    session.commit()
    result = ai_turn.respond(offline_chat["conversation"])
    assert result.decision.handoff is handoff
    assert result.decision.reason == ("cancellation" if handoff else None)
    status = conversation(session, offline_chat["conversation"]).status
    assert status == ("waiting_human" if handoff else "bot")
