"""Following an organisation's real-time notices from a page's background event.

``batches`` turns the subscription into small batches (notices that arrive within a
quarter of a second are handled together, so a burst costs one refresh), yields an
empty batch every few seconds so the page can check it is still wanted, and
subscribes again when the subscription drops, announcing it with a ``resubscribed``
notice: whatever was published meanwhile is lost, so the page reloads what it shows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator

from smarterchat.backend import realtime

log = logging.getLogger(__name__)

TICK_SECONDS = 10.0  # an empty batch at least this often: time to check the page is open
COALESCE_SECONDS = 0.25
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0)


def _drain(queue: asyncio.Queue) -> list[dict]:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


async def batches(organization_id: str) -> AsyncGenerator[list[dict], None]:  # aclosing() ends it
    failures = 0
    while True:
        try:
            async with realtime.subscription(organization_id) as queue:
                if failures:
                    yield [{"type": "resubscribed"}]
                failures = 0
                while True:
                    try:
                        first = await asyncio.wait_for(queue.get(), TICK_SECONDS)
                    except TimeoutError:
                        yield []
                        continue
                    await asyncio.sleep(COALESCE_SECONDS)
                    batch = [first, *_drain(queue)]
                    if any(n.get("type") == "dropped" for n in batch):
                        raise ConnectionError("real-time subscription dropped")
                    yield batch
        except Exception as exc:  # noqa: BLE001 - Redis went away: subscribe again
            failures += 1
            log.warning("real-time subscription lost, subscribing again",
                        extra={"error": str(exc), "attempt": failures})
            yield []
            await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1])


async def connected(token: str) -> bool:
    """Whether the tab that started a background event still has its websocket here."""
    try:
        from reflex_base.registry import RegistrationContext

        namespace = RegistrationContext.get().app.event_namespace
    except (LookupError, AttributeError, ImportError, RuntimeError):
        return True
    if namespace is None:
        return True
    return await namespace._token_manager.is_token_connected(token)
