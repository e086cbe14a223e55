"""Meta's webhooks: one URL per channel, so each channel's own secrets apply.

POST: verify the signature on the raw body before anything else, store the body,
enqueue its processing, answer 200. Everything slow happens in the task.
"""

from __future__ import annotations

import hmac
import json
import logging
import uuid

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from smarterchat.backend import fastpath
from smarterchat.backend.channels.base import valid_meta_signature
from smarterchat.backend.config import get_settings
from smarterchat.backend.services import channels, ingest

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
META_KINDS = ("whatsapp", "instagram")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _secrets(kind: str, channel_id: str) -> channels.WebhookSecrets | None:
    try:
        cid = uuid.UUID(channel_id)
    except ValueError:
        return None
    found = channels.cached_webhook_secrets(cid)
    if found is channels.NOT_CACHED:
        found = await run_in_threadpool(channels.webhook_secrets, cid)
    return found if found and found.kind == kind and kind in META_KINDS else None


@router.get("/{kind}/{channel_id}")
async def verify_subscription(
    kind: str, channel_id: str,
    mode: str = Query("", alias="hub.mode"),
    token: str = Query("", alias="hub.verify_token", max_length=200),
    challenge: str = Query("", alias="hub.challenge", max_length=200),
) -> PlainTextResponse:
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


@router.post("/{kind}/{channel_id}", response_model=None)  # a Response or a plain dict
async def receive(kind: str, channel_id: str, request: Request) -> Response | dict[str, str]:
    body = await _read_limited(request, get_settings().webhook_max_bytes)
    if body is None:
        return _error(413, "payload_too_large", "The request body is too large.")
    found = await _secrets(kind, channel_id)
    if found is None:
        return _error(404, "unknown_channel", "No such channel.")
    if not valid_meta_signature(found.app_secret, body,
                                request.headers.get("x-hub-signature-256")):
        return _error(401, "bad_signature", "Missing or invalid X-Hub-Signature-256.")
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "malformed_json", "The body is not valid JSON.")
    if not found.is_active:
        log.info("webhook for a disabled channel dropped", extra={"channel_id": channel_id})
        return {"status": "ignored"}
    if fastpath.available():
        event_id = await fastpath.store_event(found.organization_id, found.channel_id, body)
    else:
        event_id = await run_in_threadpool(ingest.store_event, found.organization_id,
                                          found.channel_id, body)
    from tasks.channels import enqueue_processing

    # One Redis round trip (~0.1 ms): cheaper inline than a trip to the threadpool.
    enqueue_processing(found.channel_id)
    return {"status": "received", "event_id": str(event_id)}
