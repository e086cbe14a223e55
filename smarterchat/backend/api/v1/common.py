"""What every typed route of the public API shares: the acting key or person with its
rate limit, cursor pagination parameters and page shape, and documented refusals."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from smarterchat.backend.api.deps import CurrentActor
from smarterchat.backend.api.errors import PROBLEM_TYPE, Problem
from smarterchat.backend.config import get_settings
from smarterchat.backend.security import ratelimit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput, TooManyAttempts
from smarterchat.backend.services.pagination import Cursor

T = TypeVar("T")


# Text the services accept, as patterns the OpenAPI document carries: no NUL (PostgreSQL
# refuses it in text), and, for names, something besides spaces.
PLAIN = r"^[^\x00]*$"
SOMETHING = r"^[^\x00]*[^\s\x00][^\x00]*$"
# A key's name: letters (accented ones included), digits, spaces and common punctuation,
# two characters or more; what ``identity.clean_text`` refuses never gets this far.
_LETTER = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
NAME = rf"^ *[{_LETTER}][{_LETTER} .,:;()&'/+#@_-]*[{_LETTER}.)] *$"


class RateLimited(TooManyAttempts):
    code = "rate_limited"

    def __init__(self, retry_after: int, headers: dict[str, str]) -> None:
        super().__init__(retry_after=retry_after)
        self.headers = headers


def _limit_headers(limit: int, window: int, remaining: int, reset: int) -> dict[str, str]:
    # IETF draft-ietf-httpapi-ratelimit-headers: the policy, and where this caller stands.
    return {"RateLimit-Policy": f'"default";q={limit};w={window}',
            "RateLimit": f'"default";r={max(0, remaining)};t={reset}'}


def _query_names(route: Any) -> frozenset[str]:
    """The query parameters the route and its dependencies read, worked out once per route."""
    found: frozenset[str] | None = getattr(route, "_query_names", None)
    if found is None:
        names: set[str] = set()
        pending = [route.dependant]
        while pending:
            dependant = pending.pop()
            names |= {param.alias for param in dependant.query_params}
            pending += dependant.dependencies
        found = frozenset(names)
        route._query_names = found
    return found


def _known_query(request: Request) -> None:
    """A query parameter the route does not read, or one given twice, is refused, not
    silently ignored: a misspelt filter would otherwise answer everything."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    known = _query_names(route)
    for name in request.query_params:
        # A name given twice is ambiguous (every parameter here takes one value).
        if name not in known or len(request.query_params.getlist(name)) > 1:
            raise InvalidInput("invalid_filter", field=name)


def rate_limited_actor(actor: CurrentActor, request: Request, response: Response) -> Actor:
    """The acting key (or person), counted against its limit; over it, 429. Unknown query
    parameters are refused here, as every typed route depends on this."""
    _known_query(request)
    settings = get_settings()
    limit, window = settings.api_rate_limit, settings.api_rate_window_seconds
    verdict = ratelimit.hit(f"api:{actor.api_key_id or actor.user_id}", limit, window)
    headers = _limit_headers(limit, window, limit - verdict.count, verdict.retry_after)
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after, headers)
    response.headers.update(headers)
    return actor


ApiActor = Annotated[Actor, Depends(rate_limited_actor)]


def page_params(
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page.")] = 20,
    starting_after: Annotated[uuid.UUID | None, Query(
        description="The id of the last item of the previous page.")] = None,
) -> Cursor:
    return Cursor(limit=limit, starting_after=starting_after)


PageDep = Annotated[Cursor, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page, newest first; ``has_more``: ask again with ``starting_after`` = the last id."""

    data: list[T]
    has_more: bool


class Deleted(BaseModel):
    id: str
    deleted: bool = True


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "model": Problem,
            "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


# Every route can answer these; routes add their own (404, 409...).
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("The body is not JSON."),
    401: _problem("No valid access token or API key."),
    403: _problem("The key's scopes (or the person's role) do not allow this."),
    422: _problem("The request is invalid; nothing changed."),
    429: _problem("Too many calls with this key: wait Retry-After seconds."),
}
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: _problem("No such record in this organisation (or cursor).")}
CONFLICT: Responses = {409: _problem("The record's state does not allow this now.")}


def documented(*extra: Responses) -> Responses:
    merged = dict(COMMON_RESPONSES)
    for more in extra:
        merged.update(more)
    return merged


class Ok(BaseModel):
    ok: bool = Field(True, description="The change was made (or was already so).")
