"""Short-lived signed links to a conversation's media.

An ``<img>`` cannot send the access token, so the inbox (and the web chat), having just
read the message through a tenant-checked query, hand the browser a link signed with the
server's secret for that message and organisation; ``api.inbox_media`` serves it. The
link expires at the end of the next whole hour, so it stays the same (and cached) while
a thread is open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from smarterchat.backend.config import get_settings

PATH = "/media/inbox"


def signature(message_id: str, org_id: str, expires: int) -> str:
    key = hashlib.sha256(b"inbox-media:" + get_settings().jwt_secret.encode()).digest()
    digest = hmac.new(key, f"{message_id}:{org_id}:{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def media_link(message_id: str, org_id: str, now: float | None = None) -> str:
    expires = (int(now if now is not None else time.time()) // 3600 + 2) * 3600
    return f"{PATH}/{message_id}?o={org_id}&e={expires}&s={signature(message_id, org_id, expires)}"


def valid(message_id: str, org_id: str, expires: int, signed: str) -> bool:
    """The link was signed here for this message and organisation and has not expired."""
    return expires >= time.time() and hmac.compare_digest(
        signed.encode(), signature(message_id, org_id, expires).encode())
