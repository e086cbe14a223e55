"""Each move of a conversation sets its whole field set and writes its thread line: the
row is compared field by field with what the move implies (everything else untouched),
on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from smarterchat.backend.models import Conversation, Message, Team
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import transitions
from smarterchat.backend.services.transitions import Person
from tests.factories import make_conversation, make_org, make_user

NOW = object()  # "set to the moment of the move"
FIELDS = ("status", "assignee_id", "team_id", "agent_id", "waiting_since", "resolved_at",
          "handoff_reason", "ai_cursor_at", "unread_count", "labels", "last_message_at",
          "last_inbound_at", "contact_id", "channel_id", "waiting_notice_at")


@pytest.fixture
def world(session):
    org = make_org(session, "Loja Transicoes")
    channel, _contact, conversation, _message = make_conversation(session, org)
    ana, bia = make_user(session, org, "consultant"), make_user(session, org, "consultant")
    ana.name, bia.name = "Ana", "Bia"
    team = Team(organization_id=org.id, name="Vendas")
    other_team = Team(organization_id=org.id, name="Suporte")
    session.add_all([ana, bia, team, other_team])
    session.commit()
    return {"conversation": conversation, "agent_id": channel.agent_id,
            "ana": Person(ana.id, ana.name), "bia": Person(bia.id, bia.name), "team": team,
            "other_team": other_team}


def _start(session, conversation: Conversation, **state) -> dict:
    """Put the conversation in a lived-in state (every field set) and return its fields."""
    earlier = utcnow() - timedelta(hours=3)
    values = {"assignee_id": None, "team_id": None, "waiting_since": earlier,
              "resolved_at": earlier, "handoff_reason": "keyword",
              "ai_cursor_at": earlier, "unread_count": 4, "labels": ["vip"],
              "waiting_notice_at": earlier, **state}
    for name, value in values.items():
        setattr(conversation, name, value)
    session.add(conversation)
    session.commit()
    return _fields(session, conversation.id)


def _fields(session, conversation_id) -> dict:
    session.expire_all()
    row = session.get(Conversation, conversation_id)
    return {name: getattr(row, name) for name in FIELDS}


def _move(session, conversation_id, before: dict, do, **changes):
    """Run the move, commit, and check every field: changed as said, the rest as before."""
    conversation = session.get(Conversation, conversation_id)
    started = utcnow()
    change = do(conversation)
    session.commit()
    ended = utcnow()
    after = _fields(session, conversation_id)
    for name in FIELDS:
        wanted = changes.get(name, before[name])
        if wanted is NOW:
            assert after[name] is not None and started <= after[name] <= ended, name
        else:
            assert after[name] == wanted, name
    assert change.conversation_id == conversation_id
    assert (change.status, change.assignee_id, change.team_id) == \
        (after["status"], after["assignee_id"], after["team_id"])
    lines = session.exec(select(Message).where(Message.conversation_id == conversation_id,
                                               Message.author_kind == "system")
                         .order_by(col(Message.created_at))).all()
    assert len(lines) == 1, "one thread line per move"
    line = lines[0]
    assert (line.is_private, line.content_type, line.direction) == (True, "event", "outbound")
    assert line.extra["event"] == change.action
    return line


def test_take_over_gives_it_to_the_consultant(session, world):
    c, ana = world["conversation"], world["ana"]
    before = _start(session, c, status="waiting_human", team_id=world["team"].id)
    line = _move(session, c.id, before, lambda row: transitions.take_over(session, row, ana),
                 status="human", assignee_id=ana.id, waiting_since=None, resolved_at=None, waiting_notice_at=None)
    assert line.text == "Ana assumiu a conversa" and line.author_user_id == ana.id


def test_auto_assign_gives_it_to_the_free_consultant(session, world):
    c, bia = world["conversation"], world["bia"]
    before = _start(session, c, status="waiting_human")
    line = _move(session, c.id, before, lambda row: transitions.auto_assign(session, row, bia),
                 status="human", assignee_id=bia.id, waiting_since=None, resolved_at=None, waiting_notice_at=None)
    assert line.text == "Distribuída automaticamente para Bia"
    assert line.extra["to_name"] == "Bia" and line.author_user_id is None


def test_transfer_to_a_person_gives_it_to_them(session, world):
    c, ana, bia = world["conversation"], world["ana"], world["bia"]
    before = _start(session, c, status="human", assignee_id=ana.id)
    line = _move(session, c.id, before,
                 lambda row: transitions.transfer(session, row, ana, bia),
                 status="human", assignee_id=bia.id, waiting_since=None, resolved_at=None, waiting_notice_at=None)
    assert line.text == "Ana transferiu a conversa para Bia" and line.extra["to_name"] == "Bia"


def test_transfer_to_a_team_puts_it_back_in_the_queue_for_that_team(session, world):
    c, ana, team = world["conversation"], world["ana"], world["team"]
    before = _start(session, c, status="human", assignee_id=ana.id,
                    team_id=world["other_team"].id)
    line = _move(session, c.id, before,
                 lambda row: transitions.transfer_to_team(session, row, ana, team.id, team.name),
                 status="waiting_human", assignee_id=None, team_id=team.id, waiting_since=NOW,
                 resolved_at=None, waiting_notice_at=None)
    assert line.text == "Ana transferiu a conversa para a equipe Vendas"


def test_return_to_ai_clears_the_person_and_starts_from_the_next_message(session, world):
    c, ana = world["conversation"], world["ana"]
    before = _start(session, c, status="human", assignee_id=ana.id, agent_id=None,
                    team_id=world["team"].id)
    line = _move(session, c.id, before,
                 lambda row: transitions.return_to_ai(session, row, ana, world["agent_id"]),
                 status="bot", assignee_id=None, agent_id=world["agent_id"],
                 waiting_since=None, resolved_at=None, handoff_reason=None, ai_cursor_at=NOW, waiting_notice_at=None)
    assert line.text == "Ana devolveu a conversa para a IA"


def test_resolve_stamps_the_end_and_keeps_who_had_it(session, world):
    c, ana = world["conversation"], world["ana"]
    before = _start(session, c, status="human", assignee_id=ana.id, resolved_at=None)
    line = _move(session, c.id, before, lambda row: transitions.resolve(session, row, ana),
                 status="resolved", resolved_at=NOW, waiting_since=None, unread_count=0)
    assert line.text == "Ana resolveu a conversa"


def test_reopen_gives_a_resolved_conversation_to_who_reopened_it(session, world):
    c, ana, bia = world["conversation"], world["ana"], world["bia"]
    before = _start(session, c, status="resolved", assignee_id=bia.id)
    line = _move(session, c.id, before, lambda row: transitions.reopen(session, row, ana),
                 status="human", assignee_id=ana.id, waiting_since=None, resolved_at=None, waiting_notice_at=None)
    assert line.text == "Ana reabriu a conversa"


@pytest.mark.parametrize("who", ["person", "ai", "queue"])
def test_a_customer_writing_soon_after_resolve_reopens_it_for_who_had_it(session, world, who):
    c, ana = world["conversation"], world["ana"]
    assignee = ana.id if who == "person" else None
    agent_id = None if who == "queue" else world["agent_id"]
    before = _start(session, c, status="resolved", assignee_id=assignee, agent_id=agent_id)
    wanted = {"person": {"status": "human"},
              "ai": {"status": "bot", "ai_cursor_at": NOW},
              "queue": {"status": "waiting_human", "waiting_since": NOW}}[who]
    line = _move(session, c.id, before,
                 lambda row: transitions.customer_reopen(session, row),
                 resolved_at=None, waiting_notice_at=None, **wanted)
    assert line.text == "O cliente voltou a escrever e a conversa foi reaberta"
    assert line.author_user_id is None


def test_the_ai_hands_over_with_its_reason(session, world):
    c = world["conversation"]
    before = _start(session, c, status="bot", waiting_since=None, handoff_reason=None)
    line = _move(session, c.id, before,
                 lambda row: transitions.hand_to_human(session, row, "negative_sentiment"),
                 status="waiting_human", assignee_id=None, waiting_since=NOW, resolved_at=None,
                 handoff_reason="negative_sentiment", waiting_notice_at=None)
    assert line.text == "Transferido para atendimento humano: o cliente parece insatisfeito"
    assert line.extra["reason"] == "negative_sentiment" and line.author_user_id is None


def test_an_unknown_handoff_reason_is_shown_as_it_is(session, world):
    c = world["conversation"]
    _start(session, c, status="bot")
    transitions.hand_to_human(session, session.get(Conversation, c.id), "custom_rule")
    session.commit()
    line = session.exec(select(Message).where(Message.conversation_id == c.id,
                                              Message.author_kind == "system")).one()
    assert line.text == "Transferido para atendimento humano: custom_rule"


def test_every_move_is_covered_here():
    """A move added to the module without a test above fails here."""
    tested = {"take_over", "auto_assign", "transfer", "transfer_to_team", "return_to_ai",
              "resolve", "reopen", "hand_to_human", "customer_reopen"}
    moves = {name for name, value in vars(transitions).items()
             if callable(value) and not name.startswith("_") and not isinstance(value, type)
             and getattr(value, "__module__", "") == transitions.__name__
             and name != "handoff_reason_text"}
    assert moves == tested
