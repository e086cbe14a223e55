"""The FastAPI application mounted under Reflex (``api_transformer``).

Channel webhooks, the public REST API and the operations routes live here; Reflex
serves pages and its websocket behind it.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI

from smarterchat.backend import observability
from smarterchat.backend.api import (
    auth,
    errors,
    http_policy,
    inbox_media,
    members,
    ops,
    privacy,
    records,
    v1,
    webhooks,
)
from smarterchat.backend.api.v1.idempotency import IdempotencyMiddleware
from tasks import wiring


def create_api() -> FastAPI:
    wiring.connect_listeners()  # domain events become pushes to browsers and queued work
    api = FastAPI(title="SmarterChat API", version="1.0", docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    observability.install(api)  # request ids, JSON logs, metrics for every route
    errors.install(api)
    http_policy.install(api)  # security headers, one body limit, gzip for /api
    api.add_middleware(IdempotencyMiddleware)  # POSTs under /api/v1 with an Idempotency-Key
    # First: Meta's webhooks are the busiest route, and routes are matched in order.
    api.include_router(webhooks.router)
    api.include_router(ops.router)
    api.include_router(http_policy.router)
    api.include_router(auth.router)
    api.include_router(members.router)
    api.include_router(inbox_media.router)
    api.include_router(privacy.router)
    for router in v1.ROUTERS:  # the typed public API, ahead of the generic reads
        api.include_router(router)
    # Last, read-only: its /api/v1/{kind} paths serve the kinds no typed router has yet.
    api.include_router(records.router)
    # What start-up built lives as long as the process: moved out of the collector's
    # reach, it is not traversed again, which removed the webhook's 60-85 ms p99 spikes
    # (shared PERFORMANCE-NOTES).
    gc.collect()
    gc.freeze()
    return api
