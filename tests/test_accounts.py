"""Proving an address by e-mail: sign-up, invitations, "forgot my password". Every e-mail
goes through a local SMTP server the tests start; the links in it are what a person opens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from smarterchat.backend.api.app import create_api
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import AccountLink, Membership, Organization, Role, User
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import ratelimit
from tests.factories import PASSWORD, make_org, make_user

GOOD = "uma senha boa 1"
SIGNUP = {"organization_name": "Padaria Pão Quente", "name": "Paula",
          "email": "Paula@Example.com", "password": GOOD}


@pytest.fixture
def api(database, smtp):
    ratelimit._backend.cache_clear()
    with TestClient(create_api()) as client:
        yield client


def _token(message) -> str:
    found = re.search(r"token=([A-Za-z0-9_\-]+)", message.get_body(("plain",)).get_content())
    assert found, "the e-mail carries no link"
    return found.group(1)


def _bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _login(api, email, password=PASSWORD) -> dict:
    r = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["tokens"]


# ---------------------------------------------------------------- sign-up

def test_signup_creates_nothing_until_the_emailed_link_is_opened_once(api, session, smtp):
    r = api.post("/api/v1/auth/signup", json=SIGNUP, headers={"Accept-Language": "pt-BR"})
    assert r.status_code == 202 and r.json() == {"email": "paula@example.com",
                                                 "verification_sent": True}
    assert _count(session, User) == 0 and _count(session, Organization) == 0
    [message] = smtp.wait_for(1)
    assert message["To"] == "paula@example.com"
    assert message["Subject"] == "Confirme seu e-mail no SmarterChat"
    token = _token(message)
    confirmed = api.post("/api/v1/auth/signup/confirm", json={"token": token})
    assert confirmed.status_code == 201, confirmed.text
    body = confirmed.json()
    assert body["user"]["role"] == "admin" and body["user"]["email"] == "paula@example.com"
    me = api.get("/api/v1/auth/me", headers=_bearer(body))
    assert me.json()["organization_name"] == "Padaria Pão Quente"
    again = api.post("/api/v1/auth/signup/confirm", json={"token": token})
    assert again.status_code == 422 and again.json()["error"]["code"] == "link_invalid"
    assert _count(session, Organization) == 1
    assert _login(api, "paula@example.com", GOOD)["user"]["role"] == "admin"


def test_signup_with_a_registered_address_answers_the_same_and_tells_its_owner(api, session, smtp):
    owner = make_user(session, make_org(session, "Dona"), email="paula@example.com")
    r = api.post("/api/v1/auth/signup", json=SIGNUP)
    assert r.status_code == 202 and r.json() == {"email": "paula@example.com",
                                                 "verification_sent": True}
    [message] = smtp.wait_for(1)
    assert message["To"] == owner.email
    assert "already has a SmarterChat account" in message.get_body(("plain",)).get_content() \
        or "já tem uma conta" in message.get_body(("plain",)).get_content()
    assert "/forgot?" in message.get_body(("plain",)).get_content()
    assert _count(session, Organization) == 1 and _count(session, AccountLink) == 0


def test_a_squatter_never_gets_the_colleagues_organisation(api, session, smtp):
    """The attack of the issue: sign up with a future colleague's address, never confirm."""
    api.post("/api/v1/auth/signup", json={**SIGNUP, "email": "carla@loja.com.br"})
    org = make_org(session, "Loja")
    admin = make_user(session, org, Role.ADMIN)
    admin_tokens = _login(api, admin.email)
    r = api.post("/api/v1/members", headers=_bearer(admin_tokens),
                 json={"name": "Carla", "email": "carla@loja.com.br", "role": "manager"})
    assert r.status_code == 202
    # The squatter's password opens nothing: there is no account until a link is opened.
    refused = api.post("/api/v1/auth/login", json={"email": "carla@loja.com.br",
                                                   "password": GOOD})
    assert refused.status_code == 401
    assert _count(session, Membership) == 1  # the admin's own


def test_expired_signup_link_is_refused(api, session, smtp):
    api.post("/api/v1/auth/signup", json=SIGNUP)
    token = _token(smtp.wait_for(1)[0])
    link = session.exec(select(AccountLink)).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    session.add(link)
    session.commit()
    r = api.post("/api/v1/auth/signup/confirm", json={"token": token})
    assert r.status_code == 422 and r.json()["error"]["code"] == "link_expired"
    assert _count(session, User) == 0


def test_signup_shows_the_forms_errors_first_and_counts_only_accepted_attempts(api, session):
    for _ in range(12):  # empty and invalid forms never reach the hourly limit
        r = api.post("/api/v1/auth/signup", json={**SIGNUP, "password": "short"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "password_too_short"
    for i in range(10):
        ok = api.post("/api/v1/auth/signup", json={**SIGNUP, "email": f"p{i}@example.com"})
        assert ok.status_code == 202
    limited = api.post("/api/v1/auth/signup", json={**SIGNUP, "email": "p11@example.com"})
    assert limited.status_code == 429
    still_the_form = api.post("/api/v1/auth/signup", json={**SIGNUP, "email": "not-an-email"})
    assert still_the_form.json()["error"]["code"] == "invalid_email"


# ---------------------------------------------------------------- forgot my password

def test_password_reset_link_works_once_and_ends_every_session(api, session, smtp):
    user = make_user(session, make_org(session))
    old = _login(api, user.email)
    r = api.post("/api/v1/auth/password/forgot", json={"email": user.email.upper()})
    assert r.status_code == 202 and r.content in (b"", b"null")
    token = _token(smtp.wait_for(1)[0])
    weak = api.post("/api/v1/auth/password/reset", json={"token": token, "password": "password123"})
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "password_common"
    done = api.post("/api/v1/auth/password/reset", json={"token": token, "password": GOOD})
    assert done.status_code == 204
    assert api.get("/api/v1/auth/me", headers=_bearer(old)).status_code == 401
    assert api.post("/api/v1/auth/refresh",
                    json={"refresh_token": old["refresh_token"]}).status_code == 401
    assert _login(api, user.email, GOOD)
    again = api.post("/api/v1/auth/password/reset", json={"token": token, "password": GOOD + "x"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "link_invalid"


def test_password_reset_link_expires(api, session, smtp):
    user = make_user(session, make_org(session))
    api.post("/api/v1/auth/password/forgot", json={"email": user.email})
    token = _token(smtp.wait_for(1)[0])
    link = session.exec(select(AccountLink)).one()
    assert link.expires_at - utcnow() <= timedelta(minutes=get_settings().password_reset_minutes)
    link.expires_at = utcnow() - timedelta(seconds=1)
    session.add(link)
    session.commit()
    r = api.post("/api/v1/auth/password/reset", json={"token": token, "password": GOOD})
    assert r.status_code == 422 and r.json()["error"]["code"] == "link_expired"
    assert _login(api, user.email)  # the old password still works


def test_forgot_password_reveals_nothing_and_sends_nothing_for_unknown_addresses(api, session,
                                                                                 smtp):
    user = make_user(session, make_org(session))
    known = api.post("/api/v1/auth/password/forgot", json={"email": user.email})
    unknown = api.post("/api/v1/auth/password/forgot", json={"email": "nobody@example.com"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    smtp.wait_for(1)
    assert [m["To"] for m in smtp.messages] == [user.email]
    bad = api.post("/api/v1/auth/password/forgot", json={"email": "not an email"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_email"


# ---------------------------------------------------------------- invitations

def _admin(api, session, name="Loja"):
    org = make_org(session, name)
    admin = make_user(session, org, Role.ADMIN)
    return org, admin, _bearer(_login(api, admin.email))


def test_inviting_an_existing_account_answers_like_an_unknown_one_and_links_nobody(api, session,
                                                                                   smtp):
    _org, _admin_user, headers = _admin(api, session)
    stranger = make_user(session, make_org(session, "Outra"), Role.MANAGER,
                         email="carla@outra.com")
    known = api.post("/api/v1/members", headers=headers,
                     json={"name": "Carla Typed", "email": "Carla@Outra.com", "role": "consultant"})
    unknown = api.post("/api/v1/members", headers=headers,
                       json={"name": "Nobody Typed", "email": "nobody@outra.com",
                             "role": "consultant"})
    assert known.status_code == unknown.status_code == 202
    assert set(known.json()["invitation"]) == set(unknown.json()["invitation"]) == \
        {"email", "name", "role", "expires_at"}
    assert known.json()["invitation"]["name"] == "Carla Typed"  # what the admin typed
    assert stranger.name not in known.text and "two_factor" not in known.text
    assert _count(session, Membership) == 2  # nobody was linked
    smtp.wait_for(2)
    assert sorted(m["To"] for m in smtp.messages) == ["carla@outra.com", "nobody@outra.com"]


def test_an_invited_account_joins_after_signing_in_and_only_that_account(api, session, smtp):
    org, _admin_user, headers = _admin(api, session)
    invitee = make_user(session, make_org(session, "Outra"), Role.MANAGER)
    other = make_user(session, make_org(session, "Terceira"), Role.ADMIN)
    api.post("/api/v1/members", headers=headers,
             json={"name": "Convidada", "email": invitee.email, "role": "manager"})
    token = _token(smtp.wait_for(1)[0])
    wrong = api.post("/api/v1/auth/invitations/accept", json={"token": token},
                     headers=_bearer(_login(api, other.email)))
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "invitation_other_account"
    anonymous = api.post("/api/v1/auth/invitations/accept", json={"token": token})
    assert anonymous.status_code == 401
    accepted = api.post("/api/v1/auth/invitations/accept", json={"token": token},
                        headers=_bearer(_login(api, invitee.email)))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["organization_id"] == str(org.id)
    assert accepted.json()["user"]["role"] == "manager"
    session.expire_all()
    assert session.exec(select(Membership).where(Membership.user_id == invitee.id,
                                                 Membership.organization_id == org.id)).one()
    replay = api.post("/api/v1/auth/invitations/accept", json={"token": token},
                      headers=_bearer(_login(api, invitee.email)))
    assert replay.status_code == 422 and replay.json()["error"]["code"] == "link_invalid"


def test_an_invitation_to_a_new_address_creates_the_account_when_accepted(api, session, smtp):
    org, _admin_user, headers = _admin(api, session)
    api.post("/api/v1/members", headers=headers,
             json={"name": "Nova Pessoa", "email": "nova@example.com", "role": "consultant"})
    token = _token(smtp.wait_for(1)[0])
    weak = api.post("/api/v1/auth/invitations/accept-new",
                    json={"token": token, "name": "Nova", "password": "qwertyuiop1"})
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "password_common"
    r = api.post("/api/v1/auth/invitations/accept-new",
                 json={"token": token, "name": "Nova Pessoa", "password": GOOD})
    assert r.status_code == 201, r.text
    assert r.json()["user"]["organization_id"] == str(org.id)
    assert r.json()["user"]["role"] == "consultant"
    assert _login(api, "nova@example.com", GOOD)


def test_accepting_as_a_new_account_is_refused_when_the_address_has_one(api, session, smtp):
    _org, _admin_user, headers = _admin(api, session)
    invitee = make_user(session, make_org(session, "Outra"))
    api.post("/api/v1/members", headers=headers,
             json={"name": "X Person", "email": invitee.email, "role": "consultant"})
    token = _token(smtp.wait_for(1)[0])
    r = api.post("/api/v1/auth/invitations/accept-new",
                 json={"token": token, "name": "Takeover", "password": GOOD})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invitation_sign_in"
    session.expire_all()
    assert session.get(User, invitee.id).name != "Takeover"


def test_invitations_expire_and_are_rate_limited_per_organisation(api, session, smtp,
                                                                  monkeypatch):
    monkeypatch.setenv("SMARTERCHAT_INVITATIONS_PER_HOUR", "2")
    get_settings.cache_clear()
    _org, _admin_user, headers = _admin(api, session)
    for i in range(2):
        assert api.post("/api/v1/members", headers=headers, json={
            "name": f"P{i} Person", "email": f"p{i}@example.com", "role": "consultant"}
        ).status_code == 202
    limited = api.post("/api/v1/members", headers=headers,
                       json={"name": "P3 Person", "email": "p3@example.com", "role": "consultant"})
    assert limited.status_code == 429
    _other_org, _other_admin, other_headers = _admin(api, session, "Outra")
    assert api.post("/api/v1/members", headers=other_headers, json={
        "name": "Q Person", "email": "q@example.com", "role": "consultant"}).status_code == 202
    token = _token(smtp.wait_for(1)[0])
    for link in session.exec(select(AccountLink)).all():
        link.expires_at = utcnow() - timedelta(seconds=1)
        session.add(link)
    session.commit()
    r = api.post("/api/v1/auth/invitations/accept-new",
                 json={"token": token, "name": "Late Person", "password": GOOD})
    assert r.status_code == 422 and r.json()["error"]["code"] == "link_expired"


def test_only_admins_invite_and_bad_input_changes_nothing(api, session, smtp):
    org = make_org(session, "Loja")
    manager = make_user(session, org, Role.MANAGER)
    _org, _admin_user, headers = _admin(api, session, "Outra")
    r = api.post("/api/v1/members", headers=_bearer(_login(api, manager.email)),
                 json={"name": "X Person", "email": "x@example.com", "role": "consultant"})
    assert r.status_code == 403
    for body, code in [
        ({"name": "Bob", "email": "bob.b\u200b@example.com", "role": "consultant"},
         "invalid_characters"),
        ({"name": "B\u202eob", "email": "bob@example.com", "role": "consultant"},
         "invalid_characters"),
        ({"name": "Bob\x00", "email": "bob@example.com", "role": "consultant"},
         "invalid_characters"),
        ({"name": "Bob", "email": "bob@example.com", "role": "owner"}, "invalid_role"),
    ]:
        refused = api.post("/api/v1/members", headers=headers, json=body)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == code, body
    assert _count(session, AccountLink) == 0 and smtp.messages == []
