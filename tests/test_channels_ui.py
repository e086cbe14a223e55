"""Channel settings and the public web chat, driven through their page states against
real databases (SQLite and PostgreSQL), with a local fake of Meta's Graph API."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from reflex.istate.data import ReflexURL, URLData
from sqlmodel import select

import smarterchat.state.channel_detail
import smarterchat.state.channels
import smarterchat.state.webchat  # noqa: F401 - registers the states before the root is built
from test_ui_state import ADMIN, CONSULTANT, MANAGER, fire, new_root, redirect_path, signed_in, sub

TOKEN = "EAAG-this-is-the-secret-token-7781"
SECRET = "app-secret-never-shown-4412"
NEW_TOKEN = "EAAG-the-replacement-token-9035"


@pytest.fixture
def demo(database):
    from smarterchat.backend.security import ratelimit
    from smarterchat.backend.services.demo import load_demo

    ratelimit._backend.cache_clear()
    load_demo()
    return database


@pytest.fixture
def graph():
    """The fake Graph API, and the settings pointed at it for this test."""
    from smarterchat.backend.config import get_settings
    from tests.fakes.meta import FakeGraph

    fake = FakeGraph().start()
    os.environ["SMARTERCHAT_GRAPH_API_BASE_URL"] = fake.base_url
    get_settings.cache_clear()
    yield fake
    fake.stop()
    del os.environ["SMARTERCHAT_GRAPH_API_BASE_URL"]
    get_settings.cache_clear()


def at(root, url: str) -> None:
    """The page the browser is on (what Reflex's router gives the handlers)."""
    root.rx_router_url = URLData.from_url(ReflexURL(f"http://127.0.0.1:3000{url}"))


def background(state, handler) -> list:
    """Run a background event to its end (outside Reflex, ``async with self`` is a no-op)."""
    return fire(handler.fn(state))


def sent_to_browser(root) -> str:
    return json.dumps(root.dict(), default=str)


def _create(page, kind: str, **form) -> list:
    fire(page.open_create())
    fire(page.set_create_kind(kind))
    return fire(page.create(form))


# ---------------------------------------------------------------- settings

def test_admin_creates_a_whatsapp_channel_and_never_gets_the_secret_back(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Channel
    from smarterchat.state.channel_detail import ChannelDetailState
    from smarterchat.state.channels import ChannelsState

    root, _ = signed_in(ADMIN)
    page = sub(root, ChannelsState)
    fire(page.load())
    assert page.can_manage and not page.forbidden
    assert [(c.kind, c.name, c.agent_name) for c in page.channels] == \
        [("webchat", "Chat do site", "Assistente da Loja")]
    assert page.failed_events == []

    _create(page, "whatsapp", name="WhatsApp Vendas", external_id="+55 11 9999-0000",
            access_token=TOKEN, app_secret=SECRET)
    assert page.create_error.startswith("Informe o ID da Meta só com números")
    _create(page, "whatsapp", name="WhatsApp Vendas", external_id="106540352242922")
    assert page.create_error == "Informe o token de acesso e a chave secreta do app."
    _create(page, "whatsapp", name="W", external_id="106540352242922", access_token=TOKEN,
            app_secret=SECRET)
    assert page.create_error == "Informe um nome de canal com 2 a 80 caracteres."

    events = _create(page, "whatsapp", name="WhatsApp Vendas", external_id=" 106540352242922 ",
                     business_account_id="102290129340398", access_token=TOKEN,
                     app_secret=SECRET)
    assert page.create_error == "" and not page.create_open
    path = redirect_path(events)
    assert path and path.startswith("/settings/channels/") and path.endswith("?new=1")
    channel_id = path.split("/")[-1].split("?")[0]

    at(root, path)
    detail = sub(root, ChannelDetailState)
    fire(detail.load())
    assert detail.loaded and detail.just_created and detail.can_manage
    assert detail.kind == "whatsapp" and detail.external_id == "106540352242922"
    assert detail.webhook_url == f"http://localhost:3000/webhooks/whatsapp/{channel_id}"
    assert len(detail.verify_token) >= 24 and detail.widget_url == ""
    assert detail.token_hint == "••••••••" + TOKEN[-4:]
    assert detail.agent_choice == page.agents[0].id  # answered by the demo agent
    sent = sent_to_browser(root)
    assert TOKEN not in sent and SECRET not in sent and TOKEN[:-4] not in sent

    # Empty secret fields keep the stored ones; filled ones replace them, unseen.
    fire(detail.save({"name": "WhatsApp Vendas", "access_token": "", "app_secret": "",
                      "business_account_id": "102290129340398"}))
    assert detail.notice == "Nada foi alterado."
    fire(detail.save({"name": "WhatsApp Vendas", "business_account_id": "WABA 1022"}))
    assert detail.save_error != "" and detail.notice == ""
    with session_scope() as s:
        assert s.exec(select(Channel).where(Channel.name == "WhatsApp Vendas")).one() \
            .business_account_id == "102290129340398"
    key = detail.form_key
    fire(detail.set_agent_choice("none"))
    fire(detail.save({"name": "  WhatsApp   Loja ", "access_token": NEW_TOKEN, "app_secret": "",
                      "business_account_id": "102290129340398"}))
    assert detail.save_error == "" and detail.notice == "Alterações salvas."
    assert detail.name == "WhatsApp Loja" and detail.agent_choice == "none"
    assert detail.token_hint.endswith(NEW_TOKEN[-4:]) and detail.form_key == key + 1
    assert NEW_TOKEN not in sent_to_browser(root)
    with session_scope() as s:
        stored = s.exec(select(Channel).where(Channel.name == "WhatsApp Loja")).one()
        assert stored.access_token == NEW_TOKEN and stored.app_secret == SECRET
        assert stored.agent_id is None

    fire(detail.save({"name": "x", "access_token": "", "app_secret": ""}))
    assert detail.save_error == "Informe um nome de canal com 2 a 80 caracteres."

    fire(detail.set_active(False))  # a live channel asks first, and changes nothing yet
    assert detail.confirm_off and detail.active
    fire(detail.switch_off())
    assert not detail.confirm_off
    assert not detail.active and detail.notice == "Canal desativado."
    fire(page.load())
    assert [(c.name, c.active, c.agent_name) for c in page.channels][1] == \
        ("WhatsApp Loja", False, "")


def test_connection_test_and_template_sync_talk_to_meta(demo, graph):
    from smarterchat.state.channel_detail import ChannelDetailState
    from smarterchat.state.channels import ChannelsState

    root, _ = signed_in(ADMIN)
    page = sub(root, ChannelsState)
    fire(page.load())
    ig = _create(page, "instagram", name="Instagram Loja", external_id="17841405822304914",
                 access_token=TOKEN, app_secret=SECRET)
    wa = _create(page, "whatsapp", name="WhatsApp", external_id="106540352242922",
                 access_token=TOKEN, app_secret=SECRET)

    detail = sub(root, ChannelDetailState)
    at(root, redirect_path(wa))
    fire(detail.load())
    background(detail, ChannelDetailState.sync_templates)
    assert detail.sync_error.startswith("Para sincronizar modelos, informe antes o ID da conta")
    background(detail, ChannelDetailState.test_connection)
    assert detail.test_result == "ok" and not detail.test_busy, detail.test_detail
    assert any(r.path.endswith("/106540352242922") for r in graph.requests)

    fire(detail.save({"name": "WhatsApp", "business_account_id": "102290129340398"}))
    background(detail, ChannelDetailState.sync_templates)
    assert detail.sync_error == "" and detail.synced and not detail.sync_busy
    assert len(detail.templates) == 7
    assert {t.status for t in detail.templates} == {"APPROVED", "REJECTED"}
    assert detail.templates[0].name == "template_0" and detail.templates[0].language == "pt_BR"

    # A refused token is explained with what to do, in the reader's language.
    graph.fail_next(1, "190")
    background(detail, ChannelDetailState.test_connection)
    assert detail.test_result == "failed"
    assert detail.test_detail.startswith("O token de acesso foi recusado pela Meta")
    assert "Gerenciador de Negócios" in detail.test_detail

    graph.fail_next(3, "500")
    background(detail, ChannelDetailState.sync_templates)
    assert detail.sync_error.startswith("A Meta recusou o pedido:")

    at(root, redirect_path(ig))
    fire(detail.load())
    assert detail.kind == "instagram" and detail.templates == [] and detail.meta_product == \
        "Instagram"
    assert "/webhooks/instagram/" in detail.webhook_url


def test_manager_reads_channels_and_consultant_is_refused(demo):
    from smarterchat.state.channel_detail import ChannelDetailState
    from smarterchat.state.channels import ChannelsState

    root, _ = signed_in(MANAGER)
    page = sub(root, ChannelsState)
    fire(page.load())
    assert not page.forbidden and not page.can_manage and len(page.channels) == 1
    assert page.failed_events == []  # webhook failures are for admins
    fire(page.open_create())
    fire(page.create({"name": "Sneaky chat"}))
    assert page.create_error == "Você não tem permissão para fazer isso."

    at(root, f"/settings/channels/{page.channels[0].id}")
    detail = sub(root, ChannelDetailState)
    fire(detail.load())
    assert detail.loaded and not detail.can_manage and detail.widget_url.endswith(
        f"/chat/{page.channels[0].id}")
    fire(detail.set_active(False))
    fire(detail.switch_off())
    assert detail.save_error == "Você não tem permissão para fazer isso." and detail.active

    root, _ = signed_in(CONSULTANT)
    page = sub(root, ChannelsState)
    fire(page.load())
    assert page.forbidden and page.channels == []
    at(root, f"/settings/channels/{uuid.uuid4()}")
    detail = sub(root, ChannelDetailState)
    fire(detail.load())
    assert detail.forbidden and detail.name == ""


def test_failed_webhook_events_are_listed_with_their_error(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Channel, InboundEvent
    from smarterchat.state.channels import ChannelsState

    with session_scope() as s:
        channel = s.exec(select(Channel)).one()
        s.add(InboundEvent(organization_id=channel.organization_id, channel_id=channel.id,
                           body="{}", status="failed", attempts=3,
                           error="KeyError: 'entry' <script>alert(1)</script>"))
        s.add(InboundEvent(organization_id=channel.organization_id, channel_id=channel.id,
                           body="{}", status="processed", attempts=1))
        s.commit()
    root, _ = signed_in(ADMIN)
    page = sub(root, ChannelsState)
    fire(page.load())
    assert [(e.channel_name, e.attempts, e.error) for e in page.failed_events] == \
        [("Chat do site", 3, "KeyError: 'entry' <script>alert(1)</script>")]


def test_a_web_chat_channel_gets_its_public_link_and_embed_code(demo):
    from smarterchat.state.channel_detail import ChannelDetailState
    from smarterchat.state.channels import ChannelsState

    root, _ = signed_in(ADMIN)
    page = sub(root, ChannelsState)
    fire(page.load())
    path = redirect_path(_create(page, "webchat", name="Chat da vitrine"))
    at(root, path)
    detail = sub(root, ChannelDetailState)
    fire(detail.load())
    url = detail.widget_url
    assert url.startswith("http://localhost:3000/chat/") and detail.webhook_url == ""
    assert f'<iframe src="{url}"' in detail.iframe_code
    assert json.dumps(url) in detail.bubble_code and detail.bubble_code.startswith("<script>")


def test_admins_set_the_web_chat_title_and_greeting_visitors_see(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.services import channels
    from smarterchat.backend.services.actors import load_actor
    from smarterchat.backend.services.errors import InvalidInput
    from smarterchat.state.channel_detail import ChannelDetailState
    from smarterchat.state.channels import ChannelsState

    root, _ = signed_in(ADMIN)
    page = sub(root, ChannelsState)
    fire(page.load())
    path = redirect_path(_create(page, "webchat", name="Chat da vitrine"))
    at(root, path)
    detail = sub(root, ChannelDetailState)
    fire(detail.load())
    assert (detail.widget_title, detail.widget_greeting) == ("", "")
    channel_id = path.split("/")[-1].split("?")[0]
    _, visitor = _visitor(channel_id)
    fire(visitor.load())
    assert visitor.title == "Loja Demonstração"  # the organisation's name by default
    assert visitor.greeting.startswith("Olá! Sou a assistente virtual")  # the agent's

    fire(detail.save({"name": "Chat da vitrine", "widget_title": "  Fale com a vitrine ",
                      "widget_greeting": "Oi! Quer ajuda com a vitrine de Natal?"}))
    assert detail.save_error == "" and detail.notice == "Alterações salvas."
    assert detail.widget_title == "Fale com a vitrine"
    fire(visitor.load())
    assert (visitor.title, visitor.greeting) == ("Fale com a vitrine",
                                                 "Oi! Quer ajuda com a vitrine de Natal?")

    fire(detail.save({"name": "Chat da vitrine", "widget_title": "x" * 61,
                      "widget_greeting": ""}))
    assert detail.save_error == "O título do chat tem no máximo 60 caracteres."
    assert detail.widget_greeting != ""  # nothing of the refused request was applied
    fire(detail.save({"name": "Chat da vitrine", "widget_title": "", "widget_greeting": ""}))
    fire(visitor.load())
    assert visitor.title == "Loja Demonstração"
    assert visitor.greeting.startswith("Olá! Sou a assistente virtual")

    with session_scope() as s:
        from smarterchat.backend.models import Channel, User

        admin = s.exec(select(User).where(User.email == ADMIN)).one()
        wa = s.exec(select(Channel).where(Channel.kind == "webchat")).first()
        actor = load_actor(s, admin.id, wa.organization_id)
        other = channels.create_channel(s, actor, kind="whatsapp", name="WhatsApp",
                                        external_id="1065403",
                                        access_token=TOKEN, app_secret=SECRET)
        with pytest.raises(InvalidInput) as refused:
            channels.update_channel(s, actor, other.id, widget_title="Oi")
        assert refused.value.code == "webchat_only"


# ---------------------------------------------------------------- the visitor's page

def _webchat_channel_id() -> str:
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Channel

    with session_scope() as s:
        return str(s.exec(select(Channel).where(Channel.kind == "webchat")).one().id)


def _visitor(channel_id: str, key: str = ""):
    from smarterchat.state.webchat import ChatState

    root = new_root()
    at(root, f"/chat/{channel_id}")
    chat = sub(root, ChatState)
    chat.visitor_key = key  # what localStorage gave back on hydration
    return root, chat


def test_visitor_sends_and_a_reload_shows_the_history(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Contact, Message
    from smarterchat.state.webchat import ChatState, thread_id

    channel_id = _webchat_channel_id()
    root, chat = _visitor(channel_id)
    events = fire(chat.load())
    assert chat.found and chat.available and chat.title == "Fale com a Loja Demo"
    assert chat.greeting.startswith("Olá! Sou a assistente virtual")
    assert chat.items == [] and len(chat.visitor_key) >= 32  # made once, kept by the browser
    assert [getattr(e, "fn", None) for e in events] == [ChatState.watch.fn]  # live updates

    fire(chat.set_visitor_name("  Bruna   Souza "))
    fire(chat.send({"text": "  Vocês entregam em Curitiba? <b>urgente</b> "}))
    assert chat.error == ""
    [line] = chat.items
    assert line.author == "visitor" and line.status == "received"
    assert line.text == "Vocês entregam em Curitiba? <b>urgente</b>"
    fire(chat.send({"text": "   "}))
    assert len(chat.items) == 1

    # The same browser comes back: same key, same conversation.
    key = chat.visitor_key
    root2, again = _visitor(channel_id, key)
    fire(again.load())
    assert [(i.author, i.text) for i in again.items] == \
        [("visitor", "Vocês entregam em Curitiba? <b>urgente</b>")]
    # Another browser sees nothing of it.
    _, stranger = _visitor(channel_id)
    fire(stranger.load())
    assert stranger.items == [] and stranger.visitor_key != key

    with session_scope() as s:
        contact = s.exec(select(Contact)).one()
        assert contact.name == "Bruna Souza"
        # Consultants see a per-channel id, not the browser's key.
        assert contact.external_id == thread_id(key, channel_id) != key
        assert len(s.exec(select(Message)).all()) == 1


def test_a_failed_send_is_retried_and_stored_once(demo, monkeypatch):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Message
    from smarterchat.backend.services import webchat

    channel_id = _webchat_channel_id()
    _, chat = _visitor(channel_id)
    fire(chat.load())
    real_send = webchat.send
    client_ids = []

    def store_then_drop(session, *args, **kw):
        client_ids.append(kw["client_id"])
        real_send(session, *args, **kw)
        raise ConnectionError("connection dropped before the answer")

    monkeypatch.setattr(webchat, "send", store_then_drop)
    fire(chat.send({"text": "Oi, tudo bem?"}))
    [item] = chat.items
    assert item.status == "failed" and chat.error.startswith("Algo deu errado")
    monkeypatch.setattr(webchat, "send", real_send)

    fire(chat.retry(item.client_id))
    assert chat.error == "" and [i.status for i in chat.items] == ["received"]
    with session_scope() as s:
        assert len(s.exec(select(Message)).all()) == 1
    assert client_ids == [item.client_id]


def test_visitor_errors_are_translated_and_a_paused_chat_says_so(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Channel

    channel_id = _webchat_channel_id()
    _, chat = _visitor(channel_id)
    fire(chat.load())
    for i in range(20):
        fire(chat.send({"text": f"mensagem {i}"}))
    fire(chat.send({"text": "mais uma"}))
    assert chat.error.startswith("Você enviou muitas mensagens seguidas. Espere ")
    assert chat.items[-1].status == "failed" and len(chat.items) == 21

    with session_scope() as s:
        channel = s.get(Channel, uuid.UUID(channel_id))
        channel.is_active = False
        s.add(channel)
        s.commit()
    fire(chat.send({"text": "ainda aí?"}))
    assert chat.error == "Este chat está pausado no momento. Tente de novo mais tarde."
    assert not chat.available
    root, chat = _visitor(channel_id, chat.visitor_key)
    chat.locale = "en"
    fire(chat.load())
    assert chat.found and not chat.available and len(chat.items) == 20

    at(root, f"/chat/{uuid.uuid4()}?lang=en")
    fire(chat.load())
    assert not chat.found and chat.items == [] and chat.locale == "en"
