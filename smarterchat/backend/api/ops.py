"""Operations routes: liveness, readiness and Prometheus metrics.

Reflex owns ``/ping``, ``/_health`` and ``/_event``; these names do not collide.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

import tasks
from smarterchat.backend import redis_clients
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import get_engine
from smarterchat.backend.observability import metrics_payload

logger = logging.getLogger(__name__)

router = APIRouter(tags=["operations"])

# A check slower than this counts as failed: a load balancer must not wait on us.
CHECK_TIMEOUT_SECONDS = 3.0


def _check_database() -> dict[str, Any]:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"backend": get_engine().dialect.name}


def _check_redis() -> dict[str, Any]:
    url = get_settings().redis_url
    if not url:
        return {"configured": False}
    client = redis_clients.sync_client(url, timeout=CHECK_TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()
    return {"configured": True}


def _check_queue() -> dict[str, Any]:
    return {"backend": type(tasks.huey).__name__, "pending": tasks.huey.pending_count()}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _check_database,
    "redis": _check_redis,
    "queue": _check_queue,
}


async def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        # Blocking clients run in threads, all checks at once, each with a deadline.
        result = await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT_SECONDS)
        result = {"ok": True, **result}
    except TimeoutError:
        result = {"ok": False, "error": f"no answer within {CHECK_TIMEOUT_SECONDS:g} s"}
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; caller gets why
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process answers. Touches nothing else, so a database outage
    does not make the orchestrator restart healthy app instances."""
    return {"status": "ok"}


def _operator(request: Request) -> bool:
    """Whether the caller may see operational details: anyone in development; in
    production whoever presents SMARTERCHAT_METRICS_TOKEN as a bearer token."""
    settings = get_settings()
    if not settings.is_production:
        return True
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    given = request.headers.get("authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Readiness: the database, Redis (when configured) and the task queue answer. An
    outsider in production learns only ok / not ok; the details go to the log."""
    results = await asyncio.gather(*(_run(check) for check in CHECKS.values()))
    checks = dict(zip(CHECKS, results, strict=True))
    failed = [name for name, result in checks.items() if not result["ok"]]
    detailed = _operator(request)
    if failed:
        logger.warning("not ready", extra={"failed": failed, "checks": checks})
        body: dict[str, Any] = {"status": "unavailable"}
        if detailed:
            body.update(failed=failed, checks=checks)
        return JSONResponse(body, status_code=503)
    return JSONResponse({"status": "ok", "checks": checks} if detailed else {"status": "ok"})


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics; in production only with the metrics token (404 to others, as
    if there were nothing here)."""
    if not _operator(request):
        return Response(b"Not Found", status_code=404, media_type="text/plain")
    payload, content_type = metrics_payload()
    return Response(payload, media_type=content_type)
