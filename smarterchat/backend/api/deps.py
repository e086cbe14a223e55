"""FastAPI dependencies: database session, acting user or API key, client address.

Authentication is a Bearer token in the Authorization header only: a person's access
token or an organisation's API key (``sc_live_...``). Cookies are
never read, so no state-changing route can be triggered cross-site (no CSRF surface).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from smarterchat.backend.config import get_settings
from smarterchat.backend.db import session_scope
from smarterchat.backend.services import api_keys
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.auth import actor_from_access_token
from smarterchat.backend.services.errors import AuthError


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
_bearer = HTTPBearer(auto_error=False)


BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def current_actor(session: SessionDep, credentials: BearerCredentials) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthError("not_authenticated")
    if api_keys.is_api_key(credentials.credentials):
        return api_keys.actor_from_key(session, credentials.credentials)
    return actor_from_access_token(session, credentials.credentials)


CurrentActor = Annotated[Actor, Depends(current_actor)]


def client_ip(request: Request) -> str | None:
    """The client's address. Behind ``trusted_proxy_hops`` reverse proxies it is the entry
    of X-Forwarded-For that the outermost trusted proxy wrote, the rule Reflex applies to
    the pages; entries further left are whatever the client claimed."""
    address = request.client.host if request.client else None
    hops = get_settings().trusted_proxy_hops
    if hops:
        forwarded = [ip.strip() for value in request.headers.getlist("x-forwarded-for")
                     for ip in value.split(",") if ip.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


def user_agent(request: Request) -> str | None:
    return request.headers.get("user-agent")


def request_locale(request: Request) -> str:
    """The language an e-mail to someone without a profile is written in."""
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") \
        else "pt-BR"
