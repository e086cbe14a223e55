"""Tenancy is security: organisation A never reaches organisation B's records,
and roles are enforced in the service layer whatever the UI shows."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from smarterchat.backend.api.app import create_api
from smarterchat.backend.models import (
    AIUsage,
    ApiKey,
    AuditLog,
    InboundEvent,
    KnowledgeItem,
    Membership,
    Team,
    Webhook,
    WebhookDelivery,
)
from smarterchat.backend.security.tokens import create_access_token
from smarterchat.backend.services import accounts, organizations, records, users
from smarterchat.backend.services.errors import NotFound, PermissionDenied
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user


def _org_with_one_of_everything(session, name):
    org = make_org(session, name)
    admin = make_user(session, org)
    channel, contact, conversation, message = make_conversation(session, org)
    team = Team(organization_id=org.id, name="Vendas")
    webhook = Webhook(organization_id=org.id, url="https://example.com/hook", secret="s3cret")
    session.add_all([team, webhook])
    session.flush()
    rows = {
        "contacts": contact, "conversations": conversation, "messages": message,
        "channels": channel, "agents": None, "teams": team, "webhooks": webhook,
        "leads": make_lead(session, org, contact),
        "webhook_deliveries": WebhookDelivery(organization_id=org.id, webhook_id=webhook.id,
                                              event="message.created"),
        "api_keys": ApiKey(organization_id=org.id, name="k", prefix=name[:4] + "abcd",
                           key_hash="0" * 64),
        "audit_log": AuditLog(organization_id=org.id, action="test"),
        "ai_usage": AIUsage(organization_id=org.id, provider="offline", model="m",
                            purpose="reply"),
        "inbound_events": InboundEvent(organization_id=org.id, channel_id=channel.id, body="{}"),
        "knowledge_items": KnowledgeItem(organization_id=org.id, agent_id=channel.agent_id,
                                         title="FAQ"),
    }
    for row in rows.values():
        if row is not None:
            session.add(row)
    session.commit()
    rows["agents"] = session.get(type(channel), channel.id).agent_id
    rows["members"] = session.exec(select(Membership).where(Membership.user_id == admin.id)).one()
    ids = {kind: (row if not hasattr(row, "id") else row.id) for kind, row in rows.items()}
    return org, admin, ids


@pytest.fixture
def two_orgs(session):
    a = _org_with_one_of_everything(session, "Alpha")
    b = _org_with_one_of_everything(session, "Beta")
    return a, b


def test_every_kind_of_record_is_covered():
    assert set(records.KINDS) == {
        "contacts", "conversations", "messages", "channels", "agents", "leads", "teams",
        "members", "webhooks", "webhook_deliveries", "api_keys", "audit_log", "ai_usage",
        "inbound_events", "knowledge_items"}


def test_service_refuses_every_kind_of_foreign_record(session, two_orgs):
    (org_a, admin_a, ids_a), (_, _, ids_b) = two_orgs
    actor = actor_for(session, admin_a, org_a)
    for kind in records.KINDS:
        assert records.get(session, actor, kind, ids_a[kind])["id"] == ids_a[kind]
        with pytest.raises(NotFound):
            records.get(session, actor, kind, ids_b[kind])
        items, total = records.list_page(session, actor, kind)
        assert all(item["organization_id"] == org_a.id for item in items), kind
        assert ids_b[kind] not in {item["id"] for item in items}, kind


def test_api_refuses_every_kind_of_foreign_record_with_a_clear_message(session, two_orgs):
    (org_a, admin_a, ids_a), (_, _, ids_b) = two_orgs
    headers = {"Authorization": f"Bearer {create_access_token(admin_a.id, org_a.id)}"}
    with TestClient(create_api()) as api:
        for kind in records.KINDS:
            own = api.get(f"/api/v1/{kind}/{ids_a[kind]}", headers=headers)
            assert own.status_code == 200, (kind, own.text)
            foreign = api.get(f"/api/v1/{kind}/{ids_b[kind]}", headers=headers)
            assert foreign.status_code == 404, kind
            assert foreign.json()["error"]["code"] == "not_found"
            assert foreign.json()["error"]["message"]
            listed = api.get(f"/api/v1/{kind}", headers=headers).json()
            assert str(ids_b[kind]) not in {item["id"] for item in listed["data"]}, kind


def test_lists_filter_by_visible_fields_and_never_across_tenants(session, two_orgs):
    from smarterchat.backend.services.errors import InvalidInput

    (org_a, admin_a, ids_a), (_, admin_b, ids_b) = two_orgs
    actor = actor_for(session, admin_a, org_a)
    failed = InboundEvent(organization_id=org_a.id, channel_id=ids_a["channels"], body="{}",
                          status="failed", error="boom")
    session.add(failed)
    session.commit()
    items, total = records.list_page(session, actor, "inbound_events",
                                     filters={"status": "failed"})
    assert [i["id"] for i in items] == [failed.id] and total == 1
    assert records.list_page(session, actor, "channels",
                             filters={"is_active": "true"})[1] == 1
    assert records.list_page(session, actor, "channels", filters={"is_active": "false"})[1] == 0
    # Another organisation's id as a filter finds nothing, rather than its records.
    assert records.list_page(session, actor, "conversations",
                             filters={"channel_id": str(ids_b["channels"])}) == ([], 0)
    for bad, code in [({"organization_id": str(ids_b["channels"])}, "invalid_filter"),
                      ({"access_token": "x"}, "invalid_filter"),  # not a visible field
                      ({"labels": "vip"}, "invalid_filter"),  # a list, not a value
                      ({"channel_id": "not-an-id"}, "invalid_filter_value"),
                      ({"is_active": "maybe"}, "invalid_filter_value"),
                      ({"unread_count": "many"}, "invalid_filter_value")]:
        kind = "channels" if "access_token" in bad or "is_active" in bad else "conversations"
        with pytest.raises(InvalidInput) as refused:
            records.list_page(session, actor, kind, filters=bad)
        assert refused.value.code == code, bad

    headers = {"Authorization": f"Bearer {create_access_token(admin_a.id, org_a.id)}"}
    with TestClient(create_api()) as api:
        listed = api.get("/api/v1/inbound_events?status=failed", headers=headers).json()
        assert [i["id"] for i in listed["data"]] == [str(failed.id)] and listed["count"] == 1
        refused = api.get("/api/v1/channels?access_token=x", headers=headers)
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "invalid_filter"
        assert "access_token" in refused.json()["error"]["message"]


def test_public_records_never_carry_secrets(session, two_orgs):
    (org_a, admin_a, ids_a), _ = two_orgs
    actor = actor_for(session, admin_a, org_a)
    channel = records.get(session, actor, "channels", ids_a["channels"])
    webhook = records.get(session, actor, "webhooks", ids_a["webhooks"])
    api_key = records.get(session, actor, "api_keys", ids_a["api_keys"])
    assert not {"access_token", "app_secret", "verify_token"} & channel.keys()
    assert "secret" not in webhook and "key_hash" not in api_key


def test_a_token_for_a_foreign_organisation_is_refused(session, two_orgs):
    (org_a, admin_a, _), (org_b, _, _) = two_orgs
    # A correctly signed token naming an organisation the user is not a member of.
    headers = {"Authorization": f"Bearer {create_access_token(admin_a.id, org_b.id)}"}
    with TestClient(create_api()) as api:
        r = api.get("/api/v1/contacts", headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "account_inactive"


def test_admin_cannot_change_members_of_another_organisation(session, two_orgs):
    (org_a, admin_a, _), (org_b, admin_b, ids_b) = two_orgs
    actor = actor_for(session, admin_a, org_a)
    foreign_membership = ids_b["members"]
    with pytest.raises(NotFound):
        users.change_role(session, actor, foreign_membership, "consultant")
    with pytest.raises(NotFound):
        users.set_active(session, actor, foreign_membership, False)
    with pytest.raises(NotFound):
        users.end_sessions(session, actor, foreign_membership)
    session.expire_all()
    row = session.get(Membership, foreign_membership)
    assert row.role == "admin" and row.is_active and row.token_version == 0


@pytest.mark.parametrize("role", ["consultant", "manager"])
def test_non_admins_are_refused_admin_actions(session, role):
    org = make_org(session)
    admin = make_user(session, org)
    user = make_user(session, org, role)
    actor = actor_for(session, user, org)
    admin_membership = session.exec(select(Membership).where(Membership.user_id == admin.id)).one()
    with pytest.raises(PermissionDenied):
        accounts.invite(session, actor, name="New Person", email="n@example.com", role="admin")
    with pytest.raises(PermissionDenied):
        users.end_sessions(session, actor, admin_membership.id)
    with pytest.raises(PermissionDenied):
        users.change_role(session, actor, admin_membership.id, "consultant")
    with pytest.raises(PermissionDenied):
        users.set_active(session, actor, admin_membership.id, False)
    with pytest.raises(PermissionDenied):
        records.list_page(session, actor, "api_keys")
    with pytest.raises(PermissionDenied):
        organizations.list_organizations(session, actor)
    session.expire_all()
    assert session.get(Membership, admin_membership.id).is_active
    assert len(session.exec(select(Membership)).all()) == 2


def test_consultant_cannot_see_user_management(session):
    org = make_org(session)
    consultant = make_user(session, org, "consultant")
    with pytest.raises(PermissionDenied):
        users.list_members(session, actor_for(session, consultant, org))
    headers = {"Authorization": f"Bearer {create_access_token(consultant.id, org.id)}"}
    with TestClient(create_api()) as api:
        r = api.get("/api/v1/members", headers=headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = api.post("/api/v1/members", headers=headers,
                     json={"name": "Eve Doe", "email": "eve@example.com", "role": "admin"})
        assert r.status_code == 403
    assert len(session.exec(select(Membership)).all()) == 1


def test_last_admin_cannot_be_demoted_or_deactivated(session):
    org = make_org(session)
    admin = make_user(session, org)
    actor = actor_for(session, admin, org)
    own = session.exec(select(Membership).where(Membership.user_id == admin.id)).one()
    from smarterchat.backend.services.errors import Conflict

    with pytest.raises(Conflict):
        users.change_role(session, actor, own.id, "manager")
    with pytest.raises(Conflict):
        users.set_active(session, actor, own.id, False)


def test_admin_manages_members_and_actions_are_audited(session):
    org = make_org(session)
    admin = make_user(session, org)
    actor = actor_for(session, admin, org)
    invitation = accounts.invite(session, actor, name="Carla Souza", email="carla@example.com",
                                 role="consultant")
    assert invitation.email == "carla@example.com"
    carla = make_user(session, org, "consultant")
    membership = session.exec(select(Membership).where(Membership.user_id == carla.id)).one()
    users.change_role(session, actor, membership.id, "manager")
    users.end_sessions(session, actor, membership.id)
    users.set_active(session, actor, membership.id, False)
    actions = [a.action for a in session.exec(
        select(AuditLog).where(AuditLog.organization_id == org.id).order_by(AuditLog.created_at))]
    assert actions == ["member.invited", "member.role_changed", "member.sessions_ended",
                       "member.deactivated"]


def test_only_super_admins_list_organisations(session, two_orgs):
    (org_a, admin_a, _), _ = two_orgs
    root = make_user(session, None, superadmin=True)
    page = organizations.list_organizations(session, actor_for(session, root, None))
    assert page.total == 2 and {o.name for o in page.items} == {"Alpha", "Beta"}
    with pytest.raises(PermissionDenied):
        organizations.list_organizations(session, actor_for(session, admin_a, org_a))
