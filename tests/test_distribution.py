"""Automatic distribution: capacity, offline consultants skipped, oldest first, round
robin, teams, and concurrent workers never giving one conversation to two people."""

from __future__ import annotations

import concurrent.futures
from datetime import timedelta

import pytest
from sqlmodel import select

from smarterchat.backend.models import Availability, Conversation, Membership, Team
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import distribution
from tests.factories import make_conversation, make_org, make_user


def waiting(session, org, count, *, start_minutes_ago=60):
    ids = []
    for i in range(count):
        _, _, conversation, _ = make_conversation(session, org)
        conversation.status = "waiting_human"
        conversation.waiting_since = utcnow() - timedelta(minutes=start_minutes_ago - i)
        session.add(conversation)
        ids.append(conversation.id)
    session.commit()
    return ids


def consultant(session, org, *, online=True, capacity=2, team=None):
    user = make_user(session, org, "consultant")
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    membership.availability = Availability.ONLINE if online else Availability.OFFLINE
    membership.capacity = capacity
    membership.team_id = team.id if team else None
    session.add(membership)
    session.commit()
    return user


def assigned(session):
    session.expire_all()
    return {c.id: c.assignee_id for c in session.exec(select(Conversation)).all()
            if c.assignee_id}


def test_oldest_first_round_robin_within_capacity(session):
    org = make_org(session)
    ids = waiting(session, org, 5)
    ana, bia = consultant(session, org), consultant(session, org)
    done = distribution.distribute(org.id)
    assert [a.conversation_id for a in done] == ids[:4]  # oldest first; 2 x capacity 2
    owners = [a.user_id for a in done]
    assert owners.count(ana.id) == 2 and owners.count(bia.id) == 2
    assert owners[0] != owners[1]  # round robin, not one filled before the other
    session.expire_all()
    last = session.get(Conversation, ids[4])
    assert last.status == "waiting_human" and last.assignee_id is None  # queued


def test_offline_consultants_and_admins_are_skipped(session):
    org = make_org(session)
    ids = waiting(session, org, 2)
    consultant(session, org, online=False)
    make_user(session, org, "admin")
    assert distribution.distribute(org.id) == []
    online = consultant(session, org)
    done = distribution.distribute(org.id)
    assert {a.user_id for a in done} == {online.id} and len(done) == 2
    assert set(assigned(session)) == set(ids)


def test_queue_is_served_when_someone_frees_up(session):
    org = make_org(session)
    ids = waiting(session, org, 2)
    ana = consultant(session, org, capacity=1)
    distribution.distribute(org.id)
    first = session.get(Conversation, ids[0])
    first.status = "resolved"
    session.add(first)
    session.commit()
    (next_one,) = distribution.distribute(org.id)
    assert next_one.conversation_id == ids[1] and next_one.user_id == ana.id


def test_manual_mode_assigns_nothing(session):
    org = make_org(session)
    org.distribution_mode = "manual"
    session.add(org)
    session.commit()
    waiting(session, org, 1)
    consultant(session, org)
    assert distribution.distribute(org.id) == []


def team_of(session, org, name, conversation_ids=()):
    team = Team(organization_id=org.id, name=name)
    session.add(team)
    session.flush()
    for cid in conversation_ids:
        session.get(Conversation, cid).team_id = team.id
    session.commit()
    return team


def test_a_teams_conversation_goes_only_to_that_team(session):
    org = make_org(session)
    first, second = waiting(session, org, 2)
    sales = team_of(session, org, "Vendas", [first])
    support = team_of(session, org, "Suporte")
    helper = consultant(session, org, team=support)  # free, but not in the team
    seller = consultant(session, org, team=sales)
    done = {a.conversation_id: a.user_id for a in distribution.distribute(org.id)}
    # The general one goes round robin: to the helper, who has had nothing yet.
    assert done == {first: seller.id, second: helper.id}


def test_a_team_with_nobody_free_waits_without_holding_up_the_queue(session):
    org = make_org(session)
    oldest, newer = waiting(session, org, 2)
    sales = team_of(session, org, "Vendas", [oldest])
    consultant(session, org, team=sales, online=False)
    busy = consultant(session, org, team=sales, capacity=0)  # online, no room
    anyone = consultant(session, org)
    (done,) = distribution.distribute(org.id)
    assert (done.conversation_id, done.user_id) == (newer, anyone.id)
    session.expire_all()
    still = session.get(Conversation, oldest)
    assert still.status == "waiting_human" and still.assignee_id is None
    # Someone of the team frees up: the team's conversation is served.
    membership = session.exec(select(Membership).where(Membership.user_id == busy.id)).one()
    membership.capacity = 1
    session.add(membership)
    session.commit()
    (later,) = distribution.distribute(org.id)
    assert (later.conversation_id, later.user_id) == (oldest, busy.id)


# Row locks (FOR UPDATE SKIP LOCKED) are PostgreSQL's; the embedded SQLite runs one process.
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_concurrent_workers_never_double_assign(session, database):
    org = make_org(session)
    ids = waiting(session, org, 40)
    people = [consultant(session, org, capacity=5) for _ in range(6)]  # 30 slots for 40
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: distribution.distribute(org.id), range(8)))
    claims = [a for batch in results for a in batch]
    assert len(claims) == 30
    assert len({a.conversation_id for a in claims}) == 30  # no conversation twice
    owners = assigned(session)
    assert len(owners) == 30 and set(owners) <= set(ids)
    for person in people:
        assert list(owners.values()).count(person.id) == 5  # nobody over capacity


def test_presence_expires_without_heartbeat(session):
    org = make_org(session)
    user = consultant(session, org)
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    membership.last_seen_at = utcnow() - timedelta(minutes=5)
    session.add(membership)
    session.commit()
    assert distribution.expire_presence() == [org.id]
    session.expire_all()
    assert session.get(Membership, membership.id).availability == "offline"
