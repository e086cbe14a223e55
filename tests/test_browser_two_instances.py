"""Production shape in Chromium: two app instances sharing PostgreSQL and Redis, a separate
huey_consumer, and two consultants, each on a different instance. What one does reaches
the other through Redis pub/sub, without a reload."""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from browser_support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    ROOT,
    free_port,
    start_app,
    stop_app,
)
from tests.fakes.meta import FakeGraph, sign, whatsapp_message
from tests.fakes.pipeline import PrivateRedis
from tests.support import (
    CHROMIUM,
    create_pg_database,
    drop_pg_database,
    need,
    need_chromium,
    need_postgresql,
)

CARLA = "consultora@demo.smarterchat.app"
BRUNO = "bruno.instancia@demo.smarterchat.app"
PHONE_ID = "551130000777"
SECRET = "two-instances-app-secret-5590"
TIMEOUT = 20_000
LIVE = 15_000

SETUP = """
import json, sys
from sqlmodel import select
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Channel, Membership, Organization, User
from smarterchat.backend.security import passwords

phone_id, secret, email, password = sys.argv[1:5]
with session_scope() as s:
    org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
    # No AI agent on this channel: its conversations wait for a person.
    channel = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp Central",
                      external_id=phone_id, access_token="EAAG-two", app_secret=secret)
    user = User(email=email, name="Bruno Instancia", password_hash=passwords.hash_password(password))
    s.add_all([channel, user])
    s.flush()
    s.add(Membership(organization_id=org.id, user_id=user.id, role="consultant"))
    s.flush()
    print(json.dumps({"channel": str(channel.id)}))
"""


@pytest.fixture(scope="module")
def cluster(request, checkout_build_untouched):
    need_chromium(request)
    need_postgresql(request)
    need(request, bool(shutil.which("redis-server")), "redis-server")
    ARTIFACTS.mkdir(exist_ok=True)
    graph = FakeGraph().start()
    redis = PrivateRedis()
    redis.start()
    db_url = create_pg_database()
    data = Path(tempfile.mkdtemp(prefix="smarterchat-two-"))
    # As in production, every instance and worker shares the keys (each would otherwise
    # generate its own in its data folder and not read the others' secrets or tokens).
    shared = {"SMARTERCHAT_DATABASE_URL": db_url, "SMARTERCHAT_REDIS_URL": redis.url,
              "SMARTERCHAT_GRAPH_API_BASE_URL": graph.base_url, "GRANIAN_WORKERS": "1",
              "SMARTERCHAT_SECRET_KEY": secrets.token_urlsafe(48),
              "SMARTERCHAT_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
    apps, worker = [], None
    try:
        # The first instance migrates and loads the demo; the second finds it there.
        for name in ("a", "b"):
            port = free_port()
            proc, base = start_app(data / name, port, ARTIFACTS / f"two-instances-{name}.log",
                                   extra_env=shared)
            apps.append((proc, base))
        env = {**os.environ, **shared, "SMARTERCHAT_DATA_DIR": str(data / "worker")}
        env.pop("SMARTERCHAT_ENV_FILE", None)
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "huey_consumer"), "tasks.huey", "-w", "4", "-k",
             "thread", "-q"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        made = subprocess.run([sys.executable, "-c", SETUP, PHONE_ID, SECRET, BRUNO,
                               DEMO_PASSWORD], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=True, timeout=120)
        channel = json.loads(made.stdout.strip().splitlines()[-1])["channel"]
        yield {"a": apps[0][1], "b": apps[1][1], "channel": channel, "graph": graph}
    finally:
        if worker is not None:
            os.killpg(worker.pid, 15)
            worker.wait(10)
        for proc, _ in apps:
            stop_app(proc)
        graph.stop()
        redis.stop()
        drop_pg_database(db_url)


def customer_writes(cluster: dict, base: str, text: str) -> None:
    body = json.dumps(whatsapp_message(PHONE_ID, f"wamid.{uuid.uuid4().hex}", name="Joana Lima",
                                       sender="5521977776666", body={"body": text})).encode()
    answer = httpx.post(f"{base}/webhooks/whatsapp/{cluster['channel']}", content=body,
                        headers={"X-Hub-Signature-256": sign(body, SECRET),
                                 "Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 200, answer.text


def open_inbox(browser, base: str, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base,
                                  locale="pt-BR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/login")
    page.get_by_test_id("demo-hint").wait_for()
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/inbox")
    page.get_by_test_id("inbox").wait_for()
    return page


def status_is(page, text: str) -> None:
    page.get_by_test_id("thread-status").filter(has_text=text).wait_for(timeout=LIVE)


def test_consultants_on_two_instances_see_each_other_live(cluster):
    from playwright.sync_api import sync_playwright

    def body():
        graph = cluster["graph"]
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            carla = open_inbox(browser, cluster["a"], CARLA)  # instance A
            bruno = open_inbox(browser, cluster["b"], BRUNO)  # instance B

            # The webhook reaches instance B; the worker stores it; both screens show it.
            customer_writes(cluster, cluster["b"], "Oi, meu pedido não chegou")
            for page in (carla, bruno):
                page.get_by_test_id("conversation-row").filter(has_text="Joana Lima").wait_for(
                    timeout=LIVE)
            carla.get_by_test_id("conversation-row").filter(has_text="Joana Lima").click()
            bruno.get_by_test_id("conversation-row").filter(has_text="Joana Lima").click()
            status_is(bruno, "Aguardando")

            # Carla (instance A) takes over and replies; Bruno (instance B) sees both live.
            carla.get_by_test_id("action-take-over").click()
            status_is(bruno, "Com consultor(a)")
            reply = "Oi Joana, aqui é a Carla. Já estou verificando seu pedido."
            carla.get_by_test_id("composer-text").fill(reply)
            carla.get_by_test_id("composer-send").click()
            # Picked by recipient and words: nobody was free when Joana wrote, so she was
            # also told (once) that everyone is busy, before or after this reply.
            def replies():
                return [r for r in graph.sends() if r.body.get("to") == "5521977776666"
                        and r.body.get("text", {}).get("body") == reply]
            deadline = time.monotonic() + 30
            while not replies() and time.monotonic() < deadline:
                time.sleep(0.1)
            (sent,) = replies()
            assert sent.body["type"] == "text"
            bruno.locator("[data-kind='consultant']").filter(has_text="aqui é a Carla").wait_for(
                timeout=LIVE)

            # The customer answers (through instance A this time); Bruno reads it live too.
            customer_writes(cluster, cluster["a"], "Obrigada, fico no aguardo")
            bruno.locator("[data-kind='contact']").filter(has_text="fico no aguardo").wait_for(
                timeout=LIVE)

            # Carla resolves on A; B shows it resolved.
            carla.get_by_test_id("action-resolve").click()
            status_is(bruno, "Resolvida")
            bruno.screenshot(path=str(ARTIFACTS / "two-instances-bruno.png"))
            browser.close()

    # Playwright's sync API on a thread of its own (it keeps an event loop on its thread).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(body).result()

