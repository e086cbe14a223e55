"""What every HTTP answer carries and what a request may send (issue 18, "HTTP"), through
the app's FastAPI stack on SQLite and PostgreSQL. nginx's side of the same headers is in
tests/test_deploy_nginx.py."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from smarterchat.backend.api import http_policy, ops
from smarterchat.backend.api.app import create_api
from smarterchat.backend.config import Settings
from smarterchat.backend.models import Channel, ChannelKind, Role
from smarterchat.backend.security.tokens import create_access_token
from tests.factories import make_org, make_user

SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture
def api(database):
    with TestClient(create_api()) as client:
        yield client


def _admin_headers(session) -> dict[str, str]:
    org = make_org(session, "Http")
    admin = make_user(session, org, Role.ADMIN)
    return {"Authorization": f"Bearer {create_access_token(admin.id, org.id)}"}


def test_pages_and_api_carry_the_security_headers_and_refuse_framing(api):
    for path in ("/healthz", "/api/v1/conversations", "/some/page"):
        answer = api.get(path)
        assert all(name in answer.headers for name in SECURITY), (path, answer.headers)
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in policy
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in answer.headers  # the public URL is http


def test_hsts_when_the_public_url_is_https(api, monkeypatch):
    monkeypatch.setattr(http_policy, "get_settings",
                        lambda: Settings(public_url="https://chat.loja.com.br"))
    assert api.get("/healthz").headers["strict-transport-security"].startswith("max-age=31536000")


def test_only_the_web_chat_is_framed_and_only_by_its_sites(api, session):
    org = make_org(session, "Framed")
    chat = Channel(organization_id=org.id, kind=ChannelKind.WEBCHAT, name="Site",
                   config={"embed_origins": ["https://www.loja.com.br"]})
    bare = Channel(organization_id=org.id, kind=ChannelKind.WEBCHAT, name="Sem sites")
    session.add_all([chat, bare])
    session.commit()
    page = api.get(f"/chat/{chat.id}")
    assert "frame-ancestors 'self' https://www.loja.com.br" in page.headers["content-security-policy"]
    assert "x-frame-options" not in page.headers
    # nginx asks the same question for the page it serves.
    for_nginx = api.get(f"/_frame-policy/chat/{chat.id}")
    assert for_nginx.status_code == 204
    assert "https://www.loja.com.br" in for_nginx.headers["content-security-policy"]
    other = api.get(f"/chat/{bare.id}").headers["content-security-policy"]
    assert "frame-ancestors 'self'" in other and "loja.com.br" not in other


def test_an_admin_sets_the_sites_and_a_bad_one_is_refused(session):
    from smarterchat.backend.services import channels
    from smarterchat.backend.services.errors import InvalidInput
    from tests.factories import actor_for

    org = make_org(session, "Sites")
    actor = actor_for(session, make_user(session, org, Role.ADMIN), org)
    chat = Channel(organization_id=org.id, kind=ChannelKind.WEBCHAT, name="Site")
    session.add(chat)
    session.commit()
    view = channels.update_channel(session, actor, chat.id,
                                   widget_origins="https://www.loja.com.br/\nhttps://loja.com.br")
    assert view.widget_origins == "https://www.loja.com.br\nhttps://loja.com.br"
    for bad in ("javascript:alert(1)", "https://loja.com.br/pagina", "*"):
        with pytest.raises(InvalidInput) as refused:
            channels.update_channel(session, actor, chat.id, widget_origins=bad)
        assert refused.value.code == "invalid_embed_origin"
    session.expire_all()
    assert session.get(Channel, chat.id).config["embed_origins"] == [
        "https://www.loja.com.br", "https://loja.com.br"]


def test_cors_allows_the_public_url_and_configured_origins_only(monkeypatch):
    """Reflex adds the CORS middleware with rxconfig's origins: the same code, tried here."""
    from reflex.app import App

    import rxconfig

    settings = Settings(public_url="https://chat.loja.com.br",
                        cors_origins="https://painel.loja.com.br")
    assert settings.allowed_origins == ["https://chat.loja.com.br", "https://painel.loja.com.br"]
    assert list(rxconfig.config.cors_allowed_origins) == rxconfig.settings.allowed_origins
    monkeypatch.setattr(rxconfig.config, "cors_allowed_origins", settings.allowed_origins)
    monkeypatch.setattr("reflex.app.get_config", lambda: rxconfig.config)
    app = Starlette(routes=[Route("/api/v1/me", lambda r: PlainTextResponse("eu"))])
    App._add_cors(app)
    client = TestClient(app)
    preflight = {"Access-Control-Request-Method": "GET"}
    for origin in settings.allowed_origins:
        ok = client.options("/api/v1/me", headers={"Origin": origin, **preflight})
        assert ok.headers["access-control-allow-origin"] == origin
    evil = client.get("/api/v1/me", headers={"Origin": "https://evil.example",
                                             "Cookie": "a=b"})
    assert "access-control-allow-origin" not in evil.headers
    refused = client.options("/api/v1/me", headers={"Origin": "https://evil.example", **preflight})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


def test_one_body_limit_for_every_json_route(api):
    big = json.dumps({"email": "a@b.c", "password": "x" * (1024 * 1024 + 10)})
    declared = api.post("/api/v1/auth/login", content=big,
                        headers={"Content-Type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b"x" * 65536
    streamed = api.post("/api/v1/auth/login", content=chunks(),
                        headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    # A webhook keeps its own, larger limit (Meta batches): refused for its channel, not size.
    webhook = api.post("/webhooks/whatsapp/00000000-0000-0000-0000-000000000000",
                       content=b'{"a": "' + b"x" * (1536 * 1024) + b'"}',
                       headers={"Content-Type": "application/json"})
    assert webhook.status_code == 404


def test_integers_past_the_databases_range_are_422(api, session):
    headers = _admin_headers(session)
    # The generic read route filters by any visible field (ai_usage has no typed route).
    for query in ("prompt_tokens=99999999999999999999", "prompt_tokens=2147483648",
                  f"offset={2**63}", "offset=-1"):
        answer = api.get(f"/api/v1/ai_usage?{query}", headers=headers)
        assert answer.status_code == 422, (query, answer.text)
        assert answer.json()["error"]["code"] in ("invalid_input", "invalid_filter_value")
    assert api.get("/api/v1/ai_usage?prompt_tokens=3", headers=headers).status_code == 200
    # A typed route's integers are bounded by its schema.
    answer = api.get(f"/api/v1/conversations?limit={2**63}", headers=headers)
    assert answer.status_code == 422, answer.text


def test_api_answers_are_gzipped(api, session):
    headers = {**_admin_headers(session), "Accept-Encoding": "gzip"}
    spec = api.get("/api/openapi.json", headers=headers)
    assert spec.headers["content-encoding"] == "gzip"
    assert json.loads(spec.content)["openapi"]  # httpx decodes it: the body is real gzip
    small = api.get("/healthz", headers=headers)
    assert "content-encoding" not in small.headers


def _production(**more) -> Settings:
    return Settings(env="production", **more)


def test_in_production_metrics_need_the_token_and_readyz_says_only_ok(api, monkeypatch):
    monkeypatch.setattr(ops, "get_settings", lambda: _production(metrics_token="s3cret-token"))
    assert api.get("/metrics").status_code == 404
    assert api.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 404
    scraped = api.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert scraped.status_code == 200 and "smarterchat_http_requests_total" in scraped.text
    assert api.get("/readyz").json() == {"status": "ok"}
    detailed = api.get("/readyz", headers={"Authorization": "Bearer s3cret-token"}).json()
    assert detailed["checks"]["database"]["ok"] is True

    monkeypatch.setattr(ops, "get_settings", lambda: _production())  # no token set
    assert api.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_in_production_a_failed_readiness_check_tells_outsiders_nothing(api, monkeypatch):
    monkeypatch.setattr(ops, "get_settings", lambda: _production(metrics_token="t0ken"))

    def broken() -> dict:
        raise RuntimeError("password authentication failed for user smarterchat")
    monkeypatch.setitem(ops.CHECKS, "database", broken)
    answer = api.get("/readyz")
    assert answer.status_code == 503 and answer.json() == {"status": "unavailable"}
    inside = api.get("/readyz", headers={"Authorization": "Bearer t0ken"}).json()
    assert "password authentication failed" in inside["checks"]["database"]["error"]
