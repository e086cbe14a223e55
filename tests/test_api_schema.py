"""schemathesis against the public API's OpenAPI document, with all its checks, on
PostgreSQL: no server error, no answer outside its schema, no undocumented status code,
no valid request refused. Bounded by a few examples per operation to keep the suite fast.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in requirements-dev.txt")

from hypothesis import HealthCheck, settings  # noqa: E402 - after the skip above

from smarterchat.backend.api.app import create_api  # noqa: E402
from tests.factories import actor_for, make_conversation, make_org, make_user  # noqa: E402
from tests.support import truncate_all, use_database  # noqa: E402

app = create_api()
# The typed public API. Left out: the generic read-only /{kind} routes (untyped by design)
# and the older members routes, whose password and e-mail rules are not in their schema yet.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", app).include(
    path_regex=r"^/api/v1/(conversations|contacts|leads|pipelines|channels|agents|knowledge"
               r"|members$|teams|webhooks|api-keys|lead-merges|analytics)").exclude(
    path="/api/v1/members", method="POST").exclude(
    path_regex=r"/(export|erase)$")  # the LGPD routes (platform's), not typed as the rest yet


@pytest.fixture(scope="module")
def api_key(request, postgresql_url):
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.services import api_keys

    use_database(postgresql_url)
    truncate_all()
    with session_scope() as session:
        org = make_org(session, "Esquema")
        admin = actor_for(session, make_user(session, org), org)
        make_conversation(session, org)
        secret = api_keys.create_key(session, admin, name="schemathesis", scopes=["admin"]).secret
    yield secret
    truncate_all()


@pytest.fixture(autouse=True)
def fuzzing_settings(monkeypatch):
    from smarterchat.backend.config import get_settings

    monkeypatch.setenv("SMARTERCHAT_API_RATE_LIMIT", "1000000")
    # Generated webhook URLs name hosts that do not resolve; whether an address is private
    # is the network's answer, tested in test_webhooks_out, not the schema's.
    monkeypatch.setenv("SMARTERCHAT_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_public_api_keeps_its_openapi_contract(case, api_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"})
