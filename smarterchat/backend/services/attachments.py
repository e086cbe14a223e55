"""Files a consultant attaches to a reply: which ones each channel can deliver.

The lists follow what Meta documents for the WhatsApp Cloud API and for Instagram
messaging; the web chat shows anything common. A file a channel cannot deliver is
refused before it is stored, with a sentence that says why. The first bytes tell a
JPEG, PNG, GIF, WebP or PDF from a file merely named like one.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from smarterchat.backend.services.errors import InvalidInput

MB = 1024 * 1024
MAX_BYTES = 16 * MB  # WhatsApp's limit for audio and video; documents are capped here too
MAX_IMAGE_BYTES = {"whatsapp": 5 * MB, "instagram": 8 * MB}

KINDS = {
    "image/jpeg": "image", "image/png": "image", "image/gif": "image", "image/webp": "image",
    "audio/aac": "audio", "audio/amr": "audio", "audio/mpeg": "audio", "audio/mp4": "audio",
    "audio/ogg": "audio", "audio/wav": "audio",
    "video/mp4": "video", "video/3gpp": "video", "video/quicktime": "video", "video/webm": "video",
    "application/pdf": "document", "text/plain": "document", "text/csv": "document",
    "application/msword": "document", "application/vnd.ms-excel": "document",
    "application/vnd.ms-powerpoint": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "document",
}
_OFFICE = {m for m, k in KINDS.items() if k == "document" and m != "text/csv"}
ACCEPTED = {
    "whatsapp": {"image/jpeg", "image/png", "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4",
                 "audio/ogg", "video/mp4", "video/3gpp", *_OFFICE},
    "instagram": {"image/jpeg", "image/png", "image/gif", "audio/aac", "audio/mp4", "audio/wav",
                  "video/mp4", "video/quicktime", "video/webm", "application/pdf"},
    "webchat": set(KINDS),
}
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


def check(channel_kind: str, filename: str, data: bytes) -> tuple[str, str]:
    """The file's (mime, kind) when ``channel_kind`` can deliver it; InvalidInput otherwise."""
    mime = mime_of(filename)
    if not data:
        raise InvalidInput("attachment_empty", field="file")
    if mime not in ACCEPTED.get(channel_kind, set()):
        raise InvalidInput("attachment_type_refused", field="file",
                           channel=channel_kind, name=clean_name(filename))
    kind = KINDS[mime]
    limit = MAX_IMAGE_BYTES.get(channel_kind, MAX_BYTES) if kind == "image" else MAX_BYTES
    if len(data) > limit:
        raise InvalidInput("attachment_too_large", field="file", max_mb=limit // MB)
    if not _looks_like(mime, data):
        raise InvalidInput("attachment_not_what_it_says", field="file", name=clean_name(filename))
    return mime, kind


def accept_list(channel_kind: str) -> dict[str, list[str]]:
    """For the browser's file picker: {mime: [extensions]} of what the channel takes."""
    accepted: dict[str, list[str]] = {}
    for mime in sorted(ACCEPTED.get(channel_kind, set())):
        extensions = {e for e, m in _BY_EXTENSION.items() if m == mime}
        extensions |= set(mimetypes.guess_all_extensions(mime))
        accepted[mime] = sorted(extensions)
    return accepted
