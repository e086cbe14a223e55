"""Running a service function for a page: in its own session, off the event loop, as the
holder of an access token.

Page states never open sessions themselves; they hand a service function to these
runners, which resolve the actor and call ``fn(session, actor, ...)`` in one session,
so the tenant and role checks inside the service see a freshly read actor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from smarterchat.backend.db import session_scope
from smarterchat.backend.services import auth
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import AuthError

T = TypeVar("T")


class TokenProblem(Exception):
    """The access token was refused; ``code`` says whether a refresh can cure it."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


async def call(fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """Run ``fn(session, ...)`` in its own session, off the event loop (bcrypt alone takes
    about 250 ms)."""

    def run() -> T:
        with session_scope() as s:
            return fn(s, *args, **kw)

    return await asyncio.to_thread(run)


def run_as(token: str, fn: Callable[..., T], args: tuple[Any, ...], kw: dict[str, Any]) -> tuple[Actor, T]:
    """Resolve the actor and run ``fn(session, actor, ...)`` in one session."""
    with session_scope() as s:
        try:
            actor = auth.actor_from_access_token(s, token)
        except AuthError as exc:
            raise TokenProblem(exc.code) from exc
        return actor, fn(s, actor, *args, **kw)


async def call_as(token: str, fn: Callable[..., T], *args: Any, **kw: Any) -> tuple[Actor, T]:
    """``run_as`` off the event loop."""
    return await asyncio.to_thread(run_as, token, fn, args, kw)
