"""What every HTTP answer carries, and what every request may send.

Security headers on pages and API alike (pages reach the browser through this app when
it serves them, through nginx's same headers behind it: deploy/nginx/smarterchat.conf);
only the web chat page may be framed, by the origins its channel allows. One body limit
for every JSON or form route. Gzip for the API's answers (pages are compressed already).

The Content-Security-Policy is what Reflex's pages need and no more:
- ``script-src 'unsafe-inline'``: the exported pages bootstrap React Router with inline
  ``<script>`` blocks whose content changes with every build, so neither a nonce (the
  pages are static files) nor a fixed hash fits; scripts still come only from this origin.
  ``'unsafe-eval'``: Reflex runs ``rx.call_script`` (the inbox's notifications, reading the
  browser's time zone) through ``eval`` in its event loop (``applyEvent``); without it those
  events fail with an EvalError (seen in tests/test_browser_csp.py).
- ``style-src 'unsafe-inline'``: Radix Themes and Emotion write ``style`` attributes and
  ``<style>`` tags at run time.
- ``connect-src 'self'`` covers the ``/_event`` websocket (same origin, ws: or wss:).
- ``img-src``/``media-src`` allow ``data:`` and ``blob:`` (previews of a file being sent).
"""

from __future__ import annotations

import re
import time
import uuid

from fastapi import APIRouter, FastAPI, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "media-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}")
_CHAT_PAGE = re.compile(r"^/chat/([0-9a-fA-F-]{36})/?$")
_CACHE_SECONDS = 5.0  # a changed list of sites applies within seconds
_frame_cache: dict[str, tuple[float, str]] = {}


def _channel_ancestors(channel_id: str) -> str:
    from smarterchat.backend.services import webchat

    try:
        cid = uuid.UUID(channel_id)
    except ValueError:
        return "'self'"
    with session_scope() as session:
        origins = webchat.frame_origins(session, cid)
    return " ".join(["'self'", *origins])


async def frame_ancestors(path: str) -> str:
    """Who may frame this page: nobody, or for a web chat its channel's allowed origins."""
    match = _CHAT_PAGE.match(path)
    if match is None:
        return "'none'"
    channel_id = match.group(1).lower()
    cached = _frame_cache.get(channel_id)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    value = await run_in_threadpool(_channel_ancestors, channel_id)
    if len(_frame_cache) > 10_000:
        _frame_cache.clear()
    _frame_cache[channel_id] = (time.monotonic() + _CACHE_SECONDS, value)
    return value


def security_headers(ancestors: str) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CSP.format(ancestors=ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if ancestors == "'none'":  # older browsers read only this one
        headers["X-Frame-Options"] = "DENY"
    if get_settings().public_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


class SecurityHeaders:
    """Adds the headers to every HTTP answer that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(await frame_ancestors(scope["path"]))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


_LIMITED_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/plain")


def _limit_for(scope: Scope) -> int | None:
    """The body limit of a request; None for file uploads and webhooks, which have their own."""
    path = scope["path"]
    if path.startswith("/webhooks/") or path == "/_upload":
        return None
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"").decode("latin-1")
    media = content_type.split(";")[0].strip().lower()
    if media.startswith("multipart/"):
        return None
    if media and not (media in _LIMITED_TYPES or media.endswith("+json")):
        return None
    return get_settings().json_max_bytes


_TOO_LARGE_BODY = (b'{"error":{"code":"payload_too_large",'
                   b'"message":"The request body is too large."}}')


async def _refuse(send: Send) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(_TOO_LARGE_BODY)).encode())]})
    await send({"type": "http.response.body", "body": _TOO_LARGE_BODY})


class BodyLimit:
    """413 for a JSON or form body past the limit, declared or streamed, before any route
    parses it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = _limit_for(scope) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send)
            return
        seen = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit and not refused:
                refused = True
                if not started:
                    await _refuse(send)
            # The route sees the client gone and stops reading; what it answers is dropped.
            return {"type": "http.disconnect"} if refused else message

        async def tracked(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except ClientDisconnect:
            if not refused:
                raise


class ApiGzip:
    """Gzip for /api answers only: pages and their assets arrive compressed already, the
    websocket is not HTTP, and webhooks' answers are a few bytes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=1000)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install(api: FastAPI) -> None:
    # The last added is the outermost: the headers wrap everything (a 413 carries them too).
    api.add_middleware(ApiGzip)
    api.add_middleware(BodyLimit)
    api.add_middleware(SecurityHeaders)



router = APIRouter(include_in_schema=False)


@router.get("/_frame-policy/chat/{channel_id}")
async def chat_frame_policy(channel_id: str) -> Response:
    """For nginx, which serves the web chat page itself: the policy that page carries."""
    ancestors = await frame_ancestors(f"/chat/{channel_id}")
    return Response(status_code=204, headers=security_headers(ancestors))
