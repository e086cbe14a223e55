"""The public API v1 with organisation keys: every typed route, two organisations that
never reach each other, refused keys, idempotent POSTs, rate limits and cursor pages."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from smarterchat.backend.api.app import create_api
from smarterchat.backend.db import reset
from smarterchat.backend.models import (
    ApiKey,
    Contact,
    Conversation,
    Lead,
    Message,
    PipelineStage,
    Team,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services import api_keys, idempotency, webhooks
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user

PROBLEM = "application/problem+json"


def _world(session, name):
    org = make_org(session, name)
    admin_user = make_user(session, org)
    admin = actor_for(session, admin_user, org)
    channel, contact, conversation, message = make_conversation(session, org)
    team = Team(organization_id=org.id, name="Vendas")
    session.add(team)
    session.commit()
    endpoint = webhooks.create_endpoint(session, admin, url="https://93.184.215.14/hook",
                                        events=["message.created"]).endpoint
    lead = make_lead(session, org, contact)
    second_stage = session.exec(select(PipelineStage).where(
        PipelineStage.pipeline_id == lead.pipeline_id, PipelineStage.position == 1)).one()
    keys = {scope: api_keys.create_key(session, admin, name=f"{scope} key",
                                       scopes=[scope]).secret
            for scope in ("read", "write", "admin")}
    ids = {"channel": channel.id, "contact": contact.id, "conversation": conversation.id,
           "message": message.id, "agent": channel.agent_id, "team": team.id,
           "webhook": endpoint.id, "admin": admin_user.id, "lead": lead.id,
           "stage": second_stage.id, "pipeline": lead.pipeline_id}
    return {"org": org, "admin": admin, "keys": keys, "ids": ids}


@pytest.fixture
def two(session):
    return _world(session, "Alpha"), _world(session, "Beta")


@pytest.fixture
def api(database):
    with TestClient(create_api()) as client:
        yield client


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


# Every read of one organisation's record, by path template.
READS = ["/api/v1/conversations/{conversation}", "/api/v1/conversations/{conversation}/messages",
         "/api/v1/contacts/{contact}", "/api/v1/channels/{channel}", "/api/v1/agents/{agent}",
         "/api/v1/agents/{agent}/knowledge", "/api/v1/webhooks/{webhook}",
         "/api/v1/webhooks/{webhook}/deliveries", "/api/v1/leads/{lead}",
         "/api/v1/analytics/dashboard?channel_id={channel}",
         "/api/v1/analytics/conversations.csv?team_id={team}"]
# Every change, with a body that would succeed on the caller's own record.
WRITES = [
    ("post", "/api/v1/conversations/{conversation}/messages", {"text": "Olá!"}),
    ("post", "/api/v1/conversations/{conversation}/handoff", None),
    ("post", "/api/v1/conversations/{conversation}/resolve", None),
    ("post", "/api/v1/conversations/{conversation}/reopen", None),
    ("post", "/api/v1/conversations/{conversation}/return-to-ai", None),
    ("put", "/api/v1/conversations/{conversation}/labels", {"labels": ["vip"]}),
    ("post", "/api/v1/conversations/{conversation}/assign-team", {"team_id": "{team}"}),
    ("post", "/api/v1/conversations/{conversation}/assign", {"user_id": "{admin}"}),
    ("post", "/api/v1/channels/{channel}/disable", None),
    ("post", "/api/v1/channels/{channel}/enable", None),
    ("post", "/api/v1/agents/{agent}/knowledge", {"question": "Entregam?", "answer": "Sim."}),
    ("patch", "/api/v1/webhooks/{webhook}", {"description": "ERP"}),
    ("patch", "/api/v1/leads/{lead}", {"value_cents": 150000, "fields": {"company": "Padaria"}}),
    ("post", "/api/v1/leads/{lead}/move", {"stage_id": "{stage}"}),
    ("post", "/api/v1/leads/{lead}/notes", {"text": "Ligar amanhã."}),
    ("put", "/api/v1/leads/{lead}/owner", {"owner_id": "{admin}"}),
    ("post", "/api/v1/webhooks/{webhook}/rotate-secret", None),
    ("post", "/api/v1/webhooks/{webhook}/redeliver", {"since": "2026-01-01T00:00:00Z",
                                                      "until": "2026-01-02T00:00:00Z"}),
]
LISTS = {"/api/v1/conversations": "conversation", "/api/v1/contacts": "contact",
         "/api/v1/channels": "channel", "/api/v1/agents": "agent", "/api/v1/teams": "team",
         "/api/v1/webhooks": "webhook", "/api/v1/leads": "lead", "/api/v1/pipelines": "pipeline"}


def _fill(template, ids):
    if isinstance(template, dict):
        return {k: _fill(v, ids) for k, v in template.items()}
    if isinstance(template, str):
        return template.format(**{k: str(v) for k, v in ids.items()})
    return template


def test_every_route_works_with_its_own_key_and_never_reaches_another_organisation(
        api, session, two):
    a, b = two
    key = _auth(a["keys"]["admin"])
    for path in READS:
        assert api.get(path.format(**a["ids"]), headers=key).status_code == 200, path
        foreign = api.get(path.format(**b["ids"]), headers=key)
        assert foreign.status_code == 404, path
        assert foreign.headers["content-type"] == PROBLEM and foreign.json()["code"] == "not_found"
    for path, kind in LISTS.items():
        listed = {item["id"] for item in api.get(path, headers=key).json()["data"]}
        assert str(a["ids"][kind]) in listed and str(b["ids"][kind]) not in listed, path
    before = _counts(session, b["org"].id)
    for method, path, body in WRITES:
        foreign = api.request(method, path.format(**b["ids"]), headers=key,
                              json=_fill(body, b["ids"]))
        assert foreign.status_code == 404, (path, foreign.text)
        own = api.request(method, path.format(**a["ids"]), headers=key,
                          json=_fill(body, a["ids"]))
        assert own.status_code < 300, (path, own.text)
    assert _counts(session, b["org"].id) == before


def _counts(session, org_id):
    rows = [session.exec(select(func.count()).select_from(model)
                         .where(model.organization_id == org_id)).one()
            for model in (Message, Conversation, Contact)]
    leads = session.exec(select(Lead.stage_id, Lead.value_cents, Lead.owner_id)
                         .where(Lead.organization_id == org_id)).all()
    statuses = session.exec(select(Conversation.status, Conversation.labels)
                            .where(Conversation.organization_id == org_id)).all()
    return rows, [(s, list(labels)) for s, labels in statuses], list(leads)


def test_a_message_sent_with_a_key_is_queued_and_written_as_the_key(api, session, two):
    a, _ = two
    sent = api.post(f"/api/v1/conversations/{a['ids']['conversation']}/messages",
                    headers=_auth(a["keys"]["write"]), json={"text": "Pedido enviado!"})
    assert sent.status_code == 201, sent.text
    message = session.get(Message, uuid.UUID(sent.json()["id"]))
    assert message.text == "Pedido enviado!" and message.direction == "outbound"
    page = api.get(f"/api/v1/conversations/{a['ids']['conversation']}/messages",
                   headers=_auth(a["keys"]["read"])).json()
    mine = next(m for m in page["data"] if m["id"] == sent.json()["id"])
    key_row = session.exec(select(ApiKey).where(ApiKey.name == "write key",
                                                ApiKey.organization_id == a["org"].id)).one()
    assert mine["author_user_id"] == str(key_row.user_id) and mine["author_kind"] == "consultant"
    # Its reply took the conversation from the AI, as a consultant's does, in the key's name.
    line = next(m for m in page["data"] if m["content_type"] == "event")
    assert "API: write key" in line["text"]
    conversation = api.get(f"/api/v1/conversations/{a['ids']['conversation']}",
                           headers=_auth(a["keys"]["read"])).json()
    assert conversation["status"] == "human"


def test_bad_revoked_expired_and_under_scoped_keys_are_refused(api, session, two):
    a, _ = two
    path = "/api/v1/conversations"
    for bad in ("sc_live_nothing", a["keys"]["read"][:-2] + "xx", "garbage"):
        refused = api.get(path, headers=_auth(bad))
        assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
        assert refused.headers["www-authenticate"] == "Bearer"
    assert api.get(path).json()["code"] == "not_authenticated"
    revocable = api_keys.create_key(session, a["admin"], name="Temp", scopes=["read"])
    assert api.get(path, headers=_auth(revocable.secret)).status_code == 200
    api_keys.revoke_key(session, a["admin"], revocable.key.id)
    assert api.get(path, headers=_auth(revocable.secret)).json()["code"] == "invalid_api_key"
    expiring = api_keys.create_key(session, a["admin"], name="Curta", scopes=["read"],
                                   expires_at=utcnow() + timedelta(hours=1))
    row = session.get(ApiKey, uuid.UUID(expiring.key.id))
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert api.get(path, headers=_auth(expiring.secret)).status_code == 401
    conversation = a["ids"]["conversation"]
    read_only = api.post(f"/api/v1/conversations/{conversation}/resolve",
                         headers=_auth(a["keys"]["read"]))
    assert read_only.status_code == 403 and read_only.json()["code"] == "forbidden"
    for method, admin_only in (("post", f"/api/v1/channels/{a['ids']['channel']}/disable"),
                               ("get", "/api/v1/webhooks"), ("get", "/api/v1/api-keys")):
        assert api.request(method, admin_only, headers=_auth(a["keys"]["write"])).status_code == 403
    assert session.get(Conversation, conversation).status == "bot"


def test_keys_are_shown_once_stored_hashed_and_listed_with_their_last_use(api, session, two):
    a, _ = two
    created = api.post("/api/v1/api-keys", headers=_auth(a["keys"]["admin"]),
                       json={"name": "Loja virtual", "scopes": ["read", "write"]})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("sc_live_")
    row = session.get(ApiKey, uuid.UUID(created.json()["key"]["id"]))
    assert secret not in (row.key_hash, row.prefix) and row.key_hash != secret
    api.get("/api/v1/contacts", headers=_auth(secret))
    listed = api.get("/api/v1/api-keys", headers=_auth(a["keys"]["admin"])).json()["data"]
    shown = next(k for k in listed if k["id"] == row.id.hex or k["id"] == str(row.id))
    assert shown["last_used_at"] is not None and "secret" not in shown
    assert secret.startswith(shown["prefix"]) and len(shown["prefix"]) < len(secret)
    refused = api.post("/api/v1/api-keys", headers=_auth(a["keys"]["admin"]),
                       json={"name": "Nada", "scopes": ["everything"]})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_input"


def test_an_idempotent_post_replays_conflicts_and_refuses_another_body(api, session, two):
    a, _ = two
    path = f"/api/v1/conversations/{a['ids']['conversation']}/messages"
    headers = {**_auth(a["keys"]["write"]), "Idempotency-Key": "pedido-42"}
    first = api.post(path, headers=headers, json={"text": "Seu pedido saiu."})
    again = api.post(path, headers=headers, json={"text": "Seu pedido saiu."})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    sent = session.exec(select(func.count()).select_from(Message)
                        .where(Message.text == "Seu pedido saiu.")).one()
    assert sent == 1
    other = api.post(path, headers=headers, json={"text": "Outra coisa"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert other.headers["content-type"] == PROBLEM
    # Another key's space is its own: the same Idempotency-Key there is a new request.
    elsewhere = api.post(path, headers={**_auth(a["keys"]["admin"]), "Idempotency-Key": "pedido-42"},
                         json={"text": "Outra coisa"})
    assert elsewhere.status_code == 201 and elsewhere.json() != first.json()
    # While a first request still runs, a retry is told so.
    caller = idempotency.caller_of(session, a["keys"]["write"])
    body = b'{"text":"Em andamento"}'
    digest = idempotency.request_hash("POST", path, "", body)
    idempotency.begin(session, caller, "running-1", digest)
    running = api.post(path, content=body, headers={**headers, "Idempotency-Key": "running-1",
                                                    "content-type": "application/json"})
    assert running.status_code == 409 and running.json()["code"] == "idempotency_key_in_use"


def test_a_refused_post_is_replayed_as_refused(api, two):
    a, _ = two
    path = f"/api/v1/conversations/{a['ids']['conversation']}/reopen"
    headers = {**_auth(a["keys"]["write"]), "Idempotency-Key": "reopen-1"}
    first = api.post(path, headers=headers)
    again = api.post(path, headers=headers)
    assert first.status_code == again.status_code == 409
    assert again.json()["code"] == "not_resolved" and again.headers["content-type"] == PROBLEM


@pytest.fixture(params=["memory", "redis"])
def small_limit(request, monkeypatch, database):
    if request.param == "redis":
        monkeypatch.setenv("SMARTERCHAT_REDIS_URL", request.getfixturevalue("redis_url"))
    monkeypatch.setenv("SMARTERCHAT_API_RATE_LIMIT", "3")
    reset()
    yield 3
    monkeypatch.delenv("SMARTERCHAT_API_RATE_LIMIT")
    monkeypatch.delenv("SMARTERCHAT_REDIS_URL", raising=False)
    reset()


def test_each_key_has_its_rate_limit_with_the_ietf_headers(small_limit, api, two):
    a, _ = two
    answers = [api.get("/api/v1/contacts", headers=_auth(a["keys"]["read"])) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert answers[0].headers["ratelimit-policy"] == '"default";q=3;w=60'
    assert answers[0].headers["ratelimit"].startswith('"default";r=2;t=')
    assert answers[2].headers["ratelimit"].startswith('"default";r=0;t=')
    limited = answers[3]
    assert limited.json()["code"] == "rate_limited" and limited.headers["content-type"] == PROBLEM
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.headers["ratelimit"].startswith('"default";r=0;')
    # Another key of the same organisation counts on its own.
    assert api.get("/api/v1/contacts", headers=_auth(a["keys"]["write"])).status_code == 200


def test_cursor_pages_have_no_gaps_or_repeats_while_rows_are_inserted(api, session, two):
    a, b = two
    org, channel = a["org"], a["ids"]["channel"]
    base = utcnow() - timedelta(hours=1)

    def add_contacts(n, start):
        rows = [Contact(organization_id=org.id, channel_id=channel, external_id=f"c{start + i}",
                        created_at=base + timedelta(seconds=(start + i) // 2))  # ties too
                for i in range(n)]
        session.add_all(rows)
        session.commit()
        return {str(r.id) for r in rows}

    existing = add_contacts(25, 0) | {str(a["ids"]["contact"])}
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 7, **({"starting_after": cursor} if cursor else {})}
        page = api.get("/api/v1/contacts", params=params, headers=_auth(a["keys"]["read"])).json()
        seen += [c["id"] for c in page["data"]]
        pages += 1
        add_contacts(3, 1000 + pages * 3)  # newer rows arrive while the caller pages
        if not page["has_more"]:
            break
        cursor = page["data"][-1]["id"]
    assert len(seen) == len(set(seen)) and set(seen) == existing and pages == 4
    twice = api.get("/api/v1/contacts?email=a@example.com&email=b@example.com",
                    headers=_auth(a["keys"]["read"]))
    assert twice.status_code == 422 and twice.json()["code"] == "invalid_filter"
    foreign = api.get("/api/v1/contacts", params={"starting_after": str(b["ids"]["contact"])},
                      headers=_auth(a["keys"]["read"]))
    assert foreign.status_code == 404 and foreign.json()["code"] == "invalid_cursor"


def test_the_openapi_document_types_and_documents_every_public_route(api):
    document = api.get("/api/openapi.json").json()
    operations = [(path, method, op) for path, item in document["paths"].items()
                  for method, op in item.items()
                  if path.startswith("/api/v1/") and "{kind}" not in path
                  and not path.startswith(("/api/v1/auth", "/api/v1/members"))
                  and not path.endswith(("/export", "/erase"))]  # LGPD routes: platform's
    assert len(operations) >= 30
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)) and all(i[0].islower() and "_" not in i for i in ids)
    for path, method, op in operations:
        assert {"400", "401", "403", "422", "429"} <= set(op["responses"]), (method, path)
        ok = next(code for code in op["responses"] if code.startswith("2"))
        if path.endswith(".csv"):
            assert list(op["responses"][ok]["content"]) == ["text/csv"], path
            continue
        schema = op["responses"][ok]["content"]["application/json"]["schema"]
        assert schema.get("$ref") or schema.get("properties"), (method, path)
        if "{" in path:
            assert "404" in op["responses"], (method, path)


def test_leads_are_created_noted_merged_and_undone_only_within_the_keys_organisation(
        api, session, two):
    a, b = two
    write, read = _auth(a["keys"]["write"]), _auth(a["keys"]["read"])
    before = _counts(session, b["org"].id)
    body = {"channel_id": str(a["ids"]["channel"]), "name": "Padaria Sol",
            "phone": "+5511988887777", "company": "Padaria", "value_cents": 90000}
    assert api.post("/api/v1/leads", headers=read, json=body).status_code == 403
    foreign = api.post("/api/v1/leads", headers=write,
                       json={**body, "channel_id": str(b["ids"]["channel"])})
    assert foreign.status_code == 404 and foreign.headers["content-type"] == PROBLEM
    retry = {**write, "Idempotency-Key": "lead-1"}
    created = api.post("/api/v1/leads", headers=retry, json=body)
    again = api.post("/api/v1/leads", headers=retry, json=body)
    assert created.status_code == again.status_code == 201, created.text
    assert again.json() == created.json() and again.headers["idempotent-replayed"] == "true"
    lead = created.json()
    assert lead["fields"]["company"] == "Padaria" and lead["value_cents"] == 90000
    assert session.exec(select(func.count()).select_from(Contact)
                        .where(Contact.external_id == "5511988887777")).one() == 1
    twice = api.post("/api/v1/leads", headers=write, json=body)
    assert twice.status_code == 409 and twice.json()["code"] == "lead_exists"
    note = f"/api/v1/leads/{lead['id']}/notes"
    assert api.post(note, headers=read, json={"text": "Ligar."}).status_code == 403
    assert api.post(note, headers=write, json={"text": "Ligar."}).status_code == 201
    # Merging: read keys may not, another organisation's lead does not exist.
    kept = str(a["ids"]["lead"])
    merge = {"kept_id": kept, "other_id": lead["id"]}
    assert api.post("/api/v1/lead-merges", headers=read, json=merge).status_code == 403
    assert api.post("/api/v1/lead-merges", headers=write, json={
        "kept_id": kept, "other_id": str(b["ids"]["lead"])}).status_code == 404
    merged = api.post("/api/v1/lead-merges", headers=write, json=merge)
    assert merged.status_code == 201, merged.text
    listed = {item["id"] for item in api.get("/api/v1/leads", headers=write).json()["data"]}
    assert lead["id"] not in listed and kept in listed
    assert api.get(f"/api/v1/leads/{kept}", headers=write).json()["fields"]["company"] == "Padaria"
    undo = f"/api/v1/lead-merges/{merged.json()['id']}/undo"
    assert api.post(undo, headers=_auth(b["keys"]["admin"])).status_code == 404
    assert api.post(undo, headers=read).status_code == 403
    assert api.post(undo, headers=write).status_code == 200
    assert api.post(undo, headers=write).json()["code"] == "merge_already_undone"
    assert "company" not in api.get(f"/api/v1/leads/{kept}", headers=write).json()["fields"]
    suggestions = api.get("/api/v1/lead-merges/suggestions",
                          headers=_auth(b["keys"]["admin"])).json()["data"]
    assert not {s["other_id"] for s in suggestions} & {lead["id"], kept}
    assert _counts(session, b["org"].id) == before


def test_analytics_figures_and_csv_count_only_the_keys_organisation(api, two):
    a, b = two
    key = _auth(a["keys"]["read"])
    figures = api.get("/api/v1/analytics/dashboard", headers=key)
    assert figures.status_code == 200, figures.text
    assert figures.json()["own_only"] is False and figures.json()["cards"]
    custom = api.get("/api/v1/analytics/dashboard", headers=key, params={
        "period": "custom", "start": "2026-03-10", "end": "2026-03-01",
        "business_hours_only": "true"}).json()["period"]
    assert (custom["first_day"], custom["last_day"]) == ("2026-03-01", "2026-03-10")
    csv = api.get("/api/v1/analytics/conversations.csv", headers=key)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert str(a["ids"]["conversation"]) in csv.text
    assert str(b["ids"]["conversation"]) not in csv.text
    for name in ("channel_id", "agent_id", "team_id", "consultant_id"):
        foreign = api.get("/api/v1/analytics/dashboard", headers=key,
                          params={name: str(b["ids"][name.removesuffix("_id").replace(
                              "consultant", "admin")])})
        assert foreign.status_code == 404, name
    assert api.get("/api/v1/analytics/dashboard", headers=key,
                   params={"period": "year"}).json()["code"] == "invalid_input"
