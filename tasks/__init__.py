"""Background tasks. ``huey_consumer tasks.huey`` imports this package, so every task
module is imported here to register its tasks with the consumer, and the domain events'
listeners are connected for the worker (the app connects them too; see ``tasks.wiring``).

Tasks take ids (never ORM objects), open their own session and call services.
"""

from tasks import ai, channels, crm, health, inbox, mail, webhooks, wiring  # noqa: F401  (registers tasks)
from tasks.queue import huey

wiring.connect_listeners()

__all__ = ["huey"]
