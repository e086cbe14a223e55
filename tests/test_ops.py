"""Operations routes and the request middleware, through the real API application."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys

import pytest
from fastapi import APIRouter, FastAPI, Request, WebSocket
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.routing import Route

from smarterchat.backend import db, observability
from smarterchat.backend.api.app import create_api
from smarterchat.backend.config import Settings
from tasks.health import health_check


@pytest.fixture
def client():
    return TestClient(create_api())


@pytest.fixture
def log_lines():
    """Everything the app logs during the test, one parsed JSON object per line."""
    stream = io.StringIO()
    observability.configure_logging(Settings(log_json=True, log_level="INFO"), stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    observability.configure_logging()


def _use_redis(url: str | None) -> None:
    if url:
        os.environ["SMARTERCHAT_REDIS_URL"] = url
    else:
        os.environ.pop("SMARTERCHAT_REDIS_URL", None)
    db.reset()  # settings are cached: make the next request read the environment again


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _counter(client: TestClient, route: str, status: str = "200") -> float:
    text = client.get("/metrics").text
    for family in text_string_to_metric_families(text):
        if family.name == "smarterchat_http_requests":
            for sample in family.samples:
                labels = sample.labels
                if (sample.name.endswith("_total") and labels["route"] == route
                        and labels["status"] == status and labels["method"] == "GET"):
                    return sample.value
    return 0.0


def _app_with_middleware() -> FastAPI:
    app = FastAPI()
    app.add_middleware(observability.RequestContextMiddleware)

    @app.get("/orders/{order_id}")
    def order(order_id: int) -> dict:
        logging.getLogger("smarterchat.test").info("looking up", extra={"order_id": order_id})
        return {"id": order_id}

    shop = APIRouter(prefix="/shop")

    @shop.get("/items/{item_id}")
    def item(item_id: int) -> dict:
        return {"id": item_id}

    app.include_router(shop)

    async def name_page(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.path_params["name"])

    app.mount("/files", Starlette(routes=[Route("/{name}", name_page)]))  # a mounted sub-app
    app.mount("/raw", PlainTextResponse("static"))  # a bare ASGI app, like static files

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(str(observability.current_request_id()))
        await websocket.close()

    return app


# ---------------------------------------------------------------- health and readiness

def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_queue(client, database):
    before = client.get("/readyz").json()["checks"]["queue"]["pending"]
    queued = health_check()  # no consumer runs in this process: the task stays queued
    try:
        response = client.get("/readyz")
    finally:
        queued.revoke()  # a consumer started by a later test skips it

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"]
    assert body["checks"]["database"]["backend"] == database  # sqlite / postgresql
    assert body["checks"]["queue"]["ok"]
    assert body["checks"]["queue"]["backend"] == "SqliteHuey"  # the embedded default
    assert body["checks"]["queue"]["pending"] == before + 1
    redis_check = body["checks"]["redis"]
    assert set(redis_check) == {"ok", "configured", "ms"}
    assert redis_check["ok"] is True and redis_check["configured"] is False
    assert isinstance(redis_check["ms"], float)


def test_readyz_pings_redis_when_configured(client, redis_url):
    _use_redis(redis_url)
    try:
        response = client.get("/readyz")
    finally:
        _use_redis(None)

    assert response.status_code == 200, response.text
    assert response.json()["checks"]["redis"]["configured"] is True


def test_readyz_is_503_naming_redis_when_redis_is_unreachable(client, closed_port, log_lines):
    _use_redis(f"redis://127.0.0.1:{closed_port}/0")
    try:
        response = client.get("/readyz")
    finally:
        _use_redis(None)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["redis"]
    assert "ConnectionError" in body["checks"]["redis"]["error"]
    assert body["checks"]["database"]["ok"]
    warning = next(line for line in log_lines() if line["message"] == "not ready")
    assert warning["level"] == "WARNING"
    assert warning["failed"] == ["redis"]
    assert warning["request_id"] == response.headers["x-request-id"]


def test_readyz_is_503_naming_the_database_when_it_is_unreachable(client, closed_port):
    previous = os.environ.get("SMARTERCHAT_DATABASE_URL")
    os.environ["SMARTERCHAT_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{closed_port}/x"
    db.reset()
    try:
        response = client.get("/readyz")
    finally:
        if previous is None:
            os.environ.pop("SMARTERCHAT_DATABASE_URL")
        else:
            os.environ["SMARTERCHAT_DATABASE_URL"] = previous
        db.reset()

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


# ---------------------------------------------------------------- request ids

def test_request_id_from_the_caller_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.2024:01"})

    assert response.headers["x-request-id"] == "lb-7f3a.2024:01"


def test_request_id_is_generated_when_missing(client):
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]

    assert re.fullmatch(r"[0-9a-f]{32}", first), first
    assert first != second


@pytest.mark.parametrize("unsafe", ["has spaces", "x" * 65, "<script>", "a\tb", "-leading-dash"])
def test_unsafe_request_ids_are_replaced(client, unsafe):
    returned = client.get("/healthz", headers={"X-Request-ID": unsafe}).headers["x-request-id"]

    assert returned != unsafe
    assert len(returned) == 32


def test_logs_are_json_lines_carrying_the_request_id_and_extras(log_lines):
    client = TestClient(_app_with_middleware())

    response = client.get("/orders/42", headers={"X-Request-ID": "req-42"})

    assert response.status_code == 200
    line = next(line for line in log_lines() if line["message"] == "looking up")
    assert line["request_id"] == "req-42"
    assert line["order_id"] == 42
    assert line["level"] == "INFO"
    assert line["logger"] == "smarterchat.test"
    assert line["time"].endswith("+00:00")


def test_unhandled_errors_answer_500_with_the_request_id_and_are_logged(log_lines):
    client = TestClient(_app_with_middleware(), raise_server_exceptions=False)

    response = client.get("/boom", headers={"X-Request-ID": "req-boom"})

    assert response.status_code == 500
    assert response.headers["x-request-id"] == "req-boom"
    assert response.json()["error"]["code"] == "internal_error"
    error = next(line for line in log_lines() if line["message"] == "unhandled error")
    assert error["request_id"] == "req-boom"
    assert "RuntimeError: kaboom" in error["exc_info"]


def test_websockets_pass_through_untouched():
    client = TestClient(_app_with_middleware())

    with client.websocket_connect("/ws") as ws:
        assert ws.receive_text() == "None"  # no request id, no HTTP bookkeeping


def test_text_logs_when_json_is_off():
    stream = io.StringIO()
    observability.configure_logging(Settings(log_json=False), stream=stream)
    try:
        logging.getLogger("smarterchat.test").warning("plain")
    finally:
        observability.configure_logging()

    assert stream.getvalue().rstrip().endswith("WARNING smarterchat.test [None] plain")


# ---------------------------------------------------------------- metrics

def test_metrics_count_requests_by_route_template_not_raw_path():
    client = TestClient(_app_with_middleware())
    api = TestClient(create_api())
    before = _counter(api, "/orders/{order_id}")

    before_prefixed = _counter(api, "/shop/items/{item_id}")

    client.get("/orders/1")
    client.get("/orders/2")
    client.get("/shop/items/3")

    text = api.get("/metrics").text
    assert _counter(api, "/orders/{order_id}") == before + 2
    assert _counter(api, "/shop/items/{item_id}") == before_prefixed + 1
    assert 'route="/orders/1"' not in text
    assert "smarterchat_http_request_duration_seconds_bucket" in text


def test_mounted_apps_are_labelled_by_their_templates():
    client = TestClient(_app_with_middleware())
    api = TestClient(create_api())
    before_sub = _counter(api, "/files/{name}")
    before_raw = _counter(api, "/raw/{path}")

    assert client.get("/files/report-1.pdf").text == "report-1.pdf"
    assert client.get("/raw/app-3f2a.js").text == "static"

    assert _counter(api, "/files/{name}") == before_sub + 1
    assert _counter(api, "/raw/{path}") == before_raw + 1


def test_metrics_endpoint_serves_prometheus_text(client):
    before = _counter(client, "/healthz")
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert _counter(client, "/healthz") == before + 1
    assert "smarterchat_http_request_duration_seconds_count" in response.text


def test_unmatched_paths_share_one_series(client):
    before = _counter(client, "unmatched", "404")
    client.get("/no/such/page/123")
    client.get("/no/such/page/456")

    text = client.get("/metrics").text
    assert "/no/such/page" not in text
    assert _counter(client, "unmatched", "404") == before + 2


def test_ops_routes_do_not_shadow_reflex_endpoints(client):
    # Reflex is mounted behind this API: whatever the API does not answer reaches Reflex.
    for path in ("/ping", "/_health", "/_event"):
        assert client.get(path).status_code == 404


_WORKER = """
import sys
from fastapi.testclient import TestClient
from smarterchat.backend.api.app import create_api
client = TestClient(create_api())
for _ in range(int(sys.argv[1])):
    client.get("/healthz")
if sys.argv[2] == "report":
    print(client.get("/metrics").text)
"""


def test_metrics_add_up_every_worker_process_in_multiprocess_mode(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def worker(requests: int, report: str) -> str:
        done = subprocess.run([sys.executable, "-c", _WORKER, str(requests), report], env=env,
                              capture_output=True, text=True, timeout=60, check=True)
        return done.stdout

    worker(2, "quiet")
    text = worker(1, "report")

    healthz = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "smarterchat_http_requests_total" and sample.labels["route"] == "/healthz"
    ]
    assert healthz == [3.0]

