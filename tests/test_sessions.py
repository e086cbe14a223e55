"""Sessions end when they should: password change, 2FA disable, an admin's "end sessions",
logout (the access token too), refresh rotation's grace for two tabs; login throttling
that never locks out the right person; the files that hold sessions are private."""

from __future__ import annotations

import stat
import time
import uuid

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from smarterchat.backend.api.app import create_api
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import Membership, RefreshToken, Role
from smarterchat.backend.security import denylist, ratelimit, tokens
from smarterchat.backend.services import auth, two_factor, users
from smarterchat.backend.services.errors import AuthError, TooManyAttempts
from tests.factories import PASSWORD, actor_for, make_org, make_user

NEW = "uma senha boa 1"


@pytest.fixture
def api(database):
    ratelimit._backend.cache_clear()
    denylist._backend.cache_clear()
    with TestClient(create_api()) as client:
        yield client


def _login(api, email, password=PASSWORD) -> dict:
    r = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["tokens"]


def _me(api, pair) -> int:
    return api.get("/api/v1/auth/me",
                   headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code


def _refresh(api, pair) -> int:
    return api.post("/api/v1/auth/refresh",
                    json={"refresh_token": pair["refresh_token"]}).status_code


# ---------------------------------------------------------------- ending sessions

def test_a_password_change_ends_every_other_session_and_keeps_this_one(api, session):
    org = make_org(session)
    user = make_user(session, org)
    laptop, phone = _login(api, user.email), _login(api, user.email)
    pair = users.change_password(session, actor_for(session, user, org), current=PASSWORD,
                                 new=NEW)
    for old in (laptop, phone):
        assert _me(api, old) == 401 and _refresh(api, old) == 401
    refused = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {laptop['access_token']}"})
    assert refused.json()["error"]["code"] == "session_ended"
    assert _me(api, {"access_token": pair.access_token}) == 200
    assert _refresh(api, {"refresh_token": pair.refresh_token}) == 200


def test_turning_two_factor_off_ends_the_sessions(api, session):
    org = make_org(session)
    user = make_user(session, org)
    actor = actor_for(session, user, org)
    secret = two_factor.begin_enrollment(session, actor).secret
    two_factor.confirm_enrollment(session, actor, pyotp.TOTP(secret).at(time.time() - 30))
    challenge = api.post("/api/v1/auth/login",
                         json={"email": user.email, "password": PASSWORD}).json()["challenge"]
    other = api.post("/api/v1/auth/2fa", json={"challenge": challenge,
                                               "code": pyotp.TOTP(secret).now()}).json()
    pair = auth.disable_two_factor(session, actor_for(session, user, org), password=PASSWORD,
                                   code=pyotp.TOTP(secret).at(time.time() + 30))
    assert _me(api, other) == 401 and _refresh(api, other) == 401
    assert _me(api, {"access_token": pair.access_token}) == 200


def test_an_admin_ends_a_members_sessions_in_that_organisation_only(api, session):
    org, elsewhere = make_org(session, "Loja"), make_org(session, "Outra")
    admin = make_user(session, org, Role.ADMIN)
    member = make_user(session, org, Role.CONSULTANT)
    session.add(Membership(organization_id=elsewhere.id, user_id=member.id, role=Role.ADMIN))
    session.commit()
    in_org = _login(api, member.email)
    assert in_org["user"]["organization_id"] == str(org.id)
    in_other, _row = auth.issue_tokens(session, member.id, elsewhere.id)
    session.commit()
    membership = session.exec(select(Membership).where(
        Membership.user_id == member.id, Membership.organization_id == org.id)).one()
    r = api.post(f"/api/v1/members/{membership.id}/end-sessions",
                 headers={"Authorization": f"Bearer {_login(api, admin.email)['access_token']}"})
    assert r.status_code == 200
    assert _me(api, in_org) == 401 and _refresh(api, in_org) == 401
    # The other organisation's session is not this admin's to end.
    assert _me(api, {"access_token": in_other.access_token}) == 200
    assert _refresh(api, {"refresh_token": in_other.refresh_token}) == 200
    # And the member may sign in again at once.
    assert _me(api, _login(api, member.email)) == 200


def test_an_admin_cannot_end_sessions_in_another_organisation(api, session):
    org, other = make_org(session, "Loja"), make_org(session, "Outra")
    make_user(session, org, Role.ADMIN)
    foreign_admin = make_user(session, other, Role.ADMIN)
    victim_org_admin = make_user(session, org, Role.MANAGER)
    victim = _login(api, victim_org_admin.email)
    membership = session.exec(select(Membership).where(
        Membership.user_id == victim_org_admin.id)).one()
    r = api.post(f"/api/v1/members/{membership.id}/end-sessions",
                 headers={"Authorization":
                          f"Bearer {_login(api, foreign_admin.email)['access_token']}"})
    assert r.status_code == 404
    assert _me(api, victim) == 200


def test_logout_refuses_that_sessions_access_token_and_only_that_one(api, session):
    user = make_user(session, make_org(session))
    leaving, staying = _login(api, user.email), _login(api, user.email)
    r = api.post("/api/v1/auth/logout", json={"refresh_token": leaving["refresh_token"]},
                 headers={"Authorization": f"Bearer {leaving['access_token']}"})
    assert r.status_code == 204
    assert _me(api, leaving) == 401 and _refresh(api, leaving) == 401
    assert _me(api, staying) == 200


def test_the_logout_deny_list_is_shared_through_redis_until_the_token_expires(session,
                                                                             redis_url,
                                                                             monkeypatch):
    import redis

    monkeypatch.setenv("SMARTERCHAT_REDIS_URL", redis_url)
    get_settings.cache_clear()
    denylist._backend.cache_clear()
    ratelimit._backend.cache_clear()
    user = make_user(session, make_org(session))
    pair = auth.login(session, email=user.email, password=PASSWORD).tokens
    auth.logout(session, refresh_token=pair.refresh_token, access_token=pair.access_token)
    jti = tokens.decode_access_token(pair.access_token).token_id
    ttl = redis.Redis.from_url(redis_url).ttl(f"deny:{jti}")
    assert 0 < ttl <= get_settings().access_token_minutes * 60 + 1
    with pytest.raises(AuthError) as refused:
        auth.actor_from_access_token(session, pair.access_token)
    assert refused.value.code == "session_ended"
    monkeypatch.delenv("SMARTERCHAT_REDIS_URL")
    get_settings.cache_clear()
    denylist._backend.cache_clear()
    ratelimit._backend.cache_clear()


# ---------------------------------------------------------------- refresh grace

def test_two_tabs_restoring_at_once_get_the_same_successor(api, session):
    user = make_user(session, make_org(session))
    first = _login(api, user.email)
    tab1 = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    tab2 = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert tab1.status_code == tab2.status_code == 200
    assert tab1.json()["refresh_token"] == tab2.json()["refresh_token"]
    assert _me(api, tab2.json()) == 200 and _refresh(api, tab2.json()) == 200
    session.expire_all()
    assert session.exec(select(RefreshToken).where(
        RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_not(None))).first() is None
    stored = session.exec(select(RefreshToken).where(RefreshToken.user_id == user.id,
                                                     RefreshToken.successor.is_not(None))).first()
    assert stored is not None  # the successor is kept encrypted in the database
    from sqlalchemy import text

    raw = session.execute(text("SELECT successor FROM refresh_token WHERE id = :id"),
                          {"id": stored.id if session.bind.dialect.name == "postgresql"
                           else stored.id.hex}).scalar_one()
    assert raw.startswith("v1:") and tab1.json()["refresh_token"] not in raw


def test_reuse_after_the_grace_interval_still_revokes_the_family(api, session):
    user = make_user(session, make_org(session))
    first = _login(api, user.email)
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    spent = session.exec(select(RefreshToken).where(
        RefreshToken.token_hash == tokens.hash_token(first["refresh_token"]))).one()
    spent.used_at = spent.used_at.__class__.fromtimestamp(
        time.time() - get_settings().refresh_grace_seconds - 1, tz=spent.used_at.tzinfo)
    session.add(spent)
    session.commit()
    replay = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "refresh_reused"
    assert _refresh(api, second) == 401


# ---------------------------------------------------------------- throttling

def _fail(session, email, ip, times):
    for _ in range(times):
        with pytest.raises(AuthError):
            auth.login(session, email=email, password="wrong password", ip=ip)


def test_a_locked_account_still_opens_with_the_right_password_from_a_known_address(api,
                                                                                   session):
    user = make_user(session, make_org(session))
    auth.login(session, email=user.email, password=PASSWORD, ip="10.0.0.7")  # known there
    _fail(session, user.email, "203.0.113.9", get_settings().login_attempts_per_account)
    with pytest.raises(TooManyAttempts):  # the attacker's address, even with the password
        auth.login(session, email=user.email, password=PASSWORD, ip="203.0.113.9")
    with pytest.raises(TooManyAttempts):  # a new address of the owner's: wait, or use 2FA
        auth.login(session, email=user.email, password=PASSWORD, ip="198.51.100.4")
    assert auth.login(session, email=user.email, password=PASSWORD, ip="10.0.0.7").tokens


def test_a_locked_account_with_two_factor_passes_with_password_and_code(api, session):
    org = make_org(session)
    user = make_user(session, org)
    actor = actor_for(session, user, org)
    secret = two_factor.begin_enrollment(session, actor).secret
    two_factor.confirm_enrollment(session, actor, pyotp.TOTP(secret).at(time.time() - 30))
    _fail(session, user.email, "203.0.113.9", get_settings().login_attempts_per_account)
    result = auth.login(session, email=user.email, password=PASSWORD, ip="198.51.100.4")
    assert result.needs_two_factor
    with pytest.raises(TooManyAttempts):  # but a wrong password is still refused
        auth.login(session, email=user.email, password="wrong password", ip="198.51.100.4")
    pair = auth.complete_two_factor(session, challenge=result.challenge,
                                    code=pyotp.TOTP(secret).now(), ip="198.51.100.4")
    assert pair.access_token


def test_failures_from_one_office_address_do_not_lock_out_its_known_people(api, session):
    org = make_org(session)
    colleague = make_user(session, org)
    auth.login(session, email=colleague.email, password=PASSWORD, ip="192.0.2.1")
    for _ in range(get_settings().login_attempts_per_ip):
        with pytest.raises(AuthError):
            auth.login(session, email=f"guess-{uuid.uuid4().hex[:6]}@example.com",
                       password="x", ip="192.0.2.1")
    assert auth.login(session, email=colleague.email, password=PASSWORD, ip="192.0.2.1").tokens
    stranger = make_user(session, org)
    with pytest.raises(TooManyAttempts):  # never seen at this address: waits out the window
        auth.login(session, email=stranger.email, password=PASSWORD, ip="192.0.2.1")


def test_successes_are_never_counted(api, session):
    user = make_user(session, make_org(session))
    for _ in range(get_settings().login_attempts_per_account + 3):
        assert auth.login(session, email=user.email, password=PASSWORD, ip="192.0.2.50").tokens


# ---------------------------------------------------------------- input

def test_addresses_are_normalised_so_look_alikes_are_one_account_or_refused(api, session):
    user = make_user(session, make_org(session), email="bob.b@example.com")
    assert _login(api, "  BOB.B@EXAMPLE.COM ")["user"]["user_id"] == str(user.id)
    assert _login(api, "ｂｏｂ.ｂ@example.com")["user"]["user_id"] == str(user.id)  # full-width
    r = api.post("/api/v1/auth/signup", json={"organization_name": "Org X", "name": "Bob",
                                              "email": "bob.b\u200b@example.com",
                                              "password": NEW})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_characters"
    assert "invisible" in r.json()["error"]["message"]


@pytest.mark.parametrize("password, code", [
    ("password123", "password_common"), ("qwertyuiop1", "password_common"),
    ("1234567890", "password_common"), ("abcdefghij", "password_guessable"),
    ("short1", "password_too_short"),
])
def test_common_and_guessable_passwords_are_refused_saying_why(api, session, password, code):
    user = make_user(session, make_org(session))
    with pytest.raises(Exception) as refused:
        users.change_password(session, actor_for(session, user, user_org(session, user)),
                              current=PASSWORD, new=password)
    assert refused.value.code == code
    assert auth.login(session, email=user.email, password=PASSWORD).tokens


def user_org(session, user):
    from smarterchat.backend.models import Organization

    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    return session.get(Organization, membership.organization_id)


# ---------------------------------------------------------------- files

def test_the_data_folder_its_databases_media_and_outbox_are_private(tmp_path, monkeypatch):
    from sqlalchemy import text

    from smarterchat.backend import db, mail, storage
    from tasks.queue import build_huey

    data = tmp_path / "data"
    monkeypatch.setenv("SMARTERCHAT_DATA_DIR", str(data))
    monkeypatch.delenv("SMARTERCHAT_DATABASE_URL", raising=False)
    monkeypatch.delenv("SMARTERCHAT_S3_BUCKET", raising=False)
    db.reset()
    try:
        with db.get_engine().begin() as conn:  # WAL mode: a write creates the -wal file
            conn.execute(text("CREATE TABLE probe (x INTEGER)"))
            conn.execute(text("INSERT INTO probe VALUES (1)"))
            build_huey(get_settings())
            key = storage.save(uuid.uuid4(), b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
            mail.deliver(mail.compose("verify_signup", "en", to="a@example.com"))
            files = [data / "smarterchat.db", data / "smarterchat.db-wal", data / "huey.db",
                     *list((data / "outbox").iterdir()),
                     *[p for p in data.rglob("*") if p.is_file() and key.split("/")[-1] in p.name]]
        assert (data / "smarterchat.db-wal").exists() and len(files) >= 5
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for folder in [data, data / "outbox"]:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    finally:
        monkeypatch.undo()
        db.reset()


def test_recovery_codes_and_live_refresh_tokens_never_reach_the_state_store():
    import pickle

    from smarterchat.state.profile import ProfileState
    from smarterchat.state.session import AppState

    profile = ProfileState.__new__(ProfileState)
    profile.__dict__.update({"recovery_codes": ["aaaa-bbbb", "cccc-dddd"]})
    stored = profile.__getstate__()
    assert stored["recovery_codes"] == [] and profile.recovery_codes == ["aaaa-bbbb", "cccc-dddd"]
    sealed = auth.seal("live-refresh-token")
    assert "live-refresh-token" not in sealed and auth.unseal(sealed) == "live-refresh-token"
    assert auth.unseal("live-refresh-token") == ""  # a raw token is not accepted as sealed
    assert b"live-refresh-token" not in pickle.dumps(sealed)
    assert AppState.get_fields()["refresh_token"] is not None
