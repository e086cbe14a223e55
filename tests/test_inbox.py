"""Inbox actions in the service layer: what each role may do, tenant scoping, the audit
trail, the events that reach other browsers, and the list's tabs, search and paging."""

from __future__ import annotations

import uuid
from dataclasses import asdict

import pytest
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.models import AuditLog, Conversation, Message
from smarterchat.backend.services import inbox
from smarterchat.backend.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from tests.factories import actor_for, make_conversation, make_org, make_user


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja Inbox")
    channel, contact, conversation, message = make_conversation(session, org)
    conversation.status = "waiting_human"
    session.add(conversation)
    session.commit()
    ana = make_user(session, org, "consultant")
    bia = make_user(session, org, "consultant")
    boss = make_user(session, org, "manager")
    return {"org": org, "conversation": conversation.id,
            "ana": actor_for(session, ana, org), "bia": actor_for(session, bia, org),
            "boss": actor_for(session, boss, org)}


@pytest.fixture
def emitted():
    seen = []

    def listener(event):
        seen.append(asdict(event))

    events.subscribe(events.ConversationChanged, listener)
    events.subscribe(events.OutboundQueued, listener)
    yield seen
    events.unsubscribe(events.ConversationChanged, listener)
    events.unsubscribe(events.OutboundQueued, listener)


def fresh(session, conversation_id) -> Conversation:
    session.expire_all()
    return session.get(Conversation, conversation_id)


def test_reply_takes_over_and_queues_the_message(session, shop, emitted):
    message_id = inbox.reply(session, shop["ana"], shop["conversation"], "Olá! Posso ajudar.")
    conversation = fresh(session, shop["conversation"])
    assert conversation.status == "human" and conversation.assignee_id == shop["ana"].user_id
    sent = session.get(Message, uuid.UUID(message_id))
    assert sent.author_kind == "consultant" and sent.delivery_status == "pending"
    assert {"action": "reply"}.items() <= emitted[0].items()
    assert any(e.get("message_id") for e in emitted)  # the send is enqueued
    notes = session.exec(select(Message).where(Message.author_kind == "system")).all()
    assert [n.extra["event"] for n in notes] == ["take_over"]


def test_private_note_is_never_sent(session, shop, emitted):
    note_id = inbox.reply(session, shop["ana"], shop["conversation"], "cliente VIP",
                          private=True)
    note = session.get(Message, uuid.UUID(note_id))
    assert note.is_private and note.delivery_status == "sent"
    assert not any(e.get("message_id") for e in emitted)
    assert fresh(session, shop["conversation"]).status == "waiting_human"


def test_consultant_cannot_act_on_someone_elses_conversation(session, shop):
    inbox.take_over(session, shop["ana"], shop["conversation"])
    for action in (inbox.take_over, inbox.resolve, inbox.return_to_ai):
        with pytest.raises(PermissionDenied):
            action(session, shop["bia"], shop["conversation"])
    with pytest.raises(PermissionDenied):
        inbox.reply(session, shop["bia"], shop["conversation"], "oi")
    assert fresh(session, shop["conversation"]).assignee_id == shop["ana"].user_id
    # A manager may move it.
    inbox.transfer(session, shop["boss"], shop["conversation"], shop["bia"].user_id)
    assert fresh(session, shop["conversation"]).assignee_id == shop["bia"].user_id


def test_return_to_ai_resolve_reopen_and_labels_are_audited(session, shop):
    c = shop["conversation"]
    inbox.take_over(session, shop["ana"], c)
    inbox.return_to_ai(session, shop["ana"], c)
    conversation = fresh(session, c)
    assert conversation.status == "bot" and conversation.assignee_id is None
    assert conversation.ai_cursor_at is not None  # the AI answers what comes next only
    inbox.resolve(session, shop["ana"], c)
    assert fresh(session, c).status == "resolved"
    inbox.reopen(session, shop["ana"], c)
    assert fresh(session, c).status == "human"
    with pytest.raises(Conflict):
        inbox.reopen(session, shop["ana"], c)  # it is open already
    inbox.set_labels(session, shop["ana"], c, ["vip", " vip ", "troca"])
    assert fresh(session, c).labels == ["troca", "vip"]
    actions = [a.action for a in session.exec(
        select(AuditLog).where(AuditLog.organization_id == shop["org"].id)
        .order_by(AuditLog.created_at))]
    assert actions == ["conversation.take_over", "conversation.return_to_ai",
                       "conversation.resolve", "conversation.reopen", "conversation.labels"]


def test_transfer_only_to_active_members_of_the_same_organisation(session, shop):
    other = make_org(session, "Outra")
    stranger = make_user(session, other, "consultant")
    with pytest.raises(InvalidInput):
        inbox.transfer(session, shop["boss"], shop["conversation"], stranger.id)
    assert fresh(session, shop["conversation"]).assignee_id is None


def test_another_organisation_cannot_see_or_touch_the_conversation(session, shop):
    other = make_org(session, "Concorrente")
    spy = actor_for(session, make_user(session, other, "admin"), other)
    for call in (lambda: inbox.thread(session, spy, shop["conversation"]),
                 lambda: inbox.contact_panel(session, spy, shop["conversation"]),
                 lambda: inbox.take_over(session, spy, shop["conversation"]),
                 lambda: inbox.reply(session, spy, shop["conversation"], "oi"),
                 lambda: inbox.resolve(session, spy, shop["conversation"])):
        with pytest.raises(NotFound):
            call()
    assert inbox.list_conversations(session, spy, tab="open").total == 0
    assert fresh(session, shop["conversation"]).status == "waiting_human"


def test_whatsapp_window_closed_refuses_free_text_but_not_templates(session, shop):
    from datetime import timedelta

    from smarterchat.backend.models.base import utcnow

    conversation = fresh(session, shop["conversation"])
    conversation.last_inbound_at = utcnow() - timedelta(hours=30)
    session.add(conversation)
    session.commit()
    panel = inbox.contact_panel(session, shop["ana"], shop["conversation"])
    assert not panel.window_open
    with pytest.raises(InvalidInput) as refused:
        inbox.reply(session, shop["ana"], shop["conversation"], "oi")
    assert refused.value.code == "whatsapp_window_closed"
    inbox.reply(session, shop["ana"], shop["conversation"], "", template={
        "name": "retomar_contato", "language": "pt_BR", "parameters": ["Ana"]})


def test_tabs_search_and_paging_happen_in_sql(session, shop):
    org = shop["org"]
    for i in range(35):
        _, contact, conversation, message = make_conversation(session, org)
        contact.name = f"Cliente {i:02d}"
        message.text = "quero trocar o tamanho" if i == 7 else f"mensagem {i}"
        session.add_all([contact, message])
    session.commit()
    page = inbox.list_conversations(session, shop["ana"], tab="bot", limit=30)
    assert page.total == 35 and len(page.items) == 30
    rest = inbox.list_conversations(session, shop["ana"], tab="bot", offset=30)
    assert len(rest.items) == 5
    assert {r.id for r in page.items}.isdisjoint({r.id for r in rest.items})
    assert inbox.list_conversations(session, shop["ana"], tab="waiting").total == 1
    found = inbox.list_conversations(session, shop["ana"], search="TROCAR")
    assert [r.contact_name for r in found.items] == ["Cliente 07"]
    assert found.items[0].preview == "quero trocar o tamanho"
    by_name = inbox.list_conversations(session, shop["ana"], search="cliente 1")
    assert by_name.total == 10
    inbox.take_over(session, shop["ana"], shop["conversation"])
    mine = inbox.list_conversations(session, shop["ana"], tab="mine")
    assert [r.id for r in mine.items] == [str(shop["conversation"])]
    with pytest.raises(InvalidInput):
        inbox.list_conversations(session, shop["ana"], tab="everything")


def test_badge_counts_follow_assignment_and_stay_in_the_organisation(session, shop):
    org = shop["org"]
    # One of each: with the AI, waiting, Bia's, resolved (on top of the shop's waiting one).
    for status in ("bot", "waiting_human", "human", "resolved"):
        _, _, conversation, _ = make_conversation(session, org)
        conversation.status = status
        if status in ("human", "resolved"):
            conversation.assignee_id = shop["bia"].user_id
        session.add(conversation)
    other = make_org(session, "Vizinha")
    _, _, elsewhere, _ = make_conversation(session, other)
    elsewhere.status = "waiting_human"
    session.add(elsewhere)
    session.commit()

    assert inbox.counts(session, shop["ana"]) == inbox.Counts(mine=0, waiting=2)
    assert inbox.counts(session, shop["bia"]) == inbox.Counts(mine=1, waiting=2)
    inbox.transfer(session, shop["boss"], shop["conversation"], shop["ana"].user_id)
    assert inbox.counts(session, shop["ana"]) == inbox.Counts(mine=1, waiting=1)
    # The badges say what the inbox's tabs list.
    for actor in (shop["ana"], shop["bia"], shop["boss"]):
        found = inbox.counts(session, actor)
        assert found.mine == inbox.list_conversations(session, actor, tab="mine").total
        assert found.waiting == inbox.list_conversations(session, actor, tab="waiting").total
    inbox.resolve(session, shop["ana"], shop["conversation"])
    assert inbox.counts(session, shop["ana"]) == inbox.Counts(mine=0, waiting=1)
    # A platform account without an organisation has no inbox to count.
    root = make_user(session, None, superadmin=True)
    with pytest.raises(PermissionDenied):
        inbox.counts(session, actor_for(session, root, None))


def test_thread_pages_backwards(session, shop):
    conversation = fresh(session, shop["conversation"])
    from datetime import timedelta

    from smarterchat.backend.models.base import utcnow

    for i in range(45):
        session.add(Message(organization_id=conversation.organization_id,
                            conversation_id=conversation.id, channel_id=conversation.channel_id,
                            text=f"m{i}", created_at=utcnow() + timedelta(seconds=i),
                            author_kind="contact"))
    session.commit()
    latest = inbox.thread(session, shop["ana"], conversation.id, limit=30)
    assert latest[-1].text == "m44" and len(latest) == 30
    older = inbox.thread(session, shop["ana"], conversation.id, before=latest[0].created_at,
                         limit=30)
    assert older[-1].text == "m14" and len(older) == 16  # 15 more + the first message


def test_system_lines_are_told_in_the_readers_language(session, shop):
    from smarterchat.state.inbox_items import message_item

    boss_name = shop["boss"].name
    inbox.take_over(session, shop["ana"], shop["conversation"])
    inbox.transfer(session, shop["boss"], shop["conversation"], shop["bia"].user_id)
    events_ = [m for m in inbox.thread(session, shop["ana"], shop["conversation"])
               if m.author_kind == "system"]
    assert [m.event for m in events_] == ["take_over", "transfer"]
    english = [message_item(m, str(shop["org"].id), "en").text for m in events_]
    portuguese = [message_item(m, str(shop["org"].id), "pt-BR").text for m in events_]
    assert english[0] == f"{shop['ana'].name} took over the conversation"
    assert english[1] == f"{boss_name} transferred the conversation to {shop['bia'].name}"
    assert portuguese[0] == f"{shop['ana'].name} assumiu a conversa"


# ------------------------------------------------------------------ attachments

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_an_attachment_is_stored_then_sent_with_its_caption(session, shop, emitted):
    from smarterchat.backend import storage

    file = inbox.attach(session, shop["ana"], shop["conversation"], "C:\\docs\\Orçamento.pdf", PDF)
    assert (file.mime, file.kind, file.name, file.size) == \
        ("application/pdf", "document", "Orçamento.pdf", len(PDF))
    assert file.key.startswith(f"{shop['org'].id}/") and storage.load(file.key) == PDF
    assert session.exec(select(Message).where(Message.media_storage_key == file.key)).all() == []

    message_id = inbox.reply(session, shop["ana"], shop["conversation"], "Segue o orçamento",
                             attachment=file)
    sent = session.get(Message, uuid.UUID(message_id))
    assert (sent.content_type, sent.text, sent.media_storage_key, sent.media_mime,
            sent.media_size, sent.extra["filename"], sent.delivery_status) == \
        ("document", "Segue o orçamento", file.key, "application/pdf", len(PDF),
         "Orçamento.pdf", "pending")
    assert fresh(session, shop["conversation"]).assignee_id == shop["ana"].user_id
    assert [e["message_id"] for e in emitted if e.get("message_id")] == [sent.id]
    audit = session.exec(select(AuditLog).where(AuditLog.action == "conversation.reply")).one()
    assert audit.details["attachment"] == "document"
    (shown,) = [m for m in inbox.thread(session, shop["ana"], shop["conversation"])
                if m.id == message_id]
    assert (shown.media_key, shown.media_mime, shown.media_name) == \
        (file.key, "application/pdf", "Orçamento.pdf")


@pytest.mark.parametrize("name, data, code", [
    ("programa.exe", b"MZ\x90\0", "attachment_type_refused"),
    ("animacao.gif", b"GIF89a" + b"\0" * 10, "attachment_type_refused"),  # not on WhatsApp
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "attachment_too_large"),
    ("nota.pdf", b"<html>not a pdf</html>", "attachment_not_what_it_says"),
    ("vazio.txt", b"", "attachment_empty"),
])
def test_files_the_channel_cannot_deliver_are_refused_and_nothing_is_stored(
        session, shop, name, data, code):
    from smarterchat.backend import storage

    before = set(storage._backend().root.rglob("*")) if storage._backend().root.exists() \
        else set()
    with pytest.raises(InvalidInput) as refused:
        inbox.attach(session, shop["ana"], shop["conversation"], name, data)
    assert refused.value.code == code
    after = set(storage._backend().root.rglob("*")) if storage._backend().root.exists() \
        else set()
    assert after == before


def test_attachments_respect_tenant_and_assignment(session, shop):
    other = make_org(session, "Outra Loja")
    stranger = actor_for(session, make_user(session, other, "admin"), other)
    with pytest.raises(NotFound):
        inbox.attach(session, stranger, shop["conversation"], "foto.png", PNG)
    inbox.take_over(session, shop["ana"], shop["conversation"])
    with pytest.raises(PermissionDenied):
        inbox.attach(session, shop["bia"], shop["conversation"], "foto.png", PNG)

    # A file stored for another organisation cannot be sent from this one.
    _, _, foreign, _ = make_conversation(session, other)
    theirs = inbox.attach(session, stranger, foreign.id, "foto.png", PNG)
    with pytest.raises(InvalidInput):
        inbox.reply(session, shop["ana"], shop["conversation"], "", attachment=theirs)
    assert session.exec(select(Message).where(Message.media_storage_key == theirs.key)).all() \
        == []


def test_an_instagram_caption_follows_the_file_as_its_own_message(session, shop, emitted):
    from smarterchat.backend.models import Channel

    conversation = fresh(session, shop["conversation"])
    channel = session.get(Channel, conversation.channel_id)
    channel.kind = "instagram"
    session.add(channel)
    session.commit()
    file = inbox.attach(session, shop["ana"], shop["conversation"], "foto.png", PNG)
    first = inbox.reply(session, shop["ana"], shop["conversation"], "Olha essa", attachment=file)
    sent = session.exec(select(Message).where(Message.author_kind == "consultant")
                        .order_by(Message.created_at)).all()
    assert [(m.content_type, m.text, m.media_storage_key) for m in sent] == \
        [("image", "", file.key), ("text", "Olha essa", None)]
    assert str(sent[0].id) == first
    assert [e["message_id"] for e in emitted if e.get("message_id")] == [m.id for m in sent]


# ---------------------------------------------------------------- transfer to a team

@pytest.fixture
def teams_shop(session, shop):
    from smarterchat.backend.models import Membership, Team

    sales = Team(organization_id=shop["org"].id, name="Vendas")
    session.add(sales)
    session.flush()

    def seller(*, online: bool, capacity: int = 2):
        user = make_user(session, shop["org"], "consultant")
        membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
        membership.team_id, membership.capacity = sales.id, capacity
        membership.availability = "online" if online else "offline"
        session.add(membership)
        session.commit()
        return user

    for actor in (shop["ana"], shop["bia"]):  # online, but in no team
        membership = session.exec(select(Membership).where(
            Membership.user_id == actor.user_id)).one()
        membership.availability = "online"
        session.add(membership)
    session.commit()
    return {**shop, "sales": sales, "seller": seller}


@pytest.fixture
def tasks_inline():
    """Huey runs tasks at once, so the distribution an action triggers happens in the test."""
    import tasks

    tasks.huey.immediate = True
    yield
    tasks.huey.immediate = False


def test_transfer_to_a_team_queues_it_for_that_team_and_is_audited(session, teams_shop,
                                                                   emitted):
    c, sales = teams_shop["conversation"], teams_shop["sales"]
    inbox.take_over(session, teams_shop["ana"], c)
    inbox.transfer_to_team(session, teams_shop["ana"], c, sales.id)
    conversation = fresh(session, c)
    assert (conversation.status, conversation.team_id, conversation.assignee_id) == \
        ("waiting_human", sales.id, None)
    assert conversation.waiting_since is not None
    assert emitted[-1]["action"] == "transfer_team"
    audit = session.exec(select(AuditLog).where(
        AuditLog.action == "conversation.transfer_team")).one()
    assert audit.details == {"team": str(sales.id)}
    line = [m for m in inbox.thread(session, teams_shop["ana"], c)
            if m.author_kind == "system"][-1]
    assert line.event == "transfer_team" and line.event_detail == {"to_name": "Vendas"}
    assert line.text == f"{teams_shop['ana'].name} transferiu a conversa para a equipe Vendas"
    from smarterchat.state.inbox_items import message_item

    assert message_item(line, str(teams_shop["org"].id), "en").text == \
        f"{teams_shop['ana'].name} transferred the conversation to team Vendas"
    row = inbox.list_conversations(session, teams_shop["ana"], tab="waiting").items[0]
    assert row.team_name == "Vendas"
    targets = inbox.team_targets(session, teams_shop["ana"])
    assert targets == [{"team_id": str(sales.id), "name": "Vendas", "online": 0}]


def test_transfer_to_a_team_goes_to_its_online_consultant_with_room(session, teams_shop,
                                                                    tasks_inline):
    seller_full = teams_shop["seller"](online=True, capacity=0)
    teams_shop["seller"](online=False)
    seller = teams_shop["seller"](online=True)
    assert inbox.team_targets(session, teams_shop["boss"])[0]["online"] == 2
    inbox.transfer_to_team(session, teams_shop["boss"], teams_shop["conversation"],
                           teams_shop["sales"].id)
    conversation = fresh(session, teams_shop["conversation"])
    assert (conversation.status, conversation.assignee_id) == ("human", seller.id)
    assert conversation.assignee_id != seller_full.id


def test_transfer_to_a_team_with_nobody_online_waits(session, teams_shop, tasks_inline):
    teams_shop["seller"](online=False)
    inbox.transfer_to_team(session, teams_shop["boss"], teams_shop["conversation"],
                           teams_shop["sales"].id)
    conversation = fresh(session, teams_shop["conversation"])
    # Ana and Bia are online with room, but not in the team.
    assert (conversation.status, conversation.assignee_id) == ("waiting_human", None)


def test_transfer_to_a_team_checks_who_acts_and_which_team(session, teams_shop):
    from smarterchat.backend.models import Team

    c = teams_shop["conversation"]
    inbox.take_over(session, teams_shop["ana"], c)
    with pytest.raises(PermissionDenied):  # Ana's conversation, not Bia's
        inbox.transfer_to_team(session, teams_shop["bia"], c, teams_shop["sales"].id)
    other = make_org(session, "Outra")
    theirs = Team(organization_id=other.id, name="Deles")
    session.add(theirs)
    session.commit()
    with pytest.raises(InvalidInput):
        inbox.transfer_to_team(session, teams_shop["boss"], c, theirs.id)
    spy = actor_for(session, make_user(session, other, "admin"), other)
    with pytest.raises(NotFound):
        inbox.transfer_to_team(session, spy, c, theirs.id)
    assert inbox.team_targets(session, spy) == [{"team_id": str(theirs.id), "name": "Deles",
                                                 "online": 0}]
    conversation = fresh(session, c)
    assert (conversation.status, conversation.assignee_id, conversation.team_id) == \
        ("human", teams_shop["ana"].user_id, None)
