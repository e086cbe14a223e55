"""A lead's page: fields with the message each came from, the timeline quoting the
customer, notes, follow-up tasks due on the consultant's home page and announced once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.ai.types import LeadSignals, Temperature
from smarterchat.backend.models import LeadTask
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import leads
from smarterchat.backend.services.crm import actions, lead_page, tasks
from smarterchat.backend.services.errors import InvalidInput, NotFound
from tests.factories import actor_for, make_conversation, make_org, make_user


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja Página")
    consultant = make_user(session, org, "consultant")
    _, contact, conversation, message = make_conversation(session, org)
    message.text = "Sou a Carla, carla@loja.com, quero 2 sofás"
    session.add(message)
    session.commit()
    leads.upsert_from_signals(session, org.id, contact.id, LeadSignals(
        temperature=Temperature.HOT, reason="quer comprar", name="Carla",
        email="carla@loja.com"), message_id=message.id, quote=message.text)
    session.commit()
    lead = session.exec(select(leads.Lead)).one()
    return {"org": org, "actor": actor_for(session, consultant, org), "lead": lead,
            "message": message, "consultant": consultant}


def test_the_page_shows_where_each_field_came_from_and_the_quoted_timeline(session, shop):
    actor, lead = shop["actor"], shop["lead"]
    actions.add_note(session, actor, lead.id, "Cliente prefere WhatsApp à tarde")
    actions.update(session, actor, lead.id, fields={"company": "Casa Carla"})
    detail = lead_page.lead_detail(session, actor, lead.id)
    fields = {f.name: f for f in detail.fields}
    assert fields["email"].value == "carla@loja.com"
    assert fields["email"].source_text == shop["message"].text
    assert fields["company"].value == "Casa Carla" and fields["company"].source_text == ""
    kinds = [line.kind for line in detail.timeline]
    assert {"created", "temperature", "note", "field", "conversation"} <= set(kinds)
    temperature = next(line for line in detail.timeline if line.kind == "temperature")
    assert temperature.text == shop["message"].text and temperature.data["after"] == "hot"
    note = next(line for line in detail.timeline if line.kind == "note")
    assert note.text == "Cliente prefere WhatsApp à tarde" and note.who == "consultant user"
    assert [name for _, name, _ in detail.stages][0] == "Novo"


def test_tasks_are_due_on_the_home_page_and_announced_once(session, shop):
    actor, lead = shop["actor"], shop["lead"]
    with pytest.raises(InvalidInput):
        tasks.add_task(session, actor, lead.id, "  ", utcnow() + timedelta(hours=1))
    with pytest.raises(InvalidInput):
        tasks.add_task(session, actor, lead.id, "Ligar", utcnow() + timedelta(days=3000))
    overdue = tasks.add_task(session, actor, lead.id, "Enviar proposta",
                             utcnow() - timedelta(hours=2))
    tasks.add_task(session, actor, lead.id, "Ligar amanhã", utcnow() + timedelta(hours=20))
    tasks.add_task(session, actor, lead.id, "Daqui a um mês", utcnow() + timedelta(days=30))
    due = tasks.my_due_tasks(session, actor)
    assert [(d.title, d.overdue) for d in due] == [("Enviar proposta", True),
                                                   ("Ligar amanhã", False)]
    assert due[0].lead_name == "Carla"
    announced: list[events.TaskDue] = []
    events.subscribe(events.TaskDue, announced.append)
    try:
        assert tasks.announce_due() == 1
        assert tasks.announce_due() == 0  # once
    finally:
        events.unsubscribe(events.TaskDue, announced.append)
    assert [(a.title, a.assignee_id) for a in announced] == [("Enviar proposta",
                                                              shop["consultant"].id)]
    tasks.complete_task(session, actor, overdue)
    assert [d.title for d in tasks.my_due_tasks(session, actor)] == ["Ligar amanhã"]


def test_another_organisations_lead_page_and_tasks_are_not_found(session, shop):
    other = make_org(session, "Outra Loja")
    intruder = actor_for(session, make_user(session, other), other)
    task_id = tasks.add_task(session, shop["actor"], shop["lead"].id, "Ligar",
                             utcnow() + timedelta(hours=1))
    for attempt in (lambda: lead_page.lead_detail(session, intruder, shop["lead"].id),
                    lambda: tasks.add_task(session, intruder, shop["lead"].id, "x",
                                           utcnow() + timedelta(hours=1)),
                    lambda: tasks.complete_task(session, intruder, task_id)):
        with pytest.raises(NotFound):
            attempt()
    assert session.get(LeadTask, uuid.UUID(task_id)).done_at is None
    assert tasks.my_due_tasks(session, intruder) == []
