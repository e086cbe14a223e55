"""Logs, request ids and metrics: what operations needs to see inside a running app.

- Logging: one JSON object per line (time, level, logger, message, request_id and any
  ``extra=`` fields), or plain text when ``SMARTERCHAT_LOG_JSON=false``.
- ``RequestContextMiddleware``: pure ASGI, HTTP only. Takes a well-formed incoming
  ``X-Request-ID`` or makes one, exposes it to every log line of the request and
  returns it in the response; counts requests and their latency by route template.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smarterchat.backend.config import Settings, get_settings

REQUEST_ID_HEADER = "x-request-id"
# Accept ids from proxies and clients only when short and made of safe characters:
# they end up in logs and response headers.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,63}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


# ---------------------------------------------------------------- logging

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "request_id", "taskName", "color_message",
}


class RequestIdFilter(logging.Filter):
    """Stamps the current request id on each record (an explicit ``extra=`` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.stack_info:
            entry["stack_info"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


_TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


def configure_logging(settings: Settings | None = None, stream: IO[str] | None = None) -> None:
    """Install the project's handler on the root logger (idempotent: replaces its own)."""
    settings = settings or get_settings()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "smarterchat", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.smarterchat = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if settings.log_json else logging.Formatter(_TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())


# ---------------------------------------------------------------- metrics

REQUESTS = Counter(
    "smarterchat_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "smarterchat_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
)

# Anything else a client sends as a method is one label value, so it cannot grow the series.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(scope: Scope) -> str:
    """The matched route's template (``/api/v1/items/{id}``), never the raw path."""
    # Mounts add their prefix to root_path (app_root_path keeps the server's own).
    root_path: str = scope.get("root_path", "")
    prefix = root_path[len(scope.get("app_root_path", root_path)) :]
    route = scope.get("route")
    if route is None:
        # FastAPI does not record a Mount it hands a bare ASGI app (static files) to.
        return prefix + "/{path}" if prefix else "unmatched"
    if isinstance(route, Mount):
        # Pages and static files below a mount (Reflex's frontend): one series for them all.
        return prefix + "/{path}"
    return prefix + str(getattr(route, "path_format", None) or getattr(route, "path", "")) or "/"


def metrics_payload() -> tuple[bytes, str]:
    """The Prometheus exposition; merges every worker's files in multi-process mode."""
    # prometheus_client's own switch: set it when one instance runs several worker processes.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated upstream
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


# ---------------------------------------------------------------- middleware

_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _children(method: str, route: str, status: int) -> tuple[Any, Any]:
    """The request's metric children, looked up once per series: ``labels()`` costs a
    lock and a tuple build, on every request of the webhook's hot path."""
    key = (method, route, status)
    found = _series.get(key)
    if found is None:
        found = _series[key] = (REQUESTS.labels(method, route, str(status)),
                                LATENCY.labels(method, route, str(status)))
    return found


access_log = logging.getLogger("smarterchat.http")


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _VALID_REQUEST_ID.fullmatch(candidate) else None
    return None


async def _send_internal_error(send: Send, header: tuple[bytes, bytes]) -> None:
    body = b'{"error":{"code":"internal_error","message":"Internal server error"}}'
    await send({
        "type": "http.response.start",
        "status": 500,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()), header],
    })
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Request id, metrics and error logging for HTTP; websockets and lifespan pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        token = _request_id.set(request_id)
        header = (REQUEST_ID_HEADER.encode(), request_id.encode())
        status = 500
        response_started = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = [h for h in message.get("headers", ()) if h[0].lower() != header[0]]
                headers.append(header)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            status = 500
            access_log.exception(
                "unhandled error", extra={"method": scope["method"], "path": scope["path"]}
            )
            if not response_started:
                # Answer here so the client gets the request id to quote; re-raised so the
                # server (and TestClient) still see the error.
                await _send_internal_error(send, header)
            raise
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            route = route_template(scope)
            counter, histogram = _children(method, route, status)
            counter.inc()
            histogram.observe(elapsed)
            if access_log.isEnabledFor(logging.DEBUG):
                access_log.debug(
                    "request",
                    extra={"method": method, "route": route, "status": status,
                           "duration_ms": round(elapsed * 1000, 2)},
                )
            _request_id.reset(token)


def install(api: FastAPI, settings: Settings | None = None) -> None:
    """Configure logging and add the request middleware to the API (and all it mounts)."""
    configure_logging(settings)
    api.add_middleware(RequestContextMiddleware)
