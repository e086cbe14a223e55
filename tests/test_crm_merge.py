"""Duplicates are suggested on a shared phone, e-mail or WhatsApp id; a merge keeps both
histories, fills the kept lead's blanks, is audited, and is undone exactly."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from smarterchat.backend.models import AuditLog, Contact, Lead, LeadActivity
from smarterchat.backend.services.crm import actions, board, lead_page, merge
from smarterchat.backend.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user


def lead_with(session, org, *, name, phone=None, email=None, external=None, **values):
    _, contact, _, _ = make_conversation(session, org)
    contact.name, contact.phone, contact.email = name, phone, email
    contact.external_id = external or uuid.uuid4().hex[:12]
    session.add(contact)
    session.commit()
    return make_lead(session, org, contact, **values)


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja Duplicados")
    manager = actor_for(session, make_user(session, org, "manager"), org)
    first = lead_with(session, org, name="Paula", phone="+55 11 98888-1111",
                      fields={"name": "Paula"}, temperature="warm")
    second = lead_with(session, org, name="Paula S.", phone="11988881111",
                       email="paula@ex.com", value_cents=5000,
                       fields={"email": "paula@ex.com", "company": "Paula Doces"})
    third = lead_with(session, org, name="Outra", email="PAULA@ex.com")
    lead_with(session, org, name="Ninguém", phone="+5521977770000")
    return {"org": org, "manager": manager, "first": first, "second": second, "third": third}


def test_leads_sharing_a_phone_or_email_are_suggested(session, shop):
    found = merge.suggestions(session, shop["manager"])
    pairs = {(s.kept_id, s.other_id, s.reason) for s in found}
    assert (str(shop["first"].id), str(shop["second"].id), "phone") in pairs
    assert (str(shop["second"].id), str(shop["third"].id), "email") in pairs
    assert len(found) == 2


def test_a_merge_keeps_both_histories_and_undo_restores_the_kept_lead(session, shop):
    manager, first, second = shop["manager"], shop["first"], shop["second"]
    actions.add_note(session, manager, second.id, "nota do segundo")
    merge_id = merge.merge(session, manager, first.id, second.id)
    session.expire_all()
    kept = session.get(Lead, first.id)
    assert kept.fields == {"name": "Paula", "email": "paula@ex.com", "company": "Paula Doces"}
    assert kept.value_cents == 5000
    assert session.get(Lead, second.id).merged_into_id == first.id
    names = [c.id for column in board.board(session, manager, board.BoardFilters()).columns
             for c in column.cards]
    assert str(second.id) not in names and str(first.id) in names
    page = lead_page.lead_detail(session, manager, first.id)
    assert any(line.kind == "note" and line.text == "nota do segundo" for line in page.timeline)
    assert sum(line.kind == "conversation" for line in page.timeline) == 2
    with pytest.raises(NotFound):  # the merged lead is no longer a lead of its own
        actions.move(session, manager, second.id, kept.stage_id)

    merge.undo(session, manager, merge_id)
    with pytest.raises(Conflict):
        merge.undo(session, manager, merge_id)
    session.expire_all()
    kept = session.get(Lead, first.id)
    assert kept.fields == {"name": "Paula"} and kept.value_cents is None
    assert session.get(Lead, second.id).merged_into_id is None
    actions.move(session, manager, second.id, kept.stage_id)  # its own again
    audits = session.exec(select(AuditLog.action).where(AuditLog.target_id == str(first.id))
                          ).all()
    assert "lead.merged" in audits and "lead.merge_undone" in audits
    assert session.exec(select(LeadActivity).where(LeadActivity.kind == "merge_undone")).one()


def test_merges_are_for_managers_of_the_organisation(session, shop):
    consultant = actor_for(session, make_user(session, shop["org"], "consultant"), shop["org"])
    with pytest.raises(PermissionDenied):
        merge.merge(session, consultant, shop["first"].id, shop["second"].id)
    with pytest.raises(InvalidInput):
        merge.merge(session, shop["manager"], shop["first"].id, shop["first"].id)
    other = make_org(session, "Outra")
    intruder = actor_for(session, make_user(session, other, "manager"), other)
    foreign = lead_with(session, other, name="Paula", phone="11988881111")
    for attempt in (lambda: merge.merge(session, intruder, shop["first"].id, foreign.id),
                    lambda: merge.merge(session, shop["manager"], shop["first"].id, foreign.id)):
        with pytest.raises(NotFound):
            attempt()
    assert merge.suggestions(session, intruder) == []
    assert session.get(Contact, foreign.contact_id) is not None
    session.expire_all()
    assert session.get(Lead, foreign.id).merged_into_id is None
