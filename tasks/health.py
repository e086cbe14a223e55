"""A task that does nothing but report who ran it: proves the queue wiring end to end."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

from tasks.queue import huey


@huey.task()
def health_check() -> dict[str, object]:
    return {
        "time": datetime.now(UTC).isoformat(),
        "pid": os.getpid(),
        "thread": threading.current_thread().name,
    }
