"""The agents pages' state, driven in-process on SQLite and PostgreSQL with the offline
provider: configuration, permissions, the knowledge base and the "try it" chat."""

from __future__ import annotations

import io
import json
import time
import uuid
from pathlib import Path

import pytest
from reflex.istate.data import ReflexURL, URLData

import smarterchat.state.agent_detail
import smarterchat.state.agent_knowledge
import smarterchat.state.agent_try
import smarterchat.state.agents  # noqa: F401 - registers the states before the root is built
from test_ui_state import ADMIN, CONSULTANT, MANAGER, fire, signed_in, sub


@pytest.fixture
def demo(database):
    from smarterchat.backend.security import ratelimit
    from smarterchat.backend.services.demo import load_demo

    ratelimit._backend.cache_clear()
    load_demo()
    return database


@pytest.fixture
def enqueued(monkeypatch):
    """Document tasks the page enqueues (the test runs them itself)."""
    import tasks.ai

    calls: list[str] = []
    monkeypatch.setattr(tasks.ai, "process_document", calls.append)
    return calls


def demo_agent_id() -> str:
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Agent

    with session_scope() as s:
        return str(s.exec(select(Agent.id)).one())


class AgentPage:
    """The agent page's states (the page, its form, "try it", knowledge) read as its
    components read them: each name from the substate that declares it."""

    def __init__(self, root):
        from smarterchat.state.agent_detail import AgentDetailState
        from smarterchat.state.agent_form import AgentFormState
        from smarterchat.state.agent_knowledge import AgentKnowledgeState
        from smarterchat.state.agent_try import AgentTryState

        self.__dict__["detail"] = sub(root, AgentDetailState)
        self.__dict__["form"] = sub(root, AgentFormState)
        self.__dict__["tryit"] = sub(root, AgentTryState)
        self.__dict__["kb"] = sub(root, AgentKnowledgeState)

    def _owner(self, name: str):
        for part in (self.tryit, self.kb, self.form):
            if name in vars(type(part)):
                return part
        return self.detail  # the page's own names and the session's

    def __getattr__(self, name: str):
        return getattr(self._owner(name), name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._owner(name), name, value)


def open_agent(email: str, agent_id: str | None = None):
    """Sign in and load /agents/<id>, as the browser would."""
    root, _ = signed_in(email)
    agent_id = agent_id or demo_agent_id()
    root.rx_router_url = URLData.from_url(ReflexURL(f"http://127.0.0.1:3000/agents/{agent_id}"))
    page = AgentPage(root)
    events = fire(page.load())
    assert page.loaded and page.found, page.error
    return root, page, events


def background(state, handler, *args) -> list:
    """Run a background event to its end (outside Reflex, ``async with self`` is a no-op)."""
    return fire(handler.fn(state, *args))


def upload(page, name: str, data: bytes) -> None:
    import reflex as rx

    fire(page.upload([rx.UploadFile(file=io.BytesIO(data), path=Path(name))]))


# ---------------------------------------------------------------- list and configuration

def test_the_list_shows_channels_and_the_offline_provider_and_admins_create(demo):
    from smarterchat.state.agents import AgentsState
    from test_ui_state import redirect_path

    root, _ = signed_in(ADMIN)
    listing = sub(root, AgentsState)
    fire(listing.load())
    assert [a.name for a in listing.agents] == ["Assistente da Loja"]
    assert [c.name for c in listing.agents[0].channels] == ["Chat do site"]
    assert listing.provider == "offline" and listing.can_manage

    fire(listing.set_create_open(True))
    fire(listing.create({"name": "x"}))
    assert listing.create_error == "Informe um nome de agente com 2 a 80 caracteres."
    events = fire(listing.create({"name": "Vendas", "tone": "animado"}))
    assert listing.create_error == "" and not listing.create_open
    assert redirect_path(events).startswith("/agents/")
    fire(listing.load())
    assert sorted(a.name for a in listing.agents) == ["Assistente da Loja", "Vendas"]


def test_an_organisation_with_its_own_openai_key_shows_openai_and_the_model(demo):
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Agent, Organization
    from smarterchat.state.agents import AgentsState

    with session_scope() as s:
        org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
        org.openai_api_key, org.openai_model = "sk-test-not-used", "gpt-4o-mini"
        s.add(org)
        s.add(Agent(organization_id=org.id, name="Vendas", model="gpt-4.1"))
    root, _ = signed_in(MANAGER)
    listing = sub(root, AgentsState)
    fire(listing.load())  # no model is called to say which one answers
    assert listing.provider == "openai" and not listing.can_manage
    assert {a.name: a.model for a in listing.agents} == {"Assistente da Loja": "gpt-4o-mini",
                                                         "Vendas": "gpt-4.1"}
    assert "sk-test-not-used" not in json.dumps(root.dict(), default=str)


def test_admin_saves_the_configuration_and_it_persists(demo):
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Membership, User
    from smarterchat.backend.services import agents
    from smarterchat.backend.services.actors import load_actor

    _, page, _ = open_agent(ADMIN)
    assert page.can_manage and page.name == "Assistente da Loja"
    assert page.rules == ["Sempre pergunte o e-mail antes de informar um preço."]
    assert page.on_request and page.min_confidence == 35 and page.max_turns == 2  # unanswered twice
    webchat = page.channel_options[0]
    assert page.channel_ids == [webchat.id] and webchat.other_agent == ""

    fire(page.set_text("greeting", "Oi! Eu sou a Lia, da Loja Demo."))
    fire(page.set_text("tone", "descontraído"))
    fire(page.set_new_rule("Nunca prometa prazo de entrega."))
    fire(page.add_rule())
    fire(page.move_rule(1, -1))  # the new rule goes first
    fire(page.set_switch("hot_lead", True))
    fire(page.set_switch("negative_sentiment", False))
    fire(page.add_words("keywords", {"word": "cancelar, reembolso, Cancelar"}))
    fire(page.set_min_confidence([50.0]))
    fire(page.set_max_turns("5"))
    fire(page.set_text("handoff_message", "Já chamo alguém da equipe."))
    fire(page.set_temperature([0.7]))
    fire(page.toggle_channel(webchat.id, False))
    assert page.dirty and page.keywords == ["cancelar", "reembolso"]

    fire(page.save())
    assert page.save_error == "" and page.notice == "Alterações salvas." and not page.dirty

    # A new tab loads what was saved.
    _, again, _ = open_agent(ADMIN)
    assert again.greeting == "Oi! Eu sou a Lia, da Loja Demo." and again.tone == "descontraído"
    assert again.rules == ["Nunca prometa prazo de entrega.",
                           "Sempre pergunte o e-mail antes de informar um preço."]
    assert again.hot_lead and not again.negative_sentiment
    assert again.keywords == ["cancelar", "reembolso"]
    assert again.min_confidence == 50 and again.max_turns == 5 and again.temperature == 0.7
    assert again.handoff_message == "Já chamo alguém da equipe."
    assert again.channel_ids == []
    with session_scope() as s:
        user, member = s.exec(select(User, Membership).join(
            Membership, Membership.user_id == User.id).where(User.email == ADMIN)).one()
        view = agents.get_agent(s, load_actor(s, user.id, member.organization_id),
                                again.agent_key)
        assert view.handoff_rules["min_confidence"] == 0.5 and view.channel_ids == []

    # A field error is shown under its field, and nothing is saved.
    fire(again.set_text("name", "x"))
    fire(again.save())
    assert again.save_error == "Informe um nome de agente com 2 a 80 caracteres."
    assert again.save_field == "name" and again.dirty
    assert open_agent(ADMIN)[1].name == "Assistente da Loja"

    # In English the same error is in English.
    again.locale = "en"
    fire(again.save())
    assert again.save_error == "Enter an agent name of 2 to 80 characters."


def test_saving_the_page_keeps_the_handoff_rules_it_does_not_show(demo):
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Agent

    with session_scope() as s:
        agent = s.exec(select(Agent)).one()
        agent.handoff_rules = {**(agent.handoff_rules or {}), "cancellation": False,
                               "cancellation_exceptions": ["reserva"]}
        s.add(agent)
    _, page, _ = open_agent(ADMIN)
    fire(page.set_text("tone", "direto"))
    fire(page.save())
    assert page.save_error == ""
    with session_scope() as s:
        rules = s.exec(select(Agent)).one().handoff_rules
    assert rules["cancellation"] is False and rules["cancellation_exceptions"] == ["reserva"]


def test_the_cancellation_rule_and_its_exceptions_are_edited_tried_and_saved(demo):
    from smarterchat.state.agent_try import AgentTryState

    _, page, _ = open_agent(ADMIN)
    send = AgentTryState.try_send
    assert page.cancellation and page.cancellation_exceptions == []  # on by default, no exceptions
    background(page.tryit, send, {"message": "quero cancelar minha reserva de sábado"})
    assert page.try_turns[-1].handoff and page.try_turns[-1].reason == "cancellation"
    assert page.try_turns[-1].intent == "cancellation"

    fire(page.try_reset())
    fire(page.add_words("cancellation_exceptions", {"word": "reserva, Reserva , aula experimental"}))
    fire(page.add_words("rules", {"word": "not a word list"}))  # only the two lists take words
    assert page.cancellation_exceptions == ["reserva", "aula experimental"] and page.dirty
    background(page.tryit, send, {"message": "quero cancelar minha reserva de sábado"})
    assert not page.try_turns[-1].handoff  # an exception: the agent answers it
    background(page.tryit, send, {"message": "quero cancelar minha assinatura"})
    assert page.try_turns[-1].reason == "cancellation"  # anything else still goes to people

    fire(page.try_reset())
    fire(page.set_switch("cancellation", False))
    background(page.tryit, send, {"message": "quero cancelar minha assinatura"})
    assert page.try_turns[-1].reason != "cancellation"

    fire(page.remove_word("cancellation_exceptions", "aula experimental"))
    fire(page.save())
    assert page.save_error == ""
    _, again, _ = open_agent(ADMIN)
    assert not again.cancellation and again.cancellation_exceptions == ["reserva"]


def test_the_page_says_which_rules_the_offline_provider_does_not_follow(demo):
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Organization

    _, page, _ = open_agent(ADMIN)
    assert page.provider == "offline"
    assert page.rules_not_followed == ["Sempre pergunte o e-mail antes de informar um preço."]
    fire(page.set_new_rule("Nunca prometa prazo de entrega."))
    fire(page.add_rule())
    fire(page.save())
    assert page.rules_not_followed == ["Sempre pergunte o e-mail antes de informar um preço.",
                                       "Nunca prometa prazo de entrega."]

    with session_scope() as s:  # a model reads the rules in its prompt: nothing to warn about
        org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
        org.openai_api_key, org.openai_model = "sk-test-not-used", "gpt-4o-mini"
        s.add(org)
    _, with_model, _ = open_agent(ADMIN)
    assert with_model.provider == "openai" and with_model.rules_not_followed == []
    assert len(with_model.rules) == 2


def test_managers_and_consultants_read_but_the_service_refuses_their_changes(demo):
    from smarterchat.state.agent_try import AgentTryState

    for email in (MANAGER, CONSULTANT):
        _, page, _ = open_agent(email)
        assert not page.can_manage and page.name == "Assistente da Loja"
        assert [k.title for k in page.faqs]  # the demo FAQ is readable

        fire(page.set_text("greeting", "Mudança não autorizada"))
        fire(page.save())
        assert page.save_error == "Você não tem permissão para fazer isso."
        fire(page.add_faq({"question": "Posso pagar com Pix?", "answer": "Sim."}))
        assert page.faq_error == "Você não tem permissão para fazer isso."
        background(page.tryit, AgentTryState.try_send, {"message": "Oi"})
        assert page.try_error == "Você não tem permissão para fazer isso."
        assert page.try_turns == [] and not page.try_busy

    _, page, _ = open_agent(ADMIN)
    assert page.greeting.startswith("Olá! Sou a assistente virtual")
    assert "Posso pagar com Pix?" not in [k.title for k in page.faqs]


def test_another_organisations_agent_is_not_found(demo):
    from smarterchat.state.agent_detail import AgentDetailState

    root, _ = signed_in(ADMIN)
    root.rx_router_url = URLData.from_url(ReflexURL(f"http://127.0.0.1:3000/agents/{uuid.uuid4()}"))
    page = sub(root, AgentDetailState)
    fire(page.load())
    assert page.loaded and not page.found
    assert page.error == "Não encontrado. Talvez tenha sido removido."


# ---------------------------------------------------------------- knowledge

def test_admin_adds_and_deletes_an_faq(demo):
    _, page, _ = open_agent(ADMIN)
    before = len(page.faqs)

    fire(page.add_faq({"question": "Oi", "answer": "Sim."}))
    assert page.faq_error == "Escreva uma pergunta de 3 a 300 caracteres."
    key = page.faq_key
    fire(page.add_faq({"question": "Vocês aceitam Pix?", "answer": "Sim, com 5% de desconto."}))
    assert page.faq_error == "" and page.kb_notice == "Pergunta adicionada."
    assert page.faq_key == key + 1  # the form empties
    pix = next(k for k in page.faqs if k.title == "Vocês aceitam Pix?")
    assert pix.status == "ready" and pix.chunks == 1 and len(page.faqs) == before + 1

    fire(page.ask_delete(pix.id))
    assert page.delete_open and page.delete_title == "Vocês aceitam Pix?"
    fire(page.confirm_delete())
    assert not page.delete_open and page.kb_notice == "“Vocês aceitam Pix?” foi excluído."
    assert "Vocês aceitam Pix?" not in [k.title for k in page.faqs]


def test_an_uploaded_markdown_document_is_processed_into_chunks(demo, enqueued, monkeypatch):
    from smarterchat.backend.services import ai_documents
    from smarterchat.state import agent_knowledge
    from smarterchat.state.agent_knowledge import AgentKnowledgeState

    monkeypatch.setattr(agent_knowledge, "POLL_SECONDS", 0)
    _, page, _ = open_agent(ADMIN)
    text = "# Trocas\n\n" + "\n\n".join(
        f"Seção {i}: a troca de produtos vale por {i + 7} dias com nota fiscal. " * 6
        for i in range(12))
    upload(page, "politica-de-trocas.md", text.encode())
    assert page.upload_error == "" and len(enqueued) == 1
    doc = page.documents[0]
    assert doc.title == "politica-de-trocas.md" and doc.status == "processing"
    assert page.processing

    # The queued task, run here; the page follows it until the document is ready.
    ai_documents.process_document(uuid.UUID(enqueued[0]))
    page._poll_beat = time.time()  # another follower is alive: this one leaves at once
    background(page.kb, AgentKnowledgeState.poll_knowledge)
    assert page.documents[0].status == "processing"
    page._poll_beat = time.time() - 60  # that follower died with its server
    background(page.kb, AgentKnowledgeState.poll_knowledge)
    doc = page.documents[0]
    assert doc.status == "ready" and doc.progress == 100 and doc.chunks > 1
    assert not page.processing and page._poll_beat == 0

    # A reload while nothing is processing starts no polling.
    events = fire(page.load())
    assert events == []


def test_upload_errors_are_explained(demo, enqueued):
    _, page, _ = open_agent(ADMIN)
    upload(page, "contrato.docx", b"PK\x03\x04")
    assert page.upload_error == "contrato.docx: Formato não aceito. Envie .txt, .md ou .pdf."
    upload(page, "vazio.txt", b"   \n")
    assert page.upload_error.startswith("vazio.txt: O arquivo não tem texto.")
    upload(page, "quebrado.pdf", b"%PDF-1.4 this is not really a pdf")
    assert page.upload_error.startswith("quebrado.pdf: Não conseguimos ler este arquivo.")
    upload(page, "enorme.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert page.upload_error == "enorme.txt: O arquivo passa de 10 MB. Divida-o ou envie uma " \
                                "versão menor."
    assert enqueued == [] and page.documents == []

    # Refused by the browser before sending (react-dropzone's codes).
    fire(page.upload_refused(["foto.png\tfile-invalid-type", "grande.pdf\tfile-too-large",
                              "sexto.txt\ttoo-many-files"]))
    assert page.upload_error.splitlines() == [
        "foto.png: Formato não aceito. Envie .txt, .md ou .pdf.",
        "grande.pdf: O arquivo passa de 10 MB. Divida-o ou envie uma versão menor.",
        "sexto.txt: Envie até 5 arquivos por vez."]


# ---------------------------------------------------------------- "try it"

def test_try_it_answers_with_the_unsaved_configuration_and_shows_the_decision(demo):
    from smarterchat.state.agent_try import AgentTryState

    root, page, _ = open_agent(ADMIN)
    send = AgentTryState.try_send

    background(page.tryit, send, {"message": "Vocês entregam em todo o Brasil?"})
    assert page.try_error == "" and not page.try_busy and page.try_pending == ""
    [turn] = page.try_turns
    assert turn.customer == "Vocês entregam em todo o Brasil?" and turn.reply
    assert not turn.handoff and turn.reason == "" and turn.intent
    assert 0 <= turn.confidence <= 100
    assert isinstance(turn.sources, list)

    # Unsaved: a handoff message typed but not saved is what the customer gets.
    fire(page.set_text("handoff_message", "Um instante, já chamo a equipe!"))
    background(page.tryit, send, {"message": "Quero falar com um atendente humano, por favor"})
    assert len(page.try_turns) == 2
    last = page.try_turns[-1]
    assert last.handoff and last.reason == "asked_for_human"
    assert last.reply == "Um instante, já chamo a equipe!"
    assert page.try_closed
    background(page.tryit, send, {"message": "Oi?"})  # closed: nothing more is sent
    assert len(page.try_turns) == 2

    # Nothing was saved by trying.
    _, fresh, _ = open_agent(ADMIN)
    assert fresh.handoff_message == ""

    fire(page.try_reset())
    assert page.try_turns == [] and not page.try_closed
    # What the browser gets holds no token.
    assert page._access_token not in json.dumps(root.dict(), default=str)


def test_try_it_uses_the_knowledge_base_and_reports_its_sources(demo):
    from smarterchat.state.agent_try import AgentTryState

    _, page, _ = open_agent(ADMIN)
    fire(page.add_faq({"question": "Qual o prazo de troca?",
                       "answer": "Você pode trocar qualquer produto em até 30 dias."}))
    background(page.tryit, AgentTryState.try_send, {"message": "Qual o prazo para trocar um produto?"})
    [turn] = page.try_turns
    assert not turn.handoff and "Qual o prazo de troca?" in turn.sources
    assert "30 dias" in turn.reply
