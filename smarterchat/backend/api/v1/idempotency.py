"""The ``Idempotency-Key`` header on POSTs under /api/v1, as plain ASGI middleware.

Only a POST carrying the header pays for it (the body is buffered and hashed, the key
claimed in the database); every other request, the Meta webhooks first, passes through
untouched. ``services.idempotency`` holds the rules.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smarterchat.backend.api.errors import PROBLEM_TYPE, problem
from smarterchat.backend.db import session_scope
from smarterchat.backend.services import idempotency
from smarterchat.backend.services.errors import ServiceError


def _in_session(fn: Any, *args: Any) -> Any:
    with session_scope() as session:
        return fn(session, *args)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or \
                not scope["path"].startswith("/api/v1/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        authorization = headers.get("authorization", "")
        if key is None or not authorization.lower().startswith("bearer "):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        caller = await to_thread.run_sync(_in_session, idempotency.caller_of,
                                          authorization[7:].strip())
        if caller is None:  # unauthenticated: the route answers 401
            await self.app(scope, _replaying(body, receive), send)
            return
        digest = idempotency.request_hash("POST", scope["path"],
                                          scope.get("query_string", b"").decode(), body)
        try:
            claim = await to_thread.run_sync(_in_session, idempotency.begin, caller, key, digest)
        except ServiceError as exc:
            await problem(Request(scope), exc.status, exc.code, exc.params)(scope, receive, send)
            return
        if isinstance(claim, idempotency.Stored):
            media = PROBLEM_TYPE if claim.status_code >= 400 else "application/json"
            replay = Response(claim.body, status_code=claim.status_code, media_type=media,
                              headers={"Idempotent-Replayed": "true"})
            await replay(scope, receive, send)
            return
        await self._run(scope, _replaying(body, receive), send, claim)

    async def _run(self, scope: Scope, receive: Receive, send: Send, claim: Any) -> None:
        status, parts = 500, []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            if status < 500:
                await to_thread.run_sync(_in_session, idempotency.finish, claim, status,
                                         b"".join(parts).decode("utf-8", "replace"))
            else:
                await to_thread.run_sync(_in_session, idempotency.release, claim)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The buffered body for the route, then the client's own messages (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
