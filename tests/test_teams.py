"""Teams in the service layer: admins create, rename and delete them and place members;
managers read; another organisation's teams and members do not exist; the audit trail."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from smarterchat.backend.models import AuditLog, Conversation, Membership, Team
from smarterchat.backend.services import teams, users
from smarterchat.backend.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from tests.factories import actor_for, make_conversation, make_org, make_user


def membership_of(session, user) -> Membership:
    return session.exec(select(Membership).where(Membership.user_id == user.id)).one()


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja Equipes")
    admin = make_user(session, org, "admin")
    manager = make_user(session, org, "manager")
    consultant = make_user(session, org, "consultant")
    return {"org": org, "admin": actor_for(session, admin, org),
            "manager": actor_for(session, manager, org),
            "consultant": actor_for(session, consultant, org),
            "carla": membership_of(session, consultant)}


def test_admin_creates_renames_lists_and_deletes_teams_with_an_audit_trail(session, shop):
    admin = shop["admin"]
    sales = teams.create_team(session, admin, "  Vendas  ")
    teams.create_team(session, admin, "Suporte")
    assert sales.name == "Vendas"
    users.set_team(session, admin, shop["carla"].id, sales.id)
    listed = teams.list_teams(session, admin)
    assert [(x.name, x.members) for x in listed] == [("Suporte", 0), ("Vendas", 1)]
    carla = next(m for m in users.list_members(session, admin)
                 if m.membership_id == str(shop["carla"].id))
    assert (carla.team_id, carla.team_name) == (sales.id, "Vendas")

    teams.rename_team(session, admin, sales.id, "Vendas B2B")
    assert {x.name for x in teams.list_teams(session, admin)} == {"Suporte", "Vendas B2B"}
    teams.delete_team(session, admin, sales.id)
    assert [x.name for x in teams.list_teams(session, admin)] == ["Suporte"]
    session.expire_all()
    assert session.get(Membership, shop["carla"].id).team_id is None  # the person stays
    actions = [a.action for a in session.exec(
        select(AuditLog).where(AuditLog.organization_id == shop["org"].id)
        .order_by(AuditLog.created_at))]
    assert actions == ["team.created", "team.created", "member.team_changed", "team.renamed",
                       "team.deleted"]


def test_duplicate_and_empty_names_are_refused_clearly(session, shop):
    admin = shop["admin"]
    support = teams.create_team(session, admin, "Suporte")
    sales = teams.create_team(session, admin, "Vendas")
    with pytest.raises(Conflict) as refused:
        teams.create_team(session, admin, "suporte")  # the same name to anyone reading it
    assert refused.value.code == "team_exists" and refused.value.params["name"] == "suporte"
    with pytest.raises(Conflict):
        teams.rename_team(session, admin, sales.id, "SUPORTE")
    for name in ("", "   ", "x" * 81):
        with pytest.raises(InvalidInput) as bad:
            teams.create_team(session, admin, name)
        assert bad.value.code == "invalid_team_name"
    teams.rename_team(session, admin, support.id, "Suporte")  # unchanged is fine
    assert sorted(x.name for x in teams.list_teams(session, admin)) == ["Suporte", "Vendas"]


def test_the_same_name_may_exist_in_another_organisation(session, shop):
    other = make_org(session, "Outra Loja")
    boss = actor_for(session, make_user(session, other, "admin"), other)
    teams.create_team(session, shop["admin"], "Vendas")
    teams.create_team(session, boss, "Vendas")
    assert [x.name for x in teams.list_teams(session, boss)] == ["Vendas"]


def test_managers_read_teams_and_change_nothing(session, shop):
    sales = teams.create_team(session, shop["admin"], "Vendas")
    assert [x.name for x in teams.list_teams(session, shop["manager"])] == ["Vendas"]
    for role in ("manager", "consultant"):
        for fn, *args in ((teams.create_team, "Nova"), (teams.rename_team, sales.id, "Outra"),
                          (teams.delete_team, sales.id),
                          (users.set_team, shop["carla"].id, sales.id)):
            with pytest.raises(PermissionDenied):
                fn(session, shop[role], *args)
    with pytest.raises(PermissionDenied):
        teams.list_teams(session, shop["consultant"])
    assert [x.name for x in teams.list_teams(session, shop["admin"])] == ["Vendas"]
    session.expire_all()
    assert session.get(Membership, shop["carla"].id).team_id is None


def test_another_organisations_teams_and_members_do_not_exist(session, shop):
    other = make_org(session, "Concorrente")
    spy = actor_for(session, make_user(session, other, "admin"), other)
    theirs = teams.create_team(session, spy, "Deles")
    ours = teams.create_team(session, shop["admin"], "Vendas")
    for call in (lambda: teams.rename_team(session, spy, ours.id, "Roubada"),
                 lambda: teams.delete_team(session, spy, ours.id),
                 lambda: users.set_team(session, spy, shop["carla"].id, theirs.id),
                 lambda: teams.rename_team(session, spy, "not-an-id", "x")):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(InvalidInput) as refused:  # our member, their team
        users.set_team(session, shop["admin"], shop["carla"].id, theirs.id)
    assert refused.value.code == "invalid_team"
    assert [x.name for x in teams.list_teams(session, spy)] == ["Deles"]
    session.expire_all()
    assert session.get(Team, uuid.UUID(ours.id)).name == "Vendas"
    assert session.get(Membership, shop["carla"].id).team_id is None


def test_deleting_a_team_sends_its_waiting_conversations_to_the_general_queue(session, shop):
    sales = teams.create_team(session, shop["admin"], "Vendas")
    _, _, conversation, _ = make_conversation(session, shop["org"])
    conversation.status, conversation.team_id = "waiting_human", uuid.UUID(sales.id)
    session.add(conversation)
    session.commit()
    teams.delete_team(session, shop["admin"], sales.id)
    session.expire_all()
    assert session.get(Conversation, conversation.id).team_id is None


def test_a_member_leaves_a_team(session, shop):
    sales = teams.create_team(session, shop["admin"], "Vendas")
    users.set_team(session, shop["admin"], shop["carla"].id, sales.id)
    member = users.set_team(session, shop["admin"], shop["carla"].id, "")
    assert member.team_id is None and member.team_name == ""
    assert teams.list_teams(session, shop["admin"])[0].members == 0
