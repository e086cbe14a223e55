"""Distribution of new qualified leads: round robin, least open leads, a team, the cap,
offline consultants skipped, concurrent workers never giving one lead to two people nor
going over the cap (PostgreSQL), and owners following conversations' assignees."""

from __future__ import annotations

import concurrent.futures

import pytest
from sqlmodel import select

from smarterchat.backend import events
from smarterchat.backend.models import Availability, Lead, LeadActivity, Membership, Team
from smarterchat.backend.services.crm import distribution, pipelines
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja Distribuição")
    return {"org": org, "admin": actor_for(session, make_user(session, org), org)}


def consultant(session, org, *, online=True, team=None):
    user = make_user(session, org, "consultant")
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    membership.availability = Availability.ONLINE if online else Availability.OFFLINE
    membership.team_id = team.id if team else None
    session.add(membership)
    session.commit()
    return user


def new_leads(session, org, count, temperature="hot"):
    made = []
    for i in range(count):
        _, contact, _, _ = make_conversation(session, org)
        contact.external_id = f"5511{len(made)}{i}{id(contact) % 10**6}"
        session.add(contact)
        session.commit()
        made.append(make_lead(session, org, contact, temperature=temperature))
    return made


def rule(session, shop, name, **more):
    pipelines.save_settings(session, shop["admin"], consultants_see_unassigned=True,
                            distribution_rule=name, **more)


def owners(session):
    session.expire_all()
    return {lead.id: lead.owner_id for lead in session.exec(select(Lead)).all()}


def test_round_robin_skips_offline_consultants_and_respects_the_cap(session, shop):
    org = shop["org"]
    ana, bia = consultant(session, org), consultant(session, org)
    away = consultant(session, org, online=False)
    rule(session, shop, "round_robin", lead_cap=2)
    leads = new_leads(session, org, 5)
    given = [distribution.assign_lead(lead.id) for lead in leads]
    assert given[:4].count(ana.id) == 2 and given[:4].count(bia.id) == 2
    assert given[0] != given[1]  # alternating, not one filled first
    assert given[4] is None and away.id not in given  # everyone at the cap: it waits
    assert owners(session)[leads[4].id] is None
    line = session.exec(select(LeadActivity).where(LeadActivity.lead_id == leads[0].id,
                                                   LeadActivity.kind == "owner")).one()
    assert line.data["rule"] == "round_robin"


def test_cold_owned_or_rule_off_leads_are_left_alone(session, shop):
    org = shop["org"]
    ana = consultant(session, org)
    cold, = new_leads(session, org, 1, temperature="cold")
    hot, = new_leads(session, org, 1)
    assert distribution.assign_lead(hot.id) is None  # the rule is off by default
    rule(session, shop, "round_robin")
    assert distribution.assign_lead(cold.id) is None
    assert distribution.assign_lead(hot.id) == ana.id
    assert distribution.assign_lead(hot.id) is None  # already owned


def test_least_open_and_team_rules(session, shop):
    org = shop["org"]
    busy, free = consultant(session, org), consultant(session, org)
    for lead in new_leads(session, org, 3):
        lead.owner_id = busy.id
        session.add(lead)
    session.commit()
    rule(session, shop, "least_open")
    fresh = new_leads(session, org, 2)
    assert [distribution.assign_lead(lead.id) for lead in fresh] == [free.id, free.id]
    team = Team(organization_id=org.id, name="Vendas")
    session.add(team)
    session.commit()
    seller = consultant(session, org, team=team)
    rule(session, shop, "team", distribution_team_id=team.id)
    assert [distribution.assign_lead(lead.id) for lead in new_leads(session, org, 2)] == [
        seller.id, seller.id]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)  # row locks are PostgreSQL's
def test_concurrent_workers_never_double_assign_nor_pass_the_cap(session, shop):
    org = shop["org"]
    people = [consultant(session, org) for _ in range(3)]
    rule(session, shop, "round_robin", lead_cap=4)
    leads = new_leads(session, org, 20)
    seen: list[events.LeadOwnerChanged] = []
    events.subscribe(events.LeadOwnerChanged, seen.append)
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            # Every lead is claimed by two workers at once.
            results = list(pool.map(distribution.assign_lead,
                                    [lead.id for lead in leads for _ in range(2)]))
    finally:
        events.unsubscribe(events.LeadOwnerChanged, seen.append)
    given = [r for r in results if r is not None]
    assert len(given) == 12 == len(seen)  # 3 people x cap 4, each lead announced once
    assert len({e.lead_id for e in seen}) == 12
    final = owners(session)
    for person in people:
        assert list(final.values()).count(person.id) == 4


def test_a_lead_owner_follows_the_conversations_assignee_when_asked(session, shop):
    org = shop["org"]
    ana = consultant(session, org)
    _, contact, conversation, _ = make_conversation(session, org)
    lead = make_lead(session, org, contact)
    assert not distribution.follow_assignee(conversation.id, ana.id)  # option off
    rule(session, shop, "off", owner_follows_assignee=True)
    assert distribution.follow_assignee(conversation.id, ana.id)
    assert owners(session)[lead.id] == ana.id
