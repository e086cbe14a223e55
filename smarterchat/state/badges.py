"""The sidebar's badges: my open conversations and the queue waiting for a person.

Every signed-in page's shell starts ``follow`` when it mounts (one per tab: a newer
one, from the next page, replaces it). It reads the two counts, then follows the
organisation's real-time notices and reads them again, in one query, after each batch
that can move them. It also sends the consultant's presence heartbeat, so someone
who is online stays online while any page of the app is open, not only the inbox. On
the inbox page it stands aside: the inbox's own ``live`` reads the same counts with its
list and sends the heartbeat, so one listener does the work. It stops when the tab
closes or signs out.
"""

from __future__ import annotations

import contextlib
import logging
import time

import reflex as rx

from smarterchat.backend.services import distribution, inbox, inbox_views
from smarterchat.backend.services.errors import ServiceError
from smarterchat.state import inbox_live
from smarterchat.state.session import AppState, SignedOut

log = logging.getLogger(__name__)

INBOX = "/inbox"
HEARTBEAT_SECONDS = 30.0  # well inside distribution.HEARTBEAT_TIMEOUT


def moves_counts(notices: list[dict]) -> bool:
    """Assignments, hand-offs and resolutions announce themselves as conversation
    changes; a customer's message may start (or reopen) one in the queue; after a lost
    subscription anything may have changed. Delivery ticks and replies change nothing."""
    return any(n.get("type") in ("conversation", "resubscribed")
               or (n.get("type") == "message" and n.get("author") == "contact")
               for n in notices)


class BadgeState(AppState):
    mine: int = 0
    waiting: int = 0

    @rx.var
    def attention(self) -> int:
        """What the browser tab's title counts: conversations that need a person."""
        return self.mine + self.waiting

    @rx.var
    def title_prefix(self) -> str:
        return f"({self.attention}) " if self.attention else ""

    def _take(self, counts: inbox.Counts) -> None:
        self.mine, self.waiting = counts.mine, counts.waiting

    def _stands_aside(self) -> bool:
        return not self.has_org or self.router.url.path.rstrip("/") == INBOX

    @rx.event(background=True, supersedes=True)
    async def follow(self):
        """Keep the badges current while this tab shows a signed-in page."""
        async with self:
            if self._stands_aside():
                return
            token = self.router.session.client_token
        try:
            opening = await self._unlocked(inbox_views.badges)
        except (SignedOut, ServiceError):
            return  # no session or no inbox for this role: nothing to count
        org = opening.org
        async with self:
            self._take(opening.counts)
        beat = 0.0
        async with contextlib.aclosing(inbox_live.batches(org)) as stream:
            async for notices in stream:
                if not await inbox_live.connected(token):
                    return
                async with self:
                    if self._stands_aside():
                        return
                if time.monotonic() - beat >= HEARTBEAT_SECONDS:
                    beat = time.monotonic()
                    try:
                        await self._unlocked(distribution.heartbeat)
                    except SignedOut:
                        return
                    except Exception:  # noqa: BLE001 - a database hiccup: the next tick retries
                        log.exception("presence heartbeat failed")
                if not moves_counts(notices):
                    continue
                try:
                    counts = await self._unlocked(inbox.counts)
                except (SignedOut, ServiceError):
                    return
                except Exception:  # noqa: BLE001 - a database hiccup: the next notice retries
                    log.exception("badge counts refresh failed")
                    continue
                async with self:
                    self._take(counts)
