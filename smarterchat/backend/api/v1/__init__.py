"""The public REST API, one typed router per resource (see README "Public API")."""

from __future__ import annotations

from fastapi import APIRouter

from smarterchat.backend.api.v1 import (
    analytics,
    api_keys,
    catalog,
    channels,
    contacts,
    conversations,
    leads,
    webhooks,
)

ROUTERS: list[APIRouter] = [conversations.router, contacts.router, leads.router,
                            channels.router, catalog.router, webhooks.router, api_keys.router,
                            analytics.router]
