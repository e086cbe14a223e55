"""Reflex configuration, built from SmarterChat's settings (nothing here reads os.environ)."""

import reflex as rx

from smarterchat.backend.config import get_settings

settings = get_settings()

config = rx.Config(
    app_name="smarterchat",
    title="SmarterChat",
    # Reflex's own database helpers are not used; the project has its own engine.
    redis_url=settings.redis_url,
    frontend_port=settings.port,
    backend_port=settings.port,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.SitemapPlugin(), rx.plugins.RadixThemesPlugin()],
    disable_plugins=["reflex.plugins.sitemap.SitemapPlugin"],
)
