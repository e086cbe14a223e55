"""The inbox's state, driven in-process against real databases (SQLite and PostgreSQL):
tabs, filters, search and paging; taking over, replying, returning to the AI and
resolving through the page's handlers; refusals; real-time notices refreshing the page;
signed media links."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from test_ui_state import CONSULTANT, MANAGER, fire, signed_in, sub
from tests.factories import PASSWORD, password_hash


@pytest.fixture
def demo(database):
    from smarterchat.backend.services.demo import load_demo

    load_demo()
    return database


def _states():
    from smarterchat.state import inbox, inbox_composer, inbox_queue  # noqa: F401


def inbox_of(email: str, password: str | None = None):
    from smarterchat.state.inbox import InboxState
    from smarterchat.state.inbox_composer import InboxComposerState

    _states()
    root, _ = signed_in(email, *([password] if password else []))
    page = sub(root, InboxState)
    fire(page.load())
    assert page.error == "", page.error
    return page, sub(root, InboxComposerState)


def _shop(count: int = 0) -> dict:
    """A WhatsApp channel on the demo's agent, and conversations in every state."""
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import (
        Agent,
        Channel,
        Contact,
        Conversation,
        Membership,
        Message,
        Organization,
        User,
    )
    from smarterchat.backend.models.base import utcnow

    now = utcnow()
    with session_scope() as s:
        org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
        agent = s.exec(select(Agent).where(Agent.organization_id == org.id)).one()
        carla = s.exec(select(User).where(User.email == CONSULTANT)).one()
        bia = User(email="bia@demo.smarterchat.app", name="Bia Consultora",
                   password_hash=password_hash())
        s.add(bia)
        s.flush()
        s.add(Membership(organization_id=org.id, user_id=bia.id, role="consultant"))
        channel = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp Vendas",
                          agent_id=agent.id, external_id="106540352242922",
                          access_token="EAAG-token", app_secret="app-secret-123")
        s.add(channel)
        s.flush()
        rows = [  # name, phone, status, assignee, text, minutes ago, labels
            ("Mariana Souza", "5511988887777", "waiting_human", None, "Quero falar com alguém",
             5, ["vip"]),
            ("João Pereira", "5521977776666", "human", carla.id, "Preciso trocar o tamanho", 10,
             ["troca"]),
            ("Beatriz Lima", "5531966665555", "bot", None, "Qual o prazo para Campinas?", 15, []),
            ("Carlos Souza", "5541955554444", "resolved", carla.id, "Obrigado!", 20, []),
            ("Diana Prado", "5551944443333", "human", bia.id, "Cadê meu pedido?", 25, []),
        ]
        rows += [(f"Cliente {i:02d}", f"55119000{i:05d}", "bot", None, f"pergunta {i}", 60 + i, [])
                 for i in range(count)]
        ids = {}
        for name, phone, status, assignee, text, minutes, labels in rows:
            contact = Contact(organization_id=org.id, channel_id=channel.id, external_id=phone,
                              name=name, phone="+" + phone)
            s.add(contact)
            s.flush()
            at = now - timedelta(minutes=minutes)
            conversation = Conversation(
                organization_id=org.id, channel_id=channel.id, contact_id=contact.id,
                agent_id=agent.id, status=status, assignee_id=assignee, labels=labels,
                unread_count=1, last_inbound_at=at, last_message_at=at,
                waiting_since=at if status == "waiting_human" else None,
                handoff_reason="asked_for_human" if status == "waiting_human" else None)
            s.add(conversation)
            s.flush()
            s.add(Message(organization_id=org.id, conversation_id=conversation.id,
                          channel_id=channel.id, text=text, delivery_status="received",
                          created_at=at))
            ids[name] = str(conversation.id)
        return {"org": str(org.id), "channel": str(channel.id), "ids": ids,
                "bia": str(bia.id), "carla": str(carla.id)}


def counts(page) -> tuple[int, int]:
    """Mine and waiting: the sidebar's badges, which the inbox keeps current."""
    from smarterchat.state.badges import BadgeState

    badges = sub(page._get_root_state(), BadgeState)
    return badges.mine, badges.waiting


def names(page) -> list[str]:
    return [c.contact for c in page.items]


# ---------------------------------------------------------------- list, tabs, search


def test_tabs_counts_filters_and_search(demo):
    shop = _shop()
    page, _ = inbox_of(CONSULTANT)
    # Every open conversation, newest activity first.
    assert names(page) == ["Mariana Souza", "João Pereira", "Beatriz Lima", "Diana Prado"]
    assert (*counts(page), page.total) == (1, 1, 4)
    mariana = page.items[0]
    assert mariana.status == "waiting_human" and mariana.unread == 1 and mariana.labels == ["vip"]
    assert mariana.handoff_reason == "asked_for_human" and mariana.initial == "M"
    assert page.items[1].mine and page.items[1].assignee == "Carla Consultora"

    for tab, expected in [("mine", ["João Pereira"]), ("waiting", ["Mariana Souza"]),
                          ("bot", ["Beatriz Lima"]), ("resolved", ["Carlos Souza"]),
                          ("waiting_human", ["Mariana Souza"]),  # the first inbox's name
                          ("all", ["Mariana Souza", "João Pereira", "Beatriz Lima",
                                   "Diana Prado"])]:
        fire(page.set_filter(tab))
        assert names(page) == expected, tab
    fire(page.set_filter("nonsense"))
    assert page.status_filter == "all"

    fire(page.set_search("campinas"))  # message text
    assert names(page) == ["Beatriz Lima"]
    fire(page.set_search("5521977"))  # phone
    assert names(page) == ["João Pereira"]
    fire(page.set_search("mariana"))  # contact name
    assert names(page) == ["Mariana Souza"]
    fire(page.set_search(""))

    assert {c.label for c in page.channels} == {"Chat do site", "WhatsApp Vendas"}
    assert page.labels == ["troca", "vip"]
    fire(page.set_label_filter("troca"))
    assert names(page) == ["João Pereira"] and page.filters_active == 1
    fire(page.set_label_filter("not-a-label"))  # only labels in use are accepted
    assert page.label_filter == "troca"
    fire(page.clear_filters())
    fire(page.set_assignee_filter(shop["bia"]))
    assert names(page) == ["Diana Prado"]
    fire(page.set_assignee_filter("all"))
    webchat = next(c.value for c in page.channels if c.label == "Chat do site")
    fire(page.set_channel_filter(webchat))
    assert names(page) == []
    fire(page.set_channel_filter(shop["channel"]))
    assert len(names(page)) == 4
    assert {p.name for p in page.people} >= {"Carla Consultora", "Bia Consultora"}

    # By AI agent: a second agent answers one of them.
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Agent, Conversation

    with session_scope() as s:
        second = Agent(organization_id=uuid.UUID(shop["org"]), name="Agente de Trocas")
        s.add(second)
        s.flush()
        s.get(Conversation, uuid.UUID(shop["ids"]["Diana Prado"])).agent_id = second.id
        second_id = str(second.id)
    fire(page.load())
    fire(page.clear_filters())
    assert [a.label for a in page.agents] == ["Agente de Trocas", "Assistente da Loja"]
    fire(page.set_agent_filter(second_id))
    assert names(page) == ["Diana Prado"] and page.filters_active == 1
    fire(page.set_agent_filter(str(uuid.uuid4())))  # not one of this organisation's agents
    assert page.agent_filter == second_id


def test_the_list_pages_by_thirty_and_a_refresh_keeps_what_was_loaded(demo):
    _shop(count=105)
    page, _ = inbox_of(CONSULTANT)
    assert (len(page.items), page.total, page.has_more) == (30, 109, True)
    for shown in (60, 90, 109):
        fire(page.load_more())
        assert len(page.items) == shown
    assert not page.has_more and names(page)[-1] == "Cliente 104"
    assert len({c.id for c in page.items}) == 109
    # A live refresh re-reads the first hundred and keeps the rest in place.
    asyncio.run(page._apply([{"type": "conversation", "conversation_id": "x"}]))
    assert len(page.items) == 109 and names(page)[-1] == "Cliente 104"


# ---------------------------------------------------------------- acting through the page


def test_take_over_reply_note_return_and_resolve(demo):
    shop = _shop()
    page, composer = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["Mariana Souza"]))
    assert page.current.contact == "Mariana Souza" and page.view == "thread"
    assert [m.text for m in page.messages] == ["Quero falar com alguém"]
    assert page.messages[0].kind == "contact" and page.contact.phone == "+5511988887777"
    assert page.contact.window_open and page.is_whatsapp and page.can_act
    # Opening it read it.
    assert next(c for c in page.items if c.id == page.selected_id).unread == 0

    fire(composer.take_over())
    assert composer.action_error == ""
    assert page.current.status == "human" and page.current.mine
    assert page.messages[-1].kind == "system" and "assumiu" in page.messages[-1].text
    assert counts(page) == (2, 0)

    composer.set_draft("  Olá Mariana, aqui é a Carla!  ")
    fire(composer.send())
    sent = page.messages[-1]
    assert (sent.kind, sent.text, sent.status) == ("consultant", "Olá Mariana, aqui é a Carla!",
                                                   "pending")
    assert composer.draft == "" and not composer.sending

    composer.set_private(True)
    composer.set_draft("Cliente VIP: oferecer frete grátis")
    fire(composer.send())
    note = page.messages[-1]
    assert note.kind == "note" and note.status == ""  # a note is never sent
    composer.set_private(False)

    fire(composer.add_label({"label": "  frete   grátis "}))
    assert page.current.labels == ["frete grátis", "vip"]
    fire(composer.remove_label("vip"))
    assert page.current.labels == ["frete grátis"]

    fire(composer.return_to_ai())
    assert page.current.status == "bot" and page.current.assignee == ""
    fire(composer.resolve())
    assert page.current.status == "resolved"
    fire(page.set_filter("resolved"))
    assert "Mariana Souza" in names(page)
    fire(composer.reopen())
    assert page.current.status == "human" and page.current.mine


def test_a_consultant_cannot_act_on_someone_elses_conversation(demo):
    shop = _shop()
    page, composer = inbox_of("bia@demo.smarterchat.app", PASSWORD)
    fire(page.open_conversation(shop["ids"]["João Pereira"]))  # Carla's
    assert not page.can_act
    for action in (composer.take_over, composer.resolve, composer.return_to_ai):
        fire(action())
        assert composer.action_error == \
            "Esta conversa está com outra pessoa da equipe. Peça a ela ou a um gerente para " \
            "transferir."
    composer.set_draft("posso ajudar?")
    fire(composer.send())
    assert composer.draft == "posso ajudar?"  # kept, not sent
    fire(composer.transfer(shop["bia"]))
    assert page.current.status == "human" and page.current.assignee == "Carla Consultora"

    page.locale = "en"
    fire(composer.take_over())
    assert composer.action_error.startswith("Someone else on the team has this conversation")

    # A manager may: transfer it to Bia, who then sees it under "mine".
    manager, boss = inbox_of(MANAGER)
    assert manager.can_assign
    fire(manager.open_conversation(shop["ids"]["João Pereira"]))
    assert manager.can_act
    fire(boss.transfer(shop["bia"]))
    assert boss.action_error == "" and manager.current.assignee == "Bia Consultora"
    fire(page.set_filter("mine"))
    assert names(page) == ["João Pereira", "Diana Prado"]


def test_the_transfer_dialog_offers_teams_and_sends_the_conversation_to_one(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Membership, Team

    shop = _shop()
    with session_scope() as s:
        sales = Team(organization_id=uuid.UUID(shop["org"]), name="Vendas")
        s.add(sales)
        s.flush()
        bia = s.exec(select(Membership).where(
            Membership.user_id == uuid.UUID(shop["bia"]))).one()
        bia.team_id, bia.availability = sales.id, "offline"  # nobody of the team online
        team_id = str(sales.id)
    page, composer = inbox_of(CONSULTANT)
    assert [(x.name, x.online) for x in page.teams] == [("Vendas", 0)]
    fire(page.open_conversation(shop["ids"]["João Pereira"]))  # Carla's own
    fire(composer.set_transfer_open(True))
    fire(composer.transfer_team(team_id))
    assert composer.action_error == "" and not composer.transfer_open
    assert (page.current.status, page.current.assignee, page.current.team) == \
        ("waiting_human", "", "Vendas")
    assert page.messages[-1].kind == "system"
    assert page.messages[-1].text == "Carla Consultora transferiu a conversa para a equipe Vendas"
    row = next(i for i in page.items if i.id == shop["ids"]["João Pereira"])
    assert row.team == "Vendas"
    # A team that is not this organisation's is refused, translated.
    fire(composer.transfer_team(str(uuid.uuid4())))
    assert composer.action_error == "Escolha uma equipe desta organização."


def test_the_window_closed_asks_for_a_template(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Channel, Conversation
    from smarterchat.backend.models.base import utcnow

    shop = _shop()
    with session_scope() as s:
        conversation = s.get(Conversation, uuid.UUID(shop["ids"]["João Pereira"]))
        conversation.last_inbound_at = utcnow() - timedelta(hours=30)
        channel = s.get(Channel, conversation.channel_id)
        channel.config = {"templates": [
            {"name": "pedido_enviado", "language": "pt_BR", "status": "APPROVED",
             "components": [{"type": "BODY", "text": "Olá {{1}}, seu pedido {{2}} saiu."}]},
            {"name": "recusado", "language": "pt_BR", "status": "REJECTED", "components": []}]}
        s.add_all([conversation, channel])
    page, composer = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["João Pereira"]))
    assert not page.contact.window_open and composer.needs_template
    assert [t.key for t in page.contact.templates] == ["pedido_enviado|pt_BR"]

    composer.set_draft("texto livre")
    fire(composer.send())
    assert composer.action_error == "A janela de 24 h do WhatsApp fechou: envie um modelo aprovado."

    composer.choose_template("pedido_enviado|pt_BR")
    assert composer.template_params == ["", ""]
    fire(composer.send_template())
    assert composer.action_error == "Preencha todos os campos do modelo."
    composer.set_template_param(0, "João")
    composer.set_template_param(1, "#123")
    assert composer.template_preview == "Olá João, seu pedido #123 saiu."
    fire(composer.send_template())
    assert composer.action_error == ""
    sent = page.messages[-1]
    assert sent.is_template and sent.text == "Olá João, seu pedido #123 saiu."

    composer.set_private(True)  # notes need no window
    assert not composer.needs_template


def test_ai_suggestions_and_canned_responses(demo):
    shop = _shop()
    page, composer = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["Beatriz Lima"]))
    fire(type(composer).suggest.fn(composer))  # a background event; ``async with`` is a no-op
    assert composer.suggestions and not composer.suggesting
    fire(composer.use_text(composer.suggestions[0]))
    assert composer.draft and composer.suggestions == []

    assert composer.canned[0].startswith("Olá! Aqui é da equipe")
    composer.add_canned({"canned": "  Seu pedido  já saiu. "})
    assert composer.canned[-1] == "Seu pedido já saiu." and \
        composer.custom_canned == ["Seu pedido já saiu."]
    composer.remove_canned("Seu pedido já saiu.")
    assert composer.custom_canned == []


# ---------------------------------------------------------------- managers' queue


def test_the_queue_page_renews_a_lapsed_session_instead_of_signing_out(demo):
    """The page's own reload once had the name of the session's token rotation, so a
    lapsed access token sent the manager to the login page instead of being renewed."""
    from smarterchat.state.inbox_queue import InboxQueueState
    from smarterchat.state.session import AppState

    _shop()
    _states()
    root, _ = signed_in(MANAGER)
    app = sub(root, AppState)
    queue = sub(root, InboxQueueState)
    app._access_token = ""  # lapsed (a restarted server keeps only the browser's refresh token)
    before = app.refresh_token

    fire(queue.load())
    assert app.refresh_token and app.refresh_token != before and app._access_token
    assert queue.loaded and queue.waiting_total == 1


def test_managers_watch_the_queue_and_admins_set_distribution(demo):
    from smarterchat.state.inbox_queue import InboxQueueState
    from test_ui_state import ADMIN

    shop = _shop()
    _states()
    consultant_root, _ = signed_in(CONSULTANT)
    refused = sub(consultant_root, InboxQueueState)
    assert fire(refused.load()) == [] and refused.forbidden

    manager_root, _ = signed_in(MANAGER)
    queue = sub(manager_root, InboxQueueState)
    fire(queue.load())
    assert not queue.forbidden and queue.waiting_total == 1 and queue.oldest_minutes >= 4
    assert [c.contact for c in queue.waiting] == ["Mariana Souza"]
    loads = {p.name: (p.load, p.capacity, p.availability) for p in queue.people}
    assert loads == {"Carla Consultora": (1, 5, "offline"), "Bia Consultora": (1, 5, "offline")}
    assert queue.mode == "round_robin" and not queue.can_configure
    fire(queue.set_mode("manual"))
    assert queue.save_error == "Você não tem permissão para fazer isso." and queue.mode == \
        "round_robin"

    admin_root, _ = signed_in(ADMIN)
    settings = sub(admin_root, InboxQueueState)
    fire(settings.load())
    assert settings.can_configure
    fire(settings.set_mode("manual"))
    assert settings.mode == "manual" and settings.notice == "Alterações salvas."
    fire(settings.save_capacities({f"cap_{shop['carla']}": "1", f"cap_{shop['bia']}": "8"}))
    assert {p.name: (p.capacity, p.percent) for p in settings.people} == \
        {"Carla Consultora": (1, 100), "Bia Consultora": (8, 12)}
    fire(settings.save_capacities({f"cap_{shop['carla']}": "500"}))
    assert settings.save_error == "A capacidade vai de 0 a 100 conversas."
    fire(settings.save_capacities({f"cap_{shop['carla']}": "muitas"}))
    assert settings.save_error == "A capacidade vai de 0 a 100 conversas."

    # Teams show on the queue: each consultant's, and the one a waiting customer was sent to.
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Conversation, Membership, Team

    with session_scope() as s:
        sales = Team(organization_id=uuid.UUID(shop["org"]), name="Vendas")
        s.add(sales)
        s.flush()
        s.exec(select(Membership).where(Membership.user_id == uuid.UUID(shop["bia"]))).one() \
            .team_id = sales.id
        s.get(Conversation, uuid.UUID(shop["ids"]["Mariana Souza"])).team_id = sales.id
    fire(queue.load())
    assert {p.name: p.team for p in queue.people} == {"Carla Consultora": "",
                                                      "Bia Consultora": "Vendas"}
    assert [(c.contact, c.team) for c in queue.waiting] == [("Mariana Souza", "Vendas")]


# ---------------------------------------------------------------- real time


def test_realtime_notices_refresh_the_list_the_thread_and_notify(demo):
    from smarterchat.backend import events, realtime
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Conversation, Message
    from smarterchat.backend.models.base import utcnow
    from smarterchat.backend.services import inbox
    from smarterchat.backend.services.actors import load_actor
    from tasks import wiring

    wiring.connect_listeners()  # as the app does at start: events reach the browsers
    shop = _shop()
    page, _ = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["Beatriz Lima"]))

    def customer_writes() -> None:
        with session_scope() as s:
            conversation = s.get(Conversation, uuid.UUID(shop["ids"]["Beatriz Lima"]))
            message = Message(organization_id=conversation.organization_id,
                              conversation_id=conversation.id, channel_id=conversation.channel_id,
                              text="E para Sorocaba?", delivery_status="received")
            conversation.last_message_at = utcnow()
            conversation.unread_count += 1
            s.add_all([message, conversation])
            s.flush()
            created = events.MessageCreated.of_rows(message, conversation, "whatsapp")
        events.emit(created)

    def manager_transfers_to_carla() -> None:
        with session_scope() as s:
            boss = load_actor(s, _user_id(s, MANAGER), uuid.UUID(shop["org"]))
            inbox.transfer(s, boss, shop["ids"]["Mariana Souza"], shop["carla"])

    async def scenario():
        async with realtime.subscription(shop["org"]) as queue:
            started = time.monotonic()
            await asyncio.to_thread(customer_writes)
            notice = await asyncio.wait_for(queue.get(), 5)
            assert notice["type"] == "message"
            assert notice["conversation_id"] == shop["ids"]["Beatriz Lima"]
            shown = await page._apply([notice])
            assert time.monotonic() - started < 1.0
            assert shown == []
            await asyncio.to_thread(manager_transfers_to_carla)
            notice = await asyncio.wait_for(queue.get(), 5)
            while notice["type"] in ("message", "status"):  # the waiting notice going out
                notice = await asyncio.wait_for(queue.get(), 5)
            assert (notice["type"], notice["action"]) == ("conversation", "transfer")
            return await page._apply([notice])

    shown = asyncio.run(scenario())
    # The new message is in the open thread, and its row went to the top, already read.
    assert page.messages[-1].text == "E para Sorocaba?"
    assert page.items[0].contact == "Beatriz Lima" and page.items[0].preview == "E para Sorocaba?"
    assert page.items[0].unread == 0
    # The transfer landed in "mine", and this browser is told with a notification.
    assert counts(page)[0] == 2
    assert len(shown) == 1
    script = shown[0].args[0][1]._var_value  # the JavaScript handed to the browser
    assert json.dumps("Nova conversa para você") in script
    assert json.dumps("Mariana Souza · WhatsApp Vendas") in script


def _user_id(session, email: str):
    from smarterchat.backend.models import User

    return session.exec(select(User.id).where(User.email == email)).one()


def test_presence_from_the_header_and_the_heartbeat(demo):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Membership

    _shop()
    page, _ = inbox_of(CONSULTANT)
    assert page.availability == "offline"
    fire(page.set_availability("online"))
    assert page.availability == "online" and page.error == ""
    fire(page.set_availability("sleeping"))
    assert page.availability == "online"
    page._last_beat = 0.0
    asyncio.run(page._tick())
    with session_scope() as s:
        carla = s.exec(select(Membership).where(
            Membership.user_id == _user_id(s, CONSULTANT))).one()
        assert carla.availability == "online" and carla.last_seen_at is not None
    asyncio.run(page._apply([{"type": "presence"}]))
    assert next(p for p in page.people if p.is_me).availability == "online"


def test_the_live_loop_stops_when_the_inbox_is_left(demo):
    from reflex.istate.data import ReflexURL, URLData

    _shop()
    page, _ = inbox_of(CONSULTANT)
    root = page._get_root_state()
    root.rx_router_url = URLData.from_url(ReflexURL("http://127.0.0.1:3000/inbox"))
    assert page._still_wanted()
    root.rx_router_url = URLData.from_url(ReflexURL("http://127.0.0.1:3000/crm"))
    assert not page._still_wanted()  # the tab moved on: the loop ends at its next look


def test_the_sidebar_badges_follow_the_inbox_and_stand_aside_there(demo):
    from reflex.istate.data import ReflexURL, URLData

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.services import inbox
    from smarterchat.backend.services.actors import load_actor
    from smarterchat.state.badges import BadgeState, moves_counts

    shop = _shop()
    page, _ = inbox_of(CONSULTANT)
    root = page._get_root_state()
    badges = sub(root, BadgeState)
    # Loading the inbox filled the sidebar's badges and the tab's title.
    assert (badges.mine, badges.waiting) == (1, 1)
    assert badges.title_prefix == "(2) "
    with session_scope() as s:
        boss = load_actor(s, _user_id(s, MANAGER), uuid.UUID(shop["org"]))
        inbox.transfer(s, boss, shop["ids"]["Mariana Souza"], shop["carla"])
    asyncio.run(page._apply([{"type": "conversation", "conversation_id":
                              shop["ids"]["Mariana Souza"], "action": "transfer"}]))
    assert (badges.mine, badges.waiting, badges.title_prefix) == (2, 0, "(2) ")

    # On the inbox the badges' own listener stands aside; anywhere else it follows.
    root.rx_router_url = URLData.from_url(ReflexURL("http://127.0.0.1:3000/inbox"))
    assert badges._stands_aside()
    root.rx_router_url = URLData.from_url(ReflexURL("http://127.0.0.1:3000/crm"))
    assert not badges._stands_aside()
    # It re-reads the counts only for notices that can move them.
    assert moves_counts([{"type": "conversation", "action": "handoff"}])
    assert moves_counts([{"type": "message", "author": "contact"}])
    assert moves_counts([{"type": "resubscribed"}])
    assert not moves_counts([{"type": "status"}, {"type": "presence"},
                             {"type": "message", "author": "ai"}])
    badges.mine = badges.waiting = 0
    assert badges.title_prefix == ""


def test_any_signed_in_page_keeps_an_online_consultant_online(demo, monkeypatch):
    """The heartbeat comes from the badges' listener on every page, not only the inbox:
    an online consultant reading the CRM is not switched off after 90 seconds."""
    from reflex.istate.data import ReflexURL, URLData

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Membership
    from smarterchat.state import inbox_live
    from smarterchat.state.badges import BadgeState

    def carla(s):
        return s.exec(select(Membership).where(
            Membership.user_id == _user_id(s, CONSULTANT))).one()

    _shop()
    page, _ = inbox_of(CONSULTANT)
    fire(page.set_availability("online"))
    with session_scope() as s:
        carla(s).last_seen_at = None
    root = page._get_root_state()
    root.rx_router_url = URLData.from_url(ReflexURL("http://127.0.0.1:3000/crm"))

    async def quiet(org):
        yield []  # a tick without notices, as batches gives every ten seconds

    async def connected(token):
        return True

    monkeypatch.setattr(inbox_live, "batches", quiet)
    monkeypatch.setattr(inbox_live, "connected", connected)
    fire(BadgeState.follow.fn(sub(root, BadgeState)))
    with session_scope() as s:
        assert carla(s).last_seen_at is not None and carla(s).availability == "online"


def test_batches_coalesce_and_resubscribe_after_a_drop(monkeypatch):
    from smarterchat.backend import realtime
    from smarterchat.state import inbox_live

    monkeypatch.setattr(inbox_live, "TICK_SECONDS", 0.2)
    monkeypatch.setattr(inbox_live, "RETRY_SECONDS", (0.05,))
    org = str(uuid.uuid4())

    async def scenario():
        seen = []
        stream = inbox_live.batches(org)
        assert await anext(stream) == []  # nothing yet: a tick
        for n in range(3):
            realtime.publish(org, {"type": "message", "conversation_id": str(n)})
        seen.append(await anext(stream))
        # The subscription says it dropped: the stream subscribes again and says so.
        realtime.publish(org, {"type": "dropped"})
        seen.append(await anext(stream))
        seen.append(await anext(stream))
        await stream.aclose()
        return seen

    one, empty, back = asyncio.run(scenario())
    assert [n["conversation_id"] for n in one] == ["0", "1", "2"]
    assert empty == [] and back == [{"type": "resubscribed"}]


def test_a_redis_subscription_that_loses_redis_says_dropped(request, monkeypatch):
    import shutil

    from smarterchat.backend import db, realtime
    from tests.fakes.pipeline import PrivateRedis
    from tests.support import need

    need(request, shutil.which("redis-server") is not None, "redis-server")
    server = PrivateRedis()
    server.start()
    monkeypatch.setenv("SMARTERCHAT_REDIS_URL", server.url)
    db.get_settings.cache_clear()
    try:
        async def scenario():
            async with realtime.subscription("org-x") as queue:
                await asyncio.sleep(0.2)
                await asyncio.to_thread(server.stop)
                return await asyncio.wait_for(queue.get(), 10)

        assert asyncio.run(scenario()) == {"type": "dropped"}
    finally:
        server.stop()
        monkeypatch.delenv("SMARTERCHAT_REDIS_URL")
        db.get_settings.cache_clear()
        realtime._publisher = None


# ---------------------------------------------------------------- media


def test_media_links_are_signed_per_message_and_organisation(demo):
    from smarterchat.backend import storage
    from smarterchat.backend.api.inbox_media import router
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.media_links import media_link
    from smarterchat.backend.models import Conversation, Message

    shop = _shop()
    with session_scope() as s:
        conversation = s.get(Conversation, uuid.UUID(shop["ids"]["João Pereira"]))
        image = Message(organization_id=conversation.organization_id,
                        conversation_id=conversation.id, channel_id=conversation.channel_id,
                        content_type="image", media_mime="image/png",
                        media_storage_key=storage.save(conversation.organization_id,
                                                       b"\x89PNG fake", "image/png"))
        svg = Message(organization_id=conversation.organization_id,
                      conversation_id=conversation.id, channel_id=conversation.channel_id,
                      content_type="document", media_mime="image/svg+xml",
                      media_storage_key=storage.save(conversation.organization_id,
                                                     b"<svg onload=alert(1)>", "image/svg+xml"))
        s.add_all([image, svg])
        s.flush()
        image_id, svg_id = str(image.id), str(svg.id)

    page, _ = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["João Pereira"]))
    shown = {m.id: m for m in page.messages}
    assert shown[image_id].media_kind == "image" and shown[svg_id].media_kind == "file"

    api = FastAPI()
    api.include_router(router)
    client = TestClient(api)
    answer = client.get(shown[image_id].media_url)
    assert answer.status_code == 200 and answer.content == b"\x89PNG fake"
    assert answer.headers["content-type"] == "image/png"
    # Anything but a plain raster image downloads, never renders in the app's origin.
    answer = client.get(shown[svg_id].media_url)
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.headers["content-disposition"].startswith("attachment")
    # A link made for another organisation, or tampered with, or expired, serves nothing.
    other = media_link(image_id, str(uuid.uuid4()))
    assert client.get(other).status_code == 404
    assert client.get(shown[image_id].media_url.replace(image_id, svg_id)).status_code == 403
    expired = media_link(image_id, shop["org"], now=time.time() - 3 * 3600)
    assert client.get(expired).status_code == 403


def test_a_media_store_that_is_down_answers_503_not_500(demo, monkeypatch):
    from smarterchat.backend import media_links, storage
    from smarterchat.backend.api import inbox_media
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Message

    def down(key):
        raise storage.StorageUnavailable("bucket unreachable")

    shop = _shop()
    page, _ = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["João Pereira"]))
    message_id = page.messages[0].id
    with session_scope() as s:
        s.get(Message, uuid.UUID(message_id)).media_storage_key = f"{shop['org']}/00/x.png"
    monkeypatch.setattr(inbox_media.storage, "load", down)
    api = FastAPI()
    api.include_router(inbox_media.router)
    answer = TestClient(api).get(media_links.media_link(message_id, shop["org"]))
    assert answer.status_code == 503 and answer.headers["retry-after"] == "30"


def _upload(name: str, data: bytes):
    import io
    from pathlib import Path

    import reflex as rx

    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def test_a_file_is_attached_in_the_composer_and_sent_with_its_caption(demo):
    shop = _shop()
    page, composer = inbox_of(CONSULTANT)
    fire(page.open_conversation(shop["ids"]["João Pereira"]))
    assert "application/pdf" in composer.attach_accept  # WhatsApp's list for the picker
    assert "image/gif" not in composer.attach_accept

    fire(composer.attach([_upload("programa.exe", b"MZ\x90\x00")]))
    assert "não entrega arquivos deste tipo (programa.exe)" in composer.action_error
    assert composer.attachment_name == "" and not composer.attaching
    fire(composer.attach_refused(["filme.mp4\tfile-too-large"]))
    assert "16 MB" in composer.action_error

    pdf = b"%PDF-1.4\n" + b"x" * 200_000
    fire(composer.attach([_upload("Proposta.pdf", pdf)]))
    assert composer.action_error == ""
    assert (composer.attachment_name, composer.attachment_kind, composer.attachment_size) == \
        ("Proposta.pdf", "document", "0.2 MB")
    composer.set_draft("Segue a proposta")
    fire(composer.send())
    sent = page.messages[-1]
    assert (sent.kind, sent.text, sent.status, sent.media_kind) == \
        ("consultant", "Segue a proposta", "pending", "document")
    assert sent.media_url.startswith(f"/media/inbox/{sent.id}?")
    assert composer.attachment_name == "" and composer.draft == ""

    # A file alone is a reply too; switching conversations drops a file not sent.
    fire(composer.attach([_upload("foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 99)]))
    fire(composer.send())
    assert (page.messages[-1].media_kind, page.messages[-1].text) == ("image", "")
    fire(composer.attach([_upload("Proposta.pdf", pdf)]))
    fire(page.open_conversation(shop["ids"]["Mariana Souza"]))
    assert composer.attachment_name == ""


def test_inbox_texts_exist_in_both_languages():
    from smarterchat.components.inbox_thread import REASONS
    from smarterchat.i18n import TABLE

    for key in [f"inbox.reason_{r}" for r in REASONS] + \
            ["inbox.tab_bot", "inbox.tab_all", "inbox.tab_resolved", "inbox.take_over",
             "inbox.return_to_ai", "inbox.transfer", "inbox.resolve", "inbox.reopen",
             "inbox.filter_channel", "inbox.filter_assignee", "inbox.filter_label",
             "error.assigned_to_someone_else", "error.no_agent_on_channel",
             "error.whatsapp_window_closed", "error.too_many_labels"]:
        assert key in TABLE, key


@pytest.fixture(autouse=True)
def _fresh_throttle():
    from smarterchat.backend.security import ratelimit

    ratelimit._backend.cache_clear()
