"""Conversation media for the inbox: short-lived signed links.

An ``<img>`` cannot send the access token, so the inbox's state, which has just read
the message through the tenant-checked thread, hands the browser a link signed with
the server's secret for that message and organisation. The link expires at the end
of the next whole hour, so it stays the same (and cached) while a thread is open.
Only common raster images are shown inline; everything else downloads.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import mimetypes
import time
import uuid

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from smarterchat.backend import storage
from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Message

router = APIRouter(prefix="/media/inbox", tags=["inbox"])
INLINE = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def _signature(message_id: str, org_id: str, expires: int) -> str:
    key = hashlib.sha256(b"inbox-media:" + get_settings().jwt_secret.encode()).digest()
    digest = hmac.new(key, f"{message_id}:{org_id}:{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def media_link(message_id: str, org_id: str, now: float | None = None) -> str:
    expires = (int(now if now is not None else time.time()) // 3600 + 2) * 3600
    return (f"/media/inbox/{message_id}?o={org_id}&e={expires}"
            f"&s={_signature(message_id, org_id, expires)}")


def _load(message_id: uuid.UUID, org_id: uuid.UUID) -> tuple[bytes, str] | None:
    with session_scope() as session:
        message = session.get(Message, message_id)
        if message is None or message.organization_id != org_id or \
                not message.media_storage_key:
            return None
        key, mime = message.media_storage_key, (message.media_mime or "").split(";")[0]
    try:
        return storage.load(key), mime
    except FileNotFoundError:
        return None


@router.get("/{message_id}")
async def media(message_id: str, o: str = "", e: int = 0, s: str = ""):
    if e < time.time() or not hmac.compare_digest(s.encode(),
                                                  _signature(message_id, o, e).encode()):
        return PlainTextResponse("link expired or invalid", status_code=403)
    try:
        found = await run_in_threadpool(_load, uuid.UUID(message_id), uuid.UUID(o))
    except ValueError:
        found = None
    except storage.StorageUnavailable:
        return PlainTextResponse("media storage is unavailable; try again shortly",
                                 status_code=503, headers={"Retry-After": "30"})
    if found is None:
        return PlainTextResponse("not found", status_code=404)
    data, mime = found
    inline = mime in INLINE
    name = message_id + (mimetypes.guess_extension(mime) or "") if mime else message_id
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'; sandbox",
               "Content-Disposition": "inline" if inline else
               f'attachment; filename="{name}"'}
    return Response(data, media_type=mime if inline else "application/octet-stream",
                    headers=headers)
