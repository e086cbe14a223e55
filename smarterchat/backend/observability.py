"""Logs, request ids and metrics: what operations needs to see inside a running app.

- Logging: one JSON object per line (time, level, logger, message, request_id and any
  ``extra=`` fields), or plain text when ``SMARTERCHAT_LOG_JSON=false``.
- ``RequestContextMiddleware``: pure ASGI, HTTP only. Takes a well-formed incoming
  ``X-Request-ID`` or makes one, exposes it to every log line of the request and
  returns it in the response; counts requests and their latency by route template.

Over 300 lines because logs, request metrics and the operations collector share one
registry and the request id; each piece is small.
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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
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
    register_operations_metrics()
    api.add_middleware(RequestContextMiddleware)


# ---------------------------------------------------------------- operations metrics
# What the alert rules in deploy/prometheus watch. Counters and histograms are observed where
# the thing happens (a worker process serves them on SMARTERCHAT_WORKER_METRICS_PORT); the
# gauges are read at scrape time from Redis and the database by each app instance, so every
# instance reports the same queue: alert on max(), never sum().

AI_LATENCY = Histogram(
    "smarterchat_ai_request_duration_seconds",
    "Time the model took to answer one call, by call kind (text, json, embed).",
    ["kind"], buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64),
)
AI_ERRORS = Counter(
    "smarterchat_ai_errors", "Model calls that failed after the client's retries, by kind.",
    ["kind"],
)
AI_BUDGET_EXHAUSTED = Counter(
    "smarterchat_ai_budget_exhausted",
    "AI turns not answered because the organisation's monthly AI budget is spent.",
)
OUTBOUND_FAILURES = Counter(
    "smarterchat_outbound_send_failures",
    "Outbound messages given up on, by reason (the provider's error code, channel_disabled, "
    "send_failed).",
    ["reason"],
)
HUMAN_REPLIES = Counter(
    "smarterchat_human_replies",
    "Consultants' replies to a waiting customer, by whether the customer had waited within "
    "the organisation's first-response target (within_target: true, false).",
    ["within_target"],
)
# The huey task ids waiting in the queue, with the time each was enqueued (a sorted set).
QUEUE_ENQUEUED_KEY = "smarterchat:queue:enqueued"


def _redis_of(huey: Any) -> Any:
    from huey.storage import RedisStorage

    storage = getattr(huey, "storage", None)
    return storage.conn if isinstance(storage, RedisStorage) else None


@contextmanager
def ai_call(kind: str) -> Iterator[None]:
    """Time one model call and count it as an error when it raises."""
    started = time.perf_counter()
    try:
        yield
    except Exception:
        AI_ERRORS.labels(kind).inc()
        raise
    finally:
        AI_LATENCY.labels(kind).observe(time.perf_counter() - started)


def track_queue(huey: Any) -> None:
    """Remember when each task was due until a worker starts it, so the age of the oldest
    waiting task can be measured (huey's messages carry no time). One ZADD per enqueue,
    one ZREM per start; on a queue without Redis it does nothing."""
    from huey import signals

    connection = _redis_of(huey)
    if connection is None:
        return

    def _enqueued(signal: str, task: Any, *args: Any) -> None:
        # A task with an eta (a retry's delay, the AI's pause) is not late before it is due.
        due = task.eta.replace(tzinfo=UTC).timestamp() if task.eta else time.time()
        try:
            connection.zadd(QUEUE_ENQUEUED_KEY, {task.id: due})
        except Exception:  # noqa: BLE001 - a metric never stops a task from being queued
            logging.getLogger(__name__).debug("could not record an enqueue", exc_info=True)

    def _started(signal: str, task: Any, *args: Any) -> None:
        try:
            connection.zrem(QUEUE_ENQUEUED_KEY, task.id)
        except Exception:  # noqa: BLE001
            logging.getLogger(__name__).debug("could not record a start", exc_info=True)

    huey.signal(signals.SIGNAL_ENQUEUED)(_enqueued)
    huey.signal(signals.SIGNAL_EXECUTING, signals.SIGNAL_REVOKED, signals.SIGNAL_EXPIRED)(_started)


class OperationsCollector:
    """Queue depth and age, webhook ingest lag and WAL archiving, read at scrape time."""

    def __init__(self, huey: Any = None) -> None:
        self.huey = huey  # None: the app's own queue (tasks.huey), imported when scraped

    def describe(self) -> list[Any]:
        return []  # computed on collect; nothing to register up front

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        yield from self._queue(GaugeMetricFamily)
        yield from self._database(GaugeMetricFamily)

    def _queue(self, gauge: Any) -> Iterator[Any]:
        try:
            huey = self.huey
            if huey is None:
                import tasks

                huey = tasks.huey
            depth = huey.pending_count()
            connection = _redis_of(huey)
            oldest = connection.zrange(QUEUE_ENQUEUED_KEY, 0, 0, withscores=True) \
                if connection is not None else []
        except Exception:  # noqa: BLE001 - a missing series is what the absent() alert sees
            logging.getLogger(__name__).warning("queue metrics unavailable", exc_info=True)
            return
        yield gauge("smarterchat_queue_depth", "Tasks waiting in the queue.", value=depth)
        age = max(0.0, time.time() - oldest[0][1]) if oldest else 0.0
        yield gauge("smarterchat_queue_oldest_task_age_seconds",
                    "How long the oldest task not yet started has waited (0: none waits).",
                    value=age)

    def _database(self, gauge: Any) -> Iterator[Any]:
        from sqlalchemy import text

        from smarterchat.backend.db import get_engine

        try:
            engine = get_engine()
            with engine.connect() as conn:
                # The index on (status, received_at) answers this without a scan.
                oldest, pending = conn.execute(text(
                    "SELECT min(received_at), count(*) FROM inbound_event "
                    "WHERE status = 'pending'")).one()
                archived = None
                waiting_late, longest_late = _customers_over_target(conn)
                if engine.dialect.name == "postgresql":
                    archived = conn.execute(text(
                        "SELECT extract(epoch FROM last_archived_time), failed_count "
                        "FROM pg_stat_archiver")).one()
        except Exception:  # noqa: BLE001
            logging.getLogger(__name__).warning("database metrics unavailable", exc_info=True)
            return
        if isinstance(oldest, str):  # SQLite hands timestamps back as text
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        lag = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
        yield gauge("smarterchat_webhook_ingest_lag_seconds",
                    "Age of the oldest stored webhook not yet processed (0: none waits).",
                    value=max(0.0, lag))
        yield gauge("smarterchat_webhook_pending_events", "Stored webhooks not yet processed.",
                    value=pending)
        yield gauge("smarterchat_customers_waiting_over_target",
                    "Customers waiting for a person (queued, or their message unanswered by "
                    "the consultant who has them) longer than their organisation's "
                    "first-response target.", value=waiting_late)
        yield gauge("smarterchat_customer_wait_over_target_seconds",
                    "How far past its organisation's target the longest such wait is.",
                    value=longest_late)
        if archived is not None:
            last, failed = archived
            if last is not None:
                yield gauge("smarterchat_wal_last_archived_timestamp_seconds",
                            "When PostgreSQL last archived a WAL segment (pgBackRest).",
                            value=float(last))
            yield gauge("smarterchat_wal_archive_failures",
                        "WAL segments PostgreSQL failed to archive since its statistics reset.",
                        value=failed)


def _customers_over_target(conn: Any) -> tuple[int, float]:
    from sqlmodel import Session

    from smarterchat.backend.services import response_targets

    with Session(bind=conn) as session:
        return response_targets.over_target_now(session)


def _websocket_clients() -> float:
    # Only the app process has the Reflex app loaded; a worker reports nothing here.
    module = sys.modules.get("smarterchat.smarterchat")
    namespace = getattr(getattr(module, "app", None), "event_namespace", None)
    return float(len(getattr(namespace, "sid_to_token", ()) or ()))


WEBSOCKET_CLIENTS = Gauge(
    "smarterchat_websocket_clients", "Browsers connected to this process's /_event websocket.")
WEBSOCKET_CLIENTS.set_function(_websocket_clients)
_operations_registered = False


def register_operations_metrics() -> None:
    """Add the scrape-time gauges to the default registry (once; the app calls it)."""
    global _operations_registered
    if not _operations_registered:
        REGISTRY.register(OperationsCollector())
        _operations_registered = True


def serve_worker_metrics(port: int) -> None:
    """A worker has no HTTP server of its own: give its counters one (once per process)."""
    from prometheus_client import start_http_server

    global _worker_metrics_started
    if not _worker_metrics_started:
        start_http_server(port)
        _worker_metrics_started = True


_worker_metrics_started = False
