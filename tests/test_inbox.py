"""Inbox actions in the service layer: what each role may do, tenant scoping, the audit
trail, the events that reach other browsers, and the list's tabs, search and paging."""

from __future__ import annotations

import uuid

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

    def listener(**payload):
        seen.append(payload)

    events.subscribe(events.CONVERSATION_CHANGED, listener)
    events.subscribe(events.OUTBOUND_QUEUED, listener)
    yield seen
    events.unsubscribe(events.CONVERSATION_CHANGED, listener)
    events.unsubscribe(events.OUTBOUND_QUEUED, listener)


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
