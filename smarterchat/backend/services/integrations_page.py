"""What the API settings page shows: the organisation's keys and webhook endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from smarterchat.backend.services import api_keys, webhooks
from smarterchat.backend.services.actors import Actor


@dataclass(frozen=True)
class IntegrationsPage:
    keys: list[api_keys.ApiKeyView]
    endpoints: list[webhooks.EndpointView]


def integrations_page(session: Session, actor: Actor) -> IntegrationsPage:
    return IntegrationsPage(keys=api_keys.list_keys(session, actor),
                            endpoints=webhooks.list_endpoints(session, actor))
