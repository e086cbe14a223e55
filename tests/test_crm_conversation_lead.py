"""The lead beside a conversation: the inbox panel reads and changes it (and the board's
events follow), and leads are created by hand from a conversation or from the board."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.models import Contact, Lead, PipelineStage
from smarterchat.backend.services.crm import actions, conversation_lead
from smarterchat.backend.services.errors import Conflict, InvalidInput, NotFound
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja Inbox")
    consultant = make_user(session, org, "consultant")
    channel, contact, conversation, _ = make_conversation(session, org)
    return {"org": org, "actor": actor_for(session, consultant, org), "channel": channel,
            "contact": contact, "conversation": conversation, "user": consultant}


def test_a_lead_created_from_a_conversation_is_the_consultants_and_changes_there(session, shop):
    actor, conversation = shop["actor"], shop["conversation"]
    assert conversation_lead.brief(session, actor, conversation.id).lead_id == ""
    seen: list[events.LeadEvent] = []
    for kind in events.LEAD_EVENTS:
        events.subscribe(kind, seen.append)
    try:
        lead_id = conversation_lead.create_for_conversation(session, actor, conversation.id)
        with pytest.raises(Conflict):
            conversation_lead.create_for_conversation(session, actor, conversation.id)
        found = conversation_lead.brief(session, actor, conversation.id)
        assert found.lead_id == lead_id and found.owner_id == str(shop["user"].id)
        assert [name for _, name, _ in found.stages][:2] == ["Novo", "Qualificado"]
        actions.move(session, actor, lead_id, found.stages[2][0], to_top=True)
    finally:
        for kind in events.LEAD_EVENTS:
            events.unsubscribe(kind, seen.append)
    assert [type(e).__name__ for e in seen] == ["LeadCreated", "LeadStageChanged"]
    assert seen[0].source == "manual" and seen[1].stage_name == "Proposta"
    session.expire_all()
    lead = session.exec(select(Lead)).one()
    assert session.get(PipelineStage, lead.stage_id).name == "Proposta"


def test_a_lead_typed_on_the_board_is_checked_before_anything_is_written(session, shop):
    actor, channel = shop["actor"], shop["channel"]
    for bad, code in (({"name": "", "phone": "11988887777"}, "invalid_name"),
                      ({"name": "Rui", "phone": "123"}, "invalid_phone"),
                      ({"name": "Rui", "phone": "11988887777", "email": "rui@"},
                       "invalid_email")):
        with pytest.raises(InvalidInput) as refused:
            conversation_lead.create_by_hand(session, actor, channel_id=channel.id, **bad)
        assert refused.value.code == code
    assert session.exec(select(Lead)).all() == []
    lead_id = conversation_lead.create_by_hand(
        session, actor, channel_id=channel.id, name="Rui Costa", phone="(11) 98888-7777",
        company="Costa & Filhos", value_cents=50000)
    lead = session.get(Lead, uuid.UUID(lead_id))
    contact = session.get(Contact, lead.contact_id)
    assert contact.external_id == "11988887777" and contact.phone == "+11988887777"
    assert lead.fields["company"] == "Costa & Filhos" and lead.value_cents == 50000


def test_another_organisation_cannot_read_or_create_beside_a_conversation(session, shop):
    make_lead(session, shop["org"], shop["contact"])
    other = make_org(session, "Outra")
    intruder = actor_for(session, make_user(session, other), other)
    for attempt in (lambda: conversation_lead.brief(session, intruder, shop["conversation"].id),
                    lambda: conversation_lead.create_for_conversation(
                        session, intruder, shop["conversation"].id),
                    lambda: conversation_lead.create_by_hand(
                        session, intruder, channel_id=shop["channel"].id, name="X",
                        phone="11988887777")):
        with pytest.raises(NotFound):
            attempt()
    assert len(session.exec(select(Lead)).all()) == 1


def test_the_inbox_list_shows_the_stage_and_filters_by_it(session, shop):
    from smarterchat.backend.services import inbox

    org = shop["org"]
    make_lead(session, org, shop["contact"], stage=2)
    _, _, without_lead, _ = make_conversation(session, org)
    manager = actor_for(session, make_user(session, org, "manager"), org)
    rows = {r.id: r.lead_stage for r in inbox.list_conversations(session, manager).items}
    assert rows == {str(shop["conversation"].id): "Proposta", str(without_lead.id): ""}
    proposal = session.exec(select(Lead)).one().stage_id
    page = inbox.list_conversations(session, manager, stage_id=str(proposal))
    assert [r.id for r in page.items] == [str(shop["conversation"].id)] and page.total == 1
    other = make_org(session, "Outra")
    intruder = actor_for(session, make_user(session, other), other)
    assert inbox.list_conversations(session, intruder, stage_id=str(proposal)).items == []
