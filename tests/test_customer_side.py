"""The customer's side: business hours in the organisation's zone (breaks, past midnight,
holidays) and the AI rule that reads them; the settings admins edit; what the customer is
told after a move (waiting once, back to the AI, closing and survey); the web chat's
survey stars, reopening within the window, names on replies, and its flood limits. On
SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from smarterchat.backend.models import (
    Channel,
    Conversation,
    Membership,
    Message,
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import ratelimit
from smarterchat.backend.services import (
    ai_turn,
    business_hours,
    customer_notices,
    org_settings,
    transitions,
    webchat,
)
from smarterchat.backend.services.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
    TooManyAttempts,
)
from smarterchat.backend.services.inbox import actions
from tests.ai_support import ai_messages, chat, fake_openai, openai_env  # noqa: F401
from tests.factories import actor_for, make_org, make_user

SP = business_hours.zone_of("America/Sao_Paulo")


def cid(line: webchat.ChatLine) -> uuid.UUID:
    return uuid.UUID(line.conversation_id)


def at(day: str, clock: str, zone=SP) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=zone)


# ------------------------------------------------------------------ business hours

WEEK = {"week": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]],
                 "fri": [["22:00", "02:00"]]},
        "holidays": ["2026-12-25"]}


def test_hours_have_breaks_and_close_outside_them():
    schedule = business_hours.parse(WEEK, "America/Sao_Paulo")
    monday = "2026-12-07"
    assert business_hours.is_open(schedule, at(monday, "09:00"))
    assert not business_hours.is_open(schedule, at(monday, "12:30"))  # lunch break
    assert business_hours.is_open(schedule, at(monday, "17:59"))
    assert not business_hours.is_open(schedule, at(monday, "18:00"))
    assert business_hours.next_opening(schedule, at(monday, "12:30")) == at(monday, "13:00")


def test_a_span_past_midnight_stays_open_into_the_next_day():
    schedule = business_hours.parse(WEEK, "America/Sao_Paulo")
    assert business_hours.is_open(schedule, at("2026-12-04", "23:30"))  # Friday night
    assert business_hours.is_open(schedule, at("2026-12-05", "01:59"))  # Saturday small hours
    assert not business_hours.is_open(schedule, at("2026-12-05", "02:00"))
    assert not business_hours.is_open(schedule, at("2026-12-04", "21:59"))


def test_hours_are_the_organisations_wall_clock():
    schedule = business_hours.parse(WEEK, "America/Sao_Paulo")
    # 11:30 UTC is 08:30 in São Paulo (UTC-3): not open yet; 12:00 UTC is 09:00.
    assert not business_hours.is_open(schedule, datetime(2026, 12, 7, 11, 30, tzinfo=UTC))
    assert business_hours.is_open(schedule, datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    manaus = business_hours.parse(WEEK, "America/Manaus")  # UTC-4
    assert not business_hours.is_open(manaus, datetime(2026, 12, 7, 12, 0, tzinfo=UTC))


def test_a_holiday_closes_the_day_and_the_next_opening_skips_it():
    schedule = business_hours.parse(
        {"week": {d: [["09:00", "18:00"]] for d in business_hours.DAYS[:5]},
         "holidays": ["2026-12-25"]}, "America/Sao_Paulo")
    assert not business_hours.is_open(schedule, at("2026-12-25", "10:00"))  # Christmas Friday
    assert business_hours.is_open(schedule, at("2026-12-24", "10:00"))
    # From Christmas morning the team is back on Monday the 28th.
    assert business_hours.next_opening(schedule, at("2026-12-25", "10:00")) == \
        at("2026-12-28", "09:00")


def test_no_hours_means_always_open_and_the_older_shape_is_still_read():
    assert business_hours.is_open(business_hours.parse({}), at("2026-12-25", "03:00"))
    old = business_hours.parse({"mon": ["09:00", "18:00"]}, "America/Sao_Paulo")
    assert business_hours.is_open(old, at("2026-12-07", "10:00"))
    assert not business_hours.is_open(old, at("2026-12-08", "10:00"))


@pytest.mark.parametrize("bad", [
    {"week": {"mon": [["9:00", "18:00"]]}},
    {"week": {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]}},  # overlap
    {"week": {"mon": [["22:00", "02:00"], ["23:00", "23:30"]]}},  # overlap past midnight
    {"week": {"mon": [["09:00", "09:00"]]}},
    {"week": {"funday": [["09:00", "18:00"]]}},
    {"week": {}, "holidays": ["25/12/2026"]},
])
def test_malformed_hours_are_refused(bad):
    with pytest.raises(InvalidInput):
        business_hours.parse(bad)


def test_brazilian_holidays_include_the_easter_based_ones():
    days = {h.key: h.day for h in business_hours.brazilian_holidays(2026)}
    assert business_hours.easter(2026) == date(2026, 4, 5)
    assert days["carnival"] == date(2026, 2, 17)
    assert days["good_friday"] == date(2026, 4, 3)
    assert days["corpus_christi"] == date(2026, 6, 4)
    assert days["black_consciousness"] == date(2026, 11, 20)
    assert business_hours.easter(2025) == date(2025, 4, 20)
    assert "black_consciousness" not in {h.key for h in business_hours.brazilian_holidays(2023)}


def test_the_ai_rule_reads_the_hours_and_says_when_the_team_is_back(session, chat, openai_env):
    org = session.get(Organization, chat["org"].id)
    closed_today = business_hours.DAYS[utcnow().astimezone(SP).weekday()]
    org.business_hours = {"week": {d: [["00:00", "00:01"]] for d in business_hours.DAYS},
                          "holidays": [utcnow().astimezone(SP).date().isoformat()]}
    session.add(org)
    session.commit()
    from smarterchat.backend.services import agents

    agents.update_agent(session, chat["actor"], chat["agent"],
                        {"handoff_rules": {"business_hours_only": True}})
    result = ai_turn.respond(chat["conversation"])
    assert result.decision.reason == "outside_hours", closed_today
    (told,) = ai_messages(session, chat["conversation"])
    assert "fora do horário" in told.text and "Voltamos amanhã às 00:00." in told.text
    session.expire_all()
    assert session.get(Conversation, chat["conversation"]).waiting_notice_at is not None


# ------------------------------------------------------------------ settings

def _settings(**service) -> org_settings.SettingsInput:
    return org_settings.SettingsInput(
        name="Loja Nova", logo_url="https://cdn.example.com/logo.png", locale="en",
        timezone="America/Manaus", hours=WEEK, distribution_mode="manual",
        service=org_settings.ServiceSettings(**service))


def test_an_admin_saves_the_settings_and_a_consultant_may_not(session):
    org = make_org(session, "Loja Config")
    admin = actor_for(session, make_user(session, org), org)
    data = org_settings.SettingsInput(**{**vars(_settings(survey_enabled=True,
                                                          reopen_window_hours=48)),
                                         "first_response_target_minutes": 30})
    saved = org_settings.save(session, admin, data)
    assert (saved.name, saved.locale, saved.timezone) == ("Loja Nova", "en", "America/Manaus")
    assert saved.first_response_target_minutes == 30
    assert saved.hours["week"]["fri"] == [["22:00", "02:00"]] and saved.service.survey_enabled
    consultant = actor_for(session, make_user(session, org, "consultant"), org)
    assert org_settings.load(session, consultant).can_edit is False
    with pytest.raises(PermissionDenied):
        org_settings.save(session, consultant, _settings())


@pytest.mark.parametrize("change", [
    {"name": " "}, {"timezone": "Mars/Olympus"}, {"logo_url": "http://x.example/a.png"},
    {"locale": "fr"}, {"hours": {"week": {"mon": [["25:00", "26:00"]]}}},
    {"service": org_settings.ServiceSettings(reopen_window_hours=-1)},
    {"service": org_settings.ServiceSettings(closing_message="x" * 601)},
    {"first_response_target_minutes": 0},
])
def test_a_bad_setting_changes_nothing(session, change):
    org = make_org(session, "Loja Intacta")
    admin = actor_for(session, make_user(session, org), org)
    data = _settings()
    with pytest.raises(InvalidInput):
        org_settings.save(session, admin, org_settings.SettingsInput(**{**vars(data), **change}))
    session.rollback()
    session.expire_all()
    stored = session.get(Organization, org.id)
    assert (stored.name, stored.timezone, stored.business_hours) == \
        ("Loja Intacta", "America/Sao_Paulo", {})


def test_settings_are_the_actors_own_organisation(session):
    mine, theirs = make_org(session, "Minha"), make_org(session, "Deles")
    admin = actor_for(session, make_user(session, mine), mine)
    org_settings.save(session, admin, _settings())
    session.expire_all()
    assert session.get(Organization, theirs.id).name == "Deles"
    assert org_settings.load(session, admin).name == "Loja Nova"


# ------------------------------------------------------------------ told to the customer

@pytest.fixture
def web(session):
    ratelimit._backend.cache_clear()
    org = make_org(session, "Loja Web")
    org.service_settings = {"survey_enabled": True, "closing_enabled": True,
                            "closing_message": "Até logo!", "show_queue_position": True,
                            "reopen_window_hours": 24}
    channel = Channel(organization_id=org.id, kind="webchat", name="Site")
    session.add_all([org, channel])
    session.commit()
    carla = make_user(session, org, "consultant")
    carla.name = "Carla"
    session.add(carla)
    session.commit()
    return {"org": org, "channel": channel, "carla": actor_for(session, carla, org)}


def _visitor_writes(session, web, text: str, visitor: str, n: int = 0, ip: str = "203.0.113.9"):
    return webchat.send(session, web["channel"].id, visitor, text,
                        client_id=f"client{n:04d}x", ip=ip)


def _told(session, conversation_id, notice: str) -> list[Message]:
    return [m for m in session.exec(select(Message).where(
        Message.conversation_id == conversation_id).order_by(col(Message.created_at))).all()
        if m.extra.get("notice") == notice]


def test_nobody_free_the_customer_is_told_once_with_the_queue_place(session, web):
    visitor = webchat.new_visitor_id()
    line = _visitor_writes(session, web, "Oi, preciso de ajuda", visitor)
    customer_notices.after_change(cid(line), "customer_wrote")
    _visitor_writes(session, web, "Alguém aí?", visitor, 1)
    customer_notices.after_change(cid(line), "customer_wrote")
    session.expire_all()
    (told,) = _told(session, cid(line), "waiting")
    assert "ocupadas" in told.text and "Sua posição na fila: 1." in told.text
    assert told.author_kind == "system" and not told.is_private


def test_no_waiting_notice_when_someone_can_take_it(session, web):
    session.exec(select(Membership).where(Membership.user_id == web["carla"].user_id)).one()
    membership = session.exec(select(Membership).where(
        Membership.user_id == web["carla"].user_id)).one()
    membership.availability = "online"
    session.add(membership)
    session.commit()
    line = _visitor_writes(session, web, "Oi", webchat.new_visitor_id())
    assert customer_notices.after_change(cid(line), "customer_wrote") == []


def test_joined_name_on_replies_closing_and_stars_in_the_web_chat(session, web):
    visitor = webchat.new_visitor_id()
    line = _visitor_writes(session, web, "Quero trocar um produto", visitor)
    actions.reply(session, web["carla"], cid(line), "Oi! Posso ajudar.")
    lines = webchat.history(session, web["channel"].id, visitor)
    joined = [x for x in lines if x.notice == "joined"]
    assert [x.author_name for x in joined] == ["Carla"]
    reply = lines[-1]
    assert (reply.author, reply.author_name, reply.text) == ("agent", "Carla", "Oi! Posso ajudar.")
    assert lines.index(joined[0]) < lines.index(reply)  # "Carla joined" comes first
    actions.resolve(session, web["carla"], cid(line))
    customer_notices.after_change(cid(line), "resolve")
    session.expire_all()
    lines = webchat.history(session, web["channel"].id, visitor)
    closing, survey = lines[-2:]
    assert closing.notice == "closing" and closing.text == "Até logo!"
    assert survey.notice == "survey" and survey.rating == 0
    webchat.rate(session, web["channel"].id, visitor, cid(line), 4, "Rápido!")
    session.expire_all()
    stored = session.get(Conversation, cid(line))
    assert (stored.csat_rating, stored.csat_comment, stored.status) == (4, "Rápido!", "resolved")
    assert webchat.history(session, web["channel"].id, visitor)[-1].rating == 4
    with pytest.raises(Conflict):  # the first answer counts
        webchat.rate(session, web["channel"].id, visitor, cid(line), 1)


def test_another_visitor_cannot_rate_a_conversation_or_give_six_stars(session, web):
    visitor = webchat.new_visitor_id()
    line = _visitor_writes(session, web, "Oi", visitor)
    conversation = session.get(Conversation, cid(line))
    conversation.survey_sent_at = utcnow()
    session.add(conversation)
    session.commit()
    from smarterchat.backend.services.errors import NotFound

    with pytest.raises(NotFound):
        webchat.rate(session, web["channel"].id, webchat.new_visitor_id(), cid(line), 5)
    with pytest.raises(InvalidInput):
        webchat.rate(session, web["channel"].id, visitor, cid(line), 6)
    session.expire_all()
    assert session.get(Conversation, cid(line)).csat_rating is None


def test_writing_within_the_window_reopens_the_same_conversation(session, web):
    visitor = webchat.new_visitor_id()
    first = _visitor_writes(session, web, "Oi", visitor)
    actions.reply(session, web["carla"], cid(first), "Olá!")
    actions.resolve(session, web["carla"], cid(first))
    again = _visitor_writes(session, web, "Esqueci de perguntar uma coisa", visitor, 1)
    assert cid(again) == cid(first)
    session.expire_all()
    reopened = session.get(Conversation, cid(first))
    assert (reopened.status, reopened.assignee_id) == ("human", web["carla"].user_id)
    # Past the window, a new conversation starts.
    actions.resolve(session, web["carla"], cid(first))
    reopened = session.get(Conversation, cid(first))
    reopened.resolved_at = utcnow() - timedelta(hours=25)
    session.add(reopened)
    session.commit()
    later = _visitor_writes(session, web, "Oi de novo", visitor, 2)
    assert cid(later) != cid(first)


def test_handing_back_to_the_ai_tells_the_customer(session, web):
    from smarterchat.backend.models import Agent

    agent = Agent(organization_id=web["org"].id, name="Bot")
    session.add(agent)
    session.commit()
    line = _visitor_writes(session, web, "Oi", webchat.new_visitor_id())
    conversation = session.get(Conversation, cid(line))
    transitions.return_to_ai(session, conversation, transitions.Person(
        web["carla"].user_id, "Carla"), agent.id)
    session.commit()
    customer_notices.after_change(cid(line), "return_to_ai")
    session.expire_all()
    (told,) = _told(session, cid(line), "back_to_ai")
    assert "assistente virtual" in told.text


# ------------------------------------------------------------------ flood limits

def test_a_new_cookie_does_not_start_the_count_over(session, web, monkeypatch):
    monkeypatch.setattr(webchat, "PER_IP", (3, 60))
    monkeypatch.setattr(webchat, "NEW_CHATS_PER_IP", (100, 3600))
    for n in range(3):
        _visitor_writes(session, web, "spam", webchat.new_visitor_id(), n)
    with pytest.raises(TooManyAttempts) as refused:
        _visitor_writes(session, web, "spam", webchat.new_visitor_id(), 9)
    assert refused.value.code == "too_many_messages"
    # Another network is not held up.
    _visitor_writes(session, web, "oi", webchat.new_visitor_id(), 10, ip="198.51.100.7")
    assert len(session.exec(select(Message)).all()) == 4


def test_new_conversations_per_address_are_capped(session, web, monkeypatch):
    monkeypatch.setattr(webchat, "NEW_CHATS_PER_IP", (2, 3600))
    regular = webchat.new_visitor_id()
    _visitor_writes(session, web, "oi", regular)
    _visitor_writes(session, web, "oi", webchat.new_visitor_id(), 1)
    with pytest.raises(TooManyAttempts) as refused:
        _visitor_writes(session, web, "oi", webchat.new_visitor_id(), 2)
    assert refused.value.code == "too_many_chats"
    # A visitor already talking goes on.
    _visitor_writes(session, web, "continuando", regular, 3)
    assert len(session.exec(select(Conversation)).all()) == 2


def test_a_channel_has_a_ceiling_of_its_own(session, web, monkeypatch):
    monkeypatch.setattr(webchat, "PER_CHANNEL", (2, 60))
    _visitor_writes(session, web, "a", webchat.new_visitor_id(), 0, ip="192.0.2.1")
    _visitor_writes(session, web, "b", webchat.new_visitor_id(), 1, ip="192.0.2.2")
    with pytest.raises(TooManyAttempts) as refused:
        _visitor_writes(session, web, "c", webchat.new_visitor_id(), 2, ip="192.0.2.3")
    assert refused.value.code == "chat_busy"
    assert len(session.exec(select(Message)).all()) == 2


# ------------------------------------------------------------------ the greeting, once

def test_the_model_is_told_the_customer_was_greeted_after_the_first_answer(session, chat,
                                                                           openai_env):
    from smarterchat.backend.services import agents

    agents.update_agent(session, chat["actor"], chat["agent"], {"greeting": "Olá! Sou a Lia."})
    assert ai_turn.respond(chat["conversation"]).sent
    first = openai_env.completions("text")[-1]["body"]["messages"][0]["content"]
    assert "already been greeted" not in first  # WhatsApp: nothing was shown before
    conversation = session.get(Conversation, chat["conversation"])
    session.add(Message(organization_id=conversation.organization_id,
                        conversation_id=conversation.id, channel_id=conversation.channel_id,
                        text="E em Sorocaba?", author_kind="contact",
                        provider_message_id="wamid.greet2"))
    session.commit()
    assert ai_turn.respond(chat["conversation"]).sent
    second = openai_env.completions("text")[-1]["body"]["messages"][0]["content"]
    assert 'already been greeted ("Olá! Sou a Lia."): do not greet again' in second


def test_the_web_chat_greeting_shown_on_the_page_is_not_repeated():
    from smarterchat.backend.ai.brain import AgentConfig, Context, greeting_rule

    agent = AgentConfig(id="a", organization_id="o", organization_name="Loja", name="Lia",
                        greeting="Oi!")
    web_first = Context(agent=agent, history=[], question="oi", customer_texts=["oi"],
                        passages=[], channel="web chat", first_turn=True)
    assert "do not greet again" in greeting_rule(web_first)
    whatsapp_first = Context(agent=agent, history=[], question="oi", customer_texts=["oi"],
                             passages=[], channel="WhatsApp", first_turn=True)
    assert greeting_rule(whatsapp_first) == ""


# ------------------------------------------------------------------ the visitor's files

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_a_visitor_sends_a_photo_and_a_document(session, web):
    from smarterchat.backend import storage

    visitor = webchat.new_visitor_id()
    photo = webchat.send_file(session, web["channel"].id, visitor, "foto.png", PNG,
                              client_id="file0001x", ip="203.0.113.9")
    again = webchat.send_file(session, web["channel"].id, visitor, "foto.png", PNG,
                              client_id="file0001x", ip="203.0.113.9")
    assert photo.id == again.id and photo.media_kind == "image" and photo.media_url
    stored = session.get(Message, uuid.UUID(photo.id))
    assert stored.media_mime == "image/png" and storage.load(stored.media_storage_key) == PNG
    pdf = webchat.send_file(session, web["channel"].id, visitor, "pedido.pdf",
                            b"%PDF-1.4\n%%EOF\n", client_id="file0002x")
    assert (pdf.media_kind, pdf.media_name) == ("document", "pedido.pdf")


@pytest.mark.parametrize(("name", "data", "code"), [
    ("virus.exe", b"MZ\x90", "attachment_type_refused"),
    ("foto.png", b"not a png at all", "attachment_not_what_it_says"),
    ("vazio.pdf", b"", "attachment_empty"),
])
def test_a_visitor_file_that_fails_the_checks_stores_nothing(session, web, name, data, code):
    with pytest.raises(InvalidInput) as refused:
        webchat.send_file(session, web["channel"].id, webchat.new_visitor_id(), name, data,
                          client_id="file0003x")
    assert refused.value.code == code
    assert session.exec(select(Message)).all() == []


# ------------------------------------------------------------------ the inbox

def test_inbox_search_finds_a_customer_whatever_the_tab(session, web):
    visitor = webchat.new_visitor_id()
    webchat.send(session, web["channel"].id, visitor, "Oi", client_id="search001", name="Zélia")
    line = webchat.send(session, web["channel"].id, visitor, "Meu pedido 4471 não chegou",
                        client_id="search002")
    actions.reply(session, web["carla"], cid(line), "Vou verificar.")
    actions.resolve(session, web["carla"], cid(line))
    from smarterchat.backend.services.inbox import queries

    for tab in ("mine", "waiting", "bot", "open", "resolved"):
        found = queries.list_conversations(session, web["carla"], tab=tab, search="4471")
        assert [r.id for r in found.items] == [line.conversation_id], tab
    assert queries.list_conversations(session, web["carla"], tab="bot").items == []
    stranger_org = make_org(session, "Outra")
    stranger = actor_for(session, make_user(session, stranger_org), stranger_org)
    assert queries.list_conversations(session, stranger, search="4471").items == []
