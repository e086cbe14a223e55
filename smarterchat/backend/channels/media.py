"""File kinds the channels know, by MIME type, and the size unit their limits use."""

from __future__ import annotations

MB = 1024 * 1024

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
OFFICE = frozenset(m for m, k in KINDS.items() if k == "document" and m != "text/csv")


def limits(mimes, *, image_bytes: int, other_bytes: int) -> dict[str, int]:
    """{mime: max bytes} for ``mimes``, images capped at ``image_bytes``."""
    return {m: image_bytes if KINDS[m] == "image" else other_bytes for m in sorted(mimes)}
