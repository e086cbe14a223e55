"""Where media files live: a local folder by default."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from smarterchat.backend.config import get_settings


def _root() -> Path:
    return (get_settings().data_dir / "media").resolve()


def save(organization_id: object, data: bytes, mime: str | None) -> str:
    """Store bytes under a content-addressed key and return the key."""
    ext = mimetypes.guess_extension((mime or "").split(";")[0].strip()) or ".bin"
    digest = hashlib.sha256(data).hexdigest()
    key = f"{organization_id}/{digest[:2]}/{digest}{ext}"
    path = _root() / key
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return key


def load(key: str) -> bytes:
    path = (_root() / key).resolve()
    if _root() not in path.parents:
        raise FileNotFoundError(key)
    return path.read_bytes()
