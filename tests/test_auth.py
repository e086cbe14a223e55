"""Login, 2FA, refresh rotation and token checks, through the service layer and the API."""

from __future__ import annotations

import time

import jwt
import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from smarterchat.backend.api.app import create_api
from smarterchat.backend.models import RefreshToken, User
from smarterchat.backend.security import ratelimit
from smarterchat.backend.services import auth, two_factor
from smarterchat.backend.services.errors import AuthError, TooManyAttempts
from tests.factories import PASSWORD, actor_for, make_org, make_user


@pytest.fixture
def api(database):
    ratelimit._backend.cache_clear()  # fresh in-process counters for each test
    with TestClient(create_api()) as client:
        yield client


def _refresh_rows(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(RefreshToken)).one()


def test_wrong_password_is_refused_and_changes_nothing(api, session):
    user = make_user(session, make_org(session))
    r = api.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong password"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    assert r.json()["error"]["message"] == "Wrong email or password."
    in_portuguese = api.post("/api/v1/auth/login", headers={"Accept-Language": "pt-BR"},
                             json={"email": user.email, "password": "wrong password"})
    assert in_portuguese.json()["error"]["message"] == "E-mail ou senha incorretos."
    assert _refresh_rows(session) == 0
    assert session.get(User, user.id).last_login_at is None


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(api):
    r = api.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "x"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"


def test_login_is_throttled_per_account(api, session):
    user = make_user(session, make_org(session))
    for _ in range(5):
        api.post("/api/v1/auth/login", json={"email": user.email, "password": "bad"})
    r = api.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "too_many_attempts"
    assert int(r.headers["Retry-After"]) > 0
    assert _refresh_rows(session) == 0


def test_login_throttle_is_shared_through_redis(session, redis_url, monkeypatch):
    from smarterchat.backend import db

    monkeypatch.setenv("SMARTERCHAT_REDIS_URL", redis_url)
    db.get_settings.cache_clear()
    ratelimit._backend.cache_clear()
    user = make_user(session, make_org(session))
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.login(session, email=user.email, password="bad", ip="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        auth.login(session, email=user.email, password=PASSWORD, ip="10.0.0.1")
    import redis

    assert int(redis.Redis.from_url(redis_url).get(f"rl:login:acct:{user.email}")) == 5
    monkeypatch.delenv("SMARTERCHAT_REDIS_URL")
    db.get_settings.cache_clear()
    ratelimit._backend.cache_clear()


def _login(api, email, password=PASSWORD):
    return api.post("/api/v1/auth/login", json={"email": email, "password": password}).json()


def test_refresh_rotates_and_reuse_revokes_the_family(api, session, monkeypatch):
    from smarterchat.backend.config import get_settings

    monkeypatch.setenv("SMARTERCHAT_REFRESH_GRACE_SECONDS", "0")  # reuse after the grace
    get_settings.cache_clear()
    user = make_user(session, make_org(session))
    first = _login(api, user.email)["tokens"]
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]

    replay = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "refresh_reused"
    # The thief's replay also ends the legitimate holder's session: the family is revoked.
    after = api.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401 and after.json()["error"]["code"] == "refresh_reused"
    monkeypatch.delenv("SMARTERCHAT_REFRESH_GRACE_SECONDS")
    get_settings.cache_clear()


def test_expired_refresh_token_is_refused(api, session):
    user = make_user(session, make_org(session))
    tokens = _login(api, user.email)["tokens"]
    row = session.exec(select(RefreshToken)).one()
    from datetime import timedelta

    from smarterchat.backend.models.base import utcnow

    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    r = api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"
    assert _refresh_rows(session) == 1


def test_logout_revokes_the_refresh_token(api, session):
    user = make_user(session, make_org(session))
    tokens = _login(api, user.email)["tokens"]
    assert api.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
                    ).status_code == 204
    r = api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401


NONE_HEADER = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()


def test_tampered_forged_and_expired_jwts_are_refused(api, session):
    from smarterchat.backend.config import get_settings

    user = make_user(session, make_org(session))
    victim = make_user(session, make_org(session, "Victim"))
    access = _login(api, user.email)["tokens"]["access_token"]

    header, payload, signature = access.split(".")
    claims = jwt.decode(access, options={"verify_signature": False})
    claims["sub"] = str(victim.id)
    forged_payload = jwt.encode(claims, "x" * 32, algorithm="HS256").split(".")[1]
    cases = {
        "payload swapped": f"{header}.{forged_payload}.{signature}",
        # A character in the middle: the last ones carry padding bits a decoder ignores,
        # so changing them can leave the signature's bytes as they were.
        "signature flipped": f"{header}.{payload}.{signature[:10]}"
                             f"{'B' if signature[10] == 'A' else 'A'}{signature[11:]}",
        "alg none": f"{NONE_HEADER}.{payload}.",
        "other key": jwt.encode(claims, "another-secret-key-of-32-characters!!", algorithm="HS256"),
        "expired": jwt.encode({**claims, "exp": int(time.time()) - 5, "iat": int(time.time()) - 60},
                              get_settings().jwt_secret, algorithm="HS256"),
        "garbage": "not-a-jwt",
    }
    for name, token in cases.items():
        r = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, name
        expected = "token_expired" if name == "expired" else "token_invalid"
        assert r.json()["error"]["code"] == expected, name
    assert api.get("/api/v1/auth/me").json()["error"]["code"] == "not_authenticated"


def test_cookies_never_authenticate(api, session):
    user = make_user(session, make_org(session))
    access = _login(api, user.email)["tokens"]["access_token"]
    api.cookies.set("access_token", access)
    api.cookies.set("Authorization", f"Bearer {access}")
    r = api.post("/api/v1/members", json={"name": "Eve Doe", "email": "eve@example.com",
                                          "role": "admin"})
    assert r.status_code == 401


def test_deactivated_member_is_refused_at_once(api, session):
    org = make_org(session)
    admin = make_user(session, org)
    consultant = make_user(session, org, "consultant")
    token = _login(api, consultant.email)["tokens"]["access_token"]
    from smarterchat.backend.services import users

    member = next(m for m in users.list_members(session, actor_for(session, admin, org))
                  if m.user_id == str(consultant.id))
    users.set_active(session, actor_for(session, admin, org), member.membership_id, False)
    r = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "account_inactive"


# ------------------------------------------------------------------ two-factor

def _enable_2fa(session, user, org) -> tuple[str, list[str]]:
    actor = actor_for(session, user, org)
    enrollment = two_factor.begin_enrollment(session, actor)
    assert enrollment.qr_data_uri.startswith("data:image/svg+xml")
    # A code from the previous step, so the next login's current code is fresh.
    code = pyotp.TOTP(enrollment.secret).at(time.time() - 30)
    codes = two_factor.confirm_enrollment(session, actor, code)
    return enrollment.secret, codes


def test_two_factor_login_needs_a_valid_fresh_code(api, session):
    org = make_org(session)
    user = make_user(session, org)
    secret, _ = _enable_2fa(session, user, org)

    step1 = _login(api, user.email)
    assert step1["two_factor_required"] and step1["tokens"] is None
    before = _refresh_rows(session)
    wrong = api.post("/api/v1/auth/2fa", json={"challenge": step1["challenge"], "code": "000000"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_totp"
    assert _refresh_rows(session) == before

    code = pyotp.TOTP(secret).now()
    ok = api.post("/api/v1/auth/2fa", json={"challenge": step1["challenge"], "code": code})
    assert ok.status_code == 200, ok.text
    # The same code cannot be used twice (someone watching over a shoulder).
    step1b = _login(api, user.email)
    replay = api.post("/api/v1/auth/2fa", json={"challenge": step1b["challenge"], "code": code})
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "invalid_totp"


def test_recovery_codes_work_once(api, session):
    org = make_org(session)
    user = make_user(session, org)
    _, codes = _enable_2fa(session, user, org)
    assert len(codes) == 10
    challenge = _login(api, user.email)["challenge"]
    assert api.post("/api/v1/auth/2fa", json={"challenge": challenge, "code": codes[0]}
                    ).status_code == 200
    challenge = _login(api, user.email)["challenge"]
    again = api.post("/api/v1/auth/2fa", json={"challenge": challenge, "code": codes[0]})
    assert again.status_code == 401
    assert two_factor.status(session, actor_for(session, user, org)).recovery_codes_left == 9


def test_challenge_token_is_not_an_access_token(api, session):
    org = make_org(session)
    user = make_user(session, org)
    _enable_2fa(session, user, org)
    challenge = _login(api, user.email)["challenge"]
    r = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {challenge}"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalid"


def test_disable_two_factor_needs_password_and_code(session):
    org = make_org(session)
    user = make_user(session, org)
    secret, _ = _enable_2fa(session, user, org)
    actor = actor_for(session, user, org)
    with pytest.raises(AuthError):
        two_factor.disable(session, actor, password="wrong", code=pyotp.TOTP(secret).now())
    assert session.get(User, user.id).totp_enabled
    two_factor.disable(session, actor, password=PASSWORD, code=pyotp.TOTP(secret).now())
    session.expire_all()
    assert not session.get(User, user.id).totp_enabled


@pytest.mark.parametrize("hops, seen", [(0, "testclient"), (1, "203.0.113.7"),
                                        (2, "198.51.100.2"), (4, "testclient")])
def test_behind_trusted_proxies_the_api_sees_the_forwarded_client(api, session, monkeypatch,
                                                                   hops, seen):
    from smarterchat.backend import db
    from smarterchat.backend.models import AuditLog

    monkeypatch.setenv("SMARTERCHAT_TRUSTED_PROXY_HOPS", str(hops))
    db.get_settings.cache_clear()
    try:
        user = make_user(session, make_org(session))
        # The client claims 6.6.6.6; each trusted proxy appends the address it saw.
        answer = api.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD},
                          headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.2, 203.0.113.7"})
        assert answer.status_code == 200
        session.expire_all()
        row = session.exec(select(AuditLog).where(AuditLog.action == "user.login")).one()
        assert row.ip == seen
    finally:
        monkeypatch.delenv("SMARTERCHAT_TRUSTED_PROXY_HOPS")
        db.get_settings.cache_clear()
