"""The Reflex app: pages, plus the FastAPI routes mounted through api_transformer."""

import reflex as rx

from smarterchat.backend.api.app import create_api
from tasks.embedded import embedded_consumer

app = rx.App(
    theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium"),
    api_transformer=create_api(),
)
app.register_lifespan_task(embedded_consumer)  # runs tasks in-process when there is no Redis
