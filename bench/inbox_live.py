"""Webhook-to-screen latency, measured in a real browser.

Serves the whole app as ``manage.py start`` does, on PostgreSQL and Redis with a separate
``huey_consumer``, logs a consultant of the demo organisation into the inbox in headless
Chromium, then posts signed WhatsApp webhooks one at a time (each from a new customer with
a unique text) and records, in the page, the moment each text appears (a MutationObserver
stamping ``Date.now()``). Latency = that moment - the moment the webhook was posted (one
clock: same machine). Prints p50/p95/max.

Needs PostgreSQL (TEST_POSTGRES_URL), redis-server and Chromium (TEST_CHROMIUM).
Usage: .venv/bin/python -m bench.inbox_live [--messages 40] [--interval 0.5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    free_port,
    source_copy,
    start_app,
    stop_app,
)
from tests.fakes import meta  # noqa: E402
from tests.fakes.pipeline import PrivateRedis  # noqa: E402
from tests.support import create_pg_database as _create_pg_database  # noqa: E402
from tests.support import drop_pg_database as _drop_pg_database  # noqa: E402

PHONE_ID = "5511400099999"
SECRET = "bench-live-secret-0123456789"
CONSULTANT = "consultora@demo.smarterchat.app"

WATCH = """
(texts) => {
  window.__seen = {};
  const check = () => {
    const body = document.body.innerText;
    for (const t of texts) if (!(t in window.__seen) && body.includes(t)) window.__seen[t] = Date.now();
  };
  new MutationObserver(check).observe(document.body, {childList: true, subtree: true,
                                                     characterData: true});
  check();
}
"""


def add_whatsapp_channel() -> uuid.UUID:
    """A WhatsApp channel without an AI agent: every message waits for a person."""
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Channel, Organization

    with session_scope() as session:
        org = session.exec(select(Organization).where(Organization.slug == "demo")).one()
        channel = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp bench",
                          external_id=PHONE_ID, access_token="token", app_secret=SECRET)
        session.add(channel)
    return channel.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    db_url = _create_pg_database()
    redis = PrivateRedis()
    redis.start()
    data_dir = Path(tempfile.mkdtemp(prefix="sc-live-"))
    env = {"SMARTERCHAT_DATABASE_URL": db_url, "SMARTERCHAT_REDIS_URL": redis.url,
           "SMARTERCHAT_LOG_LEVEL": "WARNING", "GRANIAN_WORKERS": "2"}
    port = free_port()
    app, base = start_app(data_dir, port, data_dir / "app.log", extra_env=env,
                          root=source_copy())
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "huey_consumer"), "tasks.huey", "-w", "8", "-k",
         "thread", "-q"], cwd=ROOT, env={**os.environ, **env,
                                          "SMARTERCHAT_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    os.environ.update(SMARTERCHAT_DATABASE_URL=db_url, SMARTERCHAT_DATA_DIR=str(data_dir))
    from smarterchat.backend import db

    db.reset()
    try:
        channel_id = add_whatsapp_channel()
        texts = [f"pedido {uuid.uuid4().hex[:10]}" for _ in range(args.messages)]
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(f"{base}/login")
            page.get_by_test_id("demo-hint").wait_for()  # the websocket is up
            page.get_by_test_id("login-email").fill(CONSULTANT)
            page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
            page.get_by_test_id("login-submit").click()
            page.wait_for_url(lambda url: "/login" not in url)
            page.goto(f"{base}/inbox")
            page.wait_for_load_state("networkidle")
            time.sleep(2)  # the page's live subscription is up
            page.evaluate(WATCH, texts)
            posted: dict[str, float] = {}
            with httpx.Client() as client:
                for i, text in enumerate(texts):
                    body = json.dumps(meta.whatsapp_message(
                        PHONE_ID, f"wamid.LIVE{i}-{uuid.uuid4().hex}",
                        sender=f"55119{i:08d}", name=f"Cliente {i}", body={"body": text})).encode()
                    posted[text] = time.time() * 1000
                    client.post(f"{base}/webhooks/whatsapp/{channel_id}", content=body,
                                headers={"X-Hub-Signature-256": meta.sign(body, SECRET),
                                         "Content-Type": "application/json"})
                    time.sleep(args.interval)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                seen = page.evaluate("() => window.__seen")
                if len(seen) == len(texts):
                    break
                time.sleep(0.5)
            browser.close()
        latencies = sorted(seen[t] - posted[t] for t in texts if t in seen)
        missing = len(texts) - len(latencies)
        print(f"\nWebhook -> text on the consultant's inbox screen (Chromium, PostgreSQL + Redis, "
              f"{len(texts)} messages every {args.interval:.1f} s)")
        if latencies:
            p95 = latencies[int(0.95 * (len(latencies) - 1))]
            print(f"p50 {statistics.median(latencies):.0f} ms   p95 {p95:.0f} ms   "
                  f"max {latencies[-1]:.0f} ms   not shown within 30 s: {missing}")
        else:
            print(f"no message reached the screen within 30 s ({missing} missing)")
    finally:
        os.killpg(worker.pid, 15)
        stop_app(app)
        redis.stop()
        db.reset()
        _drop_pg_database(db_url)


if __name__ == "__main__":
    main()
