"""Reflex configuration, built from SmarterChat's settings (nothing here reads os.environ).

``reflex run --env prod`` (what ``manage.py start`` runs) serves pages, the ``/_event``
websocket and the FastAPI routes on one port: ``frontend_port``. The backend port is
left unset so that plain ``reflex run`` (dev) still puts its backend on :8000.
"""

from typing import Any
from urllib.parse import urlsplit

import reflex as rx

from smarterchat.backend.config import get_settings

settings = get_settings()

# The browser finds the websocket at api_url. Reflex swaps "localhost" for the page's own
# host name, which is enough on a LAN; behind a proxy the public address must be given.
_public_host = urlsplit(settings.public_url).hostname
_public: dict[str, Any] = {} if _public_host in ("localhost", "127.0.0.1") else {
    "api_url": settings.public_url.rstrip("/"),
    "deploy_url": settings.public_url.rstrip("/"),
}

config = rx.Config(
    app_name="smarterchat",
    # Reflex's own database helpers are not used; the project has its own engine.
    redis_url=settings.redis_url,
    frontend_port=settings.port,
    # Client addresses (login throttling per IP) come from X-Forwarded-For behind proxies.
    trusted_proxy_hops=settings.trusted_proxy_hops,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(
        theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # Reflex's CORS (HTTP and the websocket) would reflect any origin with credentials:
    # only the public URL's pages and the configured origins may call us from a browser.
    cors_allowed_origins=settings.allowed_origins,
    **_public,
)
