"""Files and folders only the app's own user may read: the data folder (SQLite database
and its WAL, the task queue's database, media, keys, the outbox) and Reflex's state files.

SQLite creates its ``-wal`` and ``-shm`` files with the database file's permissions, so a
database file created 0600 keeps its journal private too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed, and make it 0700."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _restrict(path, DIR_MODE)
    return path


def _restrict(path: Path, mode: int) -> None:
    if path.stat().st_mode & 0o777 == mode:
        return
    try:
        path.chmod(mode)
    except PermissionError:  # a volume owned by another user: say so, do not refuse to start
        log.warning("cannot make %s private (mode %o): it belongs to another user", path, mode)


def ensure_private_file(path: Path) -> Path:
    """Create ``path`` empty if missing, and make it 0600 (before SQLite opens it)."""
    ensure_private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            _restrict(candidate, FILE_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable by this user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
