"""The one Huey instance, built from settings.

With ``SMARTERCHAT_REDIS_URL`` the queue lives in Redis and separate
``huey_consumer tasks.huey`` processes run the tasks (several app instances can
share it). Without it the queue is a SQLite file under ``data_dir`` and the web
process runs an embedded consumer (see ``tasks.embedded``).
"""

from __future__ import annotations

from huey import Huey, RedisHuey, SqliteHuey

from smarterchat.backend.config import Settings, get_settings

QUEUE_NAME = "smarterchat"


def build_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey(QUEUE_NAME, url=settings.redis_url, immediate=settings.huey_immediate)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        QUEUE_NAME,
        filename=str(settings.data_dir / "huey.db"),
        immediate=settings.huey_immediate,
    )


huey = build_huey(get_settings())
