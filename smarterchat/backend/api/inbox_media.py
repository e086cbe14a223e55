"""Serves conversation media behind the signed links of ``backend.media_links``.

Only common raster images are shown inline; everything else downloads.
"""

from __future__ import annotations

import mimetypes
import uuid

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from smarterchat.backend import media_links, storage
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Message

router = APIRouter(prefix=media_links.PATH, tags=["inbox"])
INLINE = {"image/jpeg", "image/png", "image/webp", "image/gif"}


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
    if not media_links.valid(message_id, o, e, s):
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
