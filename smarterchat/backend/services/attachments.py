"""Files a consultant attaches to a reply: which ones each channel can deliver.

Each channel's provider says which files it delivers and how large (its
``capabilities.media_limits``); this module tells a file's type and checks it. A file a channel cannot deliver is
refused before it is stored, with a sentence that says why. The first bytes tell a
JPEG, PNG, GIF, WebP or PDF from a file merely named like one.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from smarterchat.backend.channels.media import KINDS, MB
from smarterchat.backend.channels.registry import PROVIDERS
from smarterchat.backend.services.errors import InvalidInput

__all__ = ["KINDS", "MAX_BYTES", "MB", "Attachment", "accepts", "accept_list", "check",
           "clean_name", "mime_of"]

# The largest file any channel takes: what a page reads at most before refusing.
MAX_BYTES = max(limit for provider in PROVIDERS.values()
                for limit in provider.capabilities.media_limits.values())
# Extensions the standard library does not know, or maps elsewhere.
_BY_EXTENSION = {".m4a": "audio/mp4", ".aac": "audio/aac", ".amr": "audio/amr",
                 ".opus": "audio/ogg", ".oga": "audio/ogg", ".3gp": "video/3gpp",
                 ".wav": "audio/wav", ".csv": "text/csv"}
_SIGNATURES = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",),
               "image/gif": (b"GIF87a", b"GIF89a"), "application/pdf": (b"%PDF-",)}


@dataclass(frozen=True)
class Attachment:
    """A stored file waiting to be sent with a reply."""

    key: str  # storage key, under the organisation's folder
    mime: str
    kind: str  # image, audio, video, document
    name: str
    size: int


def clean_name(filename: str) -> str:
    name = PurePosixPath(str(filename or "").replace("\\", "/")).name.strip()
    return "".join(c for c in name if c.isprintable())[-120:] or "arquivo"


def mime_of(filename: str) -> str:
    suffix = PurePosixPath(filename.lower()).suffix
    return _BY_EXTENSION.get(suffix) or mimetypes.guess_type(filename)[0] or ""


def _looks_like(mime: str, data: bytes) -> bool:
    if mime == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return not _SIGNATURES.get(mime) or data.startswith(_SIGNATURES[mime])


def _limits(channel_kind: str) -> dict[str, int]:
    """{mime: max bytes} the channel delivers; nothing for no (or an unknown) channel, as
    when the inbox has no conversation open."""
    provider = PROVIDERS.get(channel_kind)
    return provider.capabilities.media_limits if provider else {}


def accepts(channel_kind: str, mime: str) -> bool:
    return mime in _limits(channel_kind)


def check(channel_kind: str, filename: str, data: bytes) -> tuple[str, str]:
    """The file's (mime, kind) when ``channel_kind`` can deliver it; InvalidInput otherwise."""
    mime = mime_of(filename)
    if not data:
        raise InvalidInput("attachment_empty", field="file")
    limit = _limits(channel_kind).get(mime)
    if limit is None:
        raise InvalidInput("attachment_type_refused", field="file",
                           channel=channel_kind, name=clean_name(filename))
    if len(data) > limit:
        raise InvalidInput("attachment_too_large", field="file", max_mb=limit // MB)
    if not _looks_like(mime, data):
        raise InvalidInput("attachment_not_what_it_says", field="file", name=clean_name(filename))
    return mime, KINDS[mime]


def accept_list(channel_kind: str) -> dict[str, list[str]]:
    """For the browser's file picker: {mime: [extensions]} of what the channel takes."""
    accepted: dict[str, list[str]] = {}
    for mime in _limits(channel_kind):
        extensions = {e for e, m in _BY_EXTENSION.items() if m == mime}
        extensions |= set(mimetypes.guess_all_extensions(mime))
        accepted[mime] = sorted(extensions)
    return accepted
