"""Domain events fanned out to listeners (AI replies, real-time inbox, CRM, outgoing webhooks).

Services emit after their transaction commits; listeners are registered by the
layers that react (tasks register the ones that enqueue background work), so
services never import tasks. A failing listener is logged and never breaks the emitter.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

MESSAGE_CREATED = "message.created"
MESSAGE_STATUS = "message.status"
CONVERSATION_CHANGED = "conversation.changed"
OUTBOUND_QUEUED = "message.outbound_queued"  # a stored message waits to be sent
PRESENCE_CHANGED = "presence.changed"

Listener = Callable[..., Any]
_listeners: dict[str, list[Listener]] = defaultdict(list)


def subscribe(name: str, listener: Listener) -> Listener:
    if listener not in _listeners[name]:
        _listeners[name].append(listener)
    return listener


def unsubscribe(name: str, listener: Listener) -> None:
    if listener in _listeners[name]:
        _listeners[name].remove(listener)


def emit(name: str, **payload: Any) -> None:
    for listener in list(_listeners[name]):
        try:
            listener(**payload)
        except Exception:
            log.exception("listener %s of %s failed", getattr(listener, "__name__", listener), name)
