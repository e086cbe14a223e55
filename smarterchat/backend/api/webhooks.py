"""Meta's webhooks: one URL per channel, so each channel's own secrets apply.

POST: verify the signature on the raw body before anything else, store the body,
enqueue its processing, answer 200. Everything slow happens in the task. The POST is
the hottest path of the app (Meta sends up to 80 messages a second per number by
default): it is a plain Starlette route (no dependency solving), parses with orjson and
answers with bytes built once; each step left in it protects the message.
"""

from __future__ import annotations

import hmac
import logging
import uuid

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from smarterchat.backend.channels.base import valid_meta_signature
from smarterchat.backend.config import get_settings
from smarterchat.backend.db_retry import retrying
from smarterchat.backend.services import channels, ingest

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
META_KINDS = ("whatsapp", "instagram")
JSON = "application/json"


def _error(status: int, code: str, message: str) -> Response:
    return Response(orjson.dumps({"error": {"code": code, "message": message}}),
                    status_code=status, media_type=JSON)


_TOO_LARGE = (413, "payload_too_large", "The request body is too large.")
_UNKNOWN = (404, "unknown_channel", "No such channel.")
_BAD_SIGNATURE = (401, "bad_signature", "Missing or invalid X-Hub-Signature-256.")
_MALFORMED = (400, "malformed_json", "The body is not valid JSON.")
_IGNORED = b'{"status":"ignored"}'


async def _secrets(kind: str, channel_id: str) -> channels.WebhookSecrets | None:
    try:
        cid = uuid.UUID(channel_id)
    except ValueError:
        return None
    found = channels.cached_webhook_secrets(cid)
    if found is channels.NOT_CACHED:
        found = await retrying(lambda: run_in_threadpool(channels.webhook_secrets, cid),
                               "webhook_secrets")
    return found if found and found.kind == kind and kind in META_KINDS else None


@router.get("/{kind}/{channel_id}")
async def verify_subscription(
    kind: str, channel_id: str,
    mode: str = Query("", alias="hub.mode"),
    token: str = Query("", alias="hub.verify_token", max_length=200),
    challenge: str = Query("", alias="hub.challenge", max_length=200),
) -> PlainTextResponse:
    if not challenge:  # Meta always sends one; echoing nothing would "verify" nothing
        return PlainTextResponse("hub.challenge is required", status_code=400)
    found = await _secrets(kind, channel_id)
    if found and found.verify_token and mode == "subscribe" and \
            hmac.compare_digest(token.encode(), found.verify_token.encode()):
        return PlainTextResponse(challenge)
    return PlainTextResponse("verification failed", status_code=403)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None
    return bytes(body)


async def receive(request: Request) -> Response:
    kind, channel_id = request.path_params["kind"], request.path_params["channel_id"]
    body = await _read_limited(request, get_settings().webhook_max_bytes)
    if body is None:
        return _error(*_TOO_LARGE)
    found = await _secrets(kind, channel_id)
    if found is None:
        return _error(*_UNKNOWN)
    if not valid_meta_signature(found.app_secret, body,
                                request.headers.get("x-hub-signature-256")):
        return _error(*_BAD_SIGNATURE)
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _error(*_MALFORMED)
    if not isinstance(payload, dict):
        return _error(*_MALFORMED)
    if not found.is_active:
        log.info("webhook for a disabled channel dropped", extra={"channel_id": channel_id})
        return Response(_IGNORED, media_type=JSON)
    parts = ingest.split_by_customer(kind, payload, body)
    event_ids = await ingest.store_event(found.organization_id, found.channel_id, parts)
    from tasks.channels import enqueue_processing

    await enqueue_processing(found.channel_id, [key for key, _ in parts])
    return Response(b'{"status":"received","event_id":"%s"}' % str(event_ids[0]).encode(),
                    media_type=JSON)


# Starlette's add_route does not apply the router's prefix: the full path is spelled out.
router.add_route(f"{router.prefix}/{{kind}}/{{channel_id}}", receive, methods=["POST"], include_in_schema=False)
