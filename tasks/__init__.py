"""Background tasks. ``huey_consumer tasks.huey`` imports this package, so every task
module is imported here to register its tasks with the consumer.

Tasks take ids (never ORM objects), open their own session and call services.
"""

import smarterchat.backend.realtime  # noqa: F401  (workers publish inbox changes too)
from tasks import ai, channels, health, inbox  # noqa: F401  (registers tasks)
from tasks.queue import huey

__all__ = ["huey"]
