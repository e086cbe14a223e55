"""The documented production layout, for real: nginx with deploy/nginx in front of two
``manage.py app`` instances, two ``manage.py worker`` processes and the one scheduler, on
PostgreSQL and a private Redis, the pages built once by ``manage.py frontend``.

A signed webhook through nginx is answered by the AI (fake model) through the fake Graph
API; a consultant's page loads through nginx and its websocket upgrades there and carries
a live update; with one app instance killed, webhooks are still answered 200."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM_ARGS
from tests.deploy_support import Stack
from tests.fakes.meta import sign, whatsapp_message
from tests.support import (
    CHROMIUM,
    POSTGRES_URL,
    create_pg_database,
    drop_pg_database,
    need,
    reachable,
)

PHONE_ID = "551130000888"
SECRET = "nginx-stack-app-secret-7781"
CONSULTANT = "consultora@nginx.example"
MANAGER = "gerente@nginx.example"
PASSWORD = "nginx-stack-password-1"
LIVE = 20_000

SETUP = """
import json, sys
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Agent, Channel, Membership, Organization, User
from smarterchat.backend.security import passwords

phone_id, secret, email, password, manager_email = sys.argv[1:6]
with session_scope() as s:
    org = Organization(name="Loja Nginx", slug="loja-nginx")
    user = User(email=email, name="Carla Nginx", password_hash=passwords.hash_password(password))
    manager = User(email=manager_email, name="Gil Gerente", password_hash=user.password_hash)
    s.add_all([org, user, manager])
    s.flush()
    s.add(Membership(organization_id=org.id, user_id=manager.id, role="manager"))
    agent = Agent(organization_id=org.id, name="Assistente", business_facts="Entregamos no Brasil.")
    s.add(agent)
    s.flush()
    channel = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp", agent_id=agent.id,
                      external_id=phone_id, access_token="EAAG-nginx", app_secret=secret)
    chat = Channel(organization_id=org.id, kind="webchat", name="Site",
                   config={"embed_origins": ["https://www.loja-nginx.com.br"]})
    s.add_all([channel, chat, Membership(organization_id=org.id, user_id=user.id, role="consultant")])
    s.flush()
    print(json.dumps({"channel": str(channel.id), "chat": str(chat.id)}))
"""


ASSIGN = """
import sys
from sqlmodel import select
import tasks  # noqa: F401  (connects the listeners that publish the change to the browsers)
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Contact, Conversation, User
from smarterchat.backend.services import inbox
from smarterchat.backend.services.actors import load_actor

manager_email, consultant_email, contact_name = sys.argv[1:4]
with session_scope() as s:
    manager = s.exec(select(User).where(User.email == manager_email)).one()
    consultant = s.exec(select(User).where(User.email == consultant_email)).one()
    conversation = s.exec(select(Conversation).join(Contact, Contact.id == Conversation.contact_id)
                          .where(Contact.name == contact_name)).one()
    actor = load_actor(s, manager.id, conversation.organization_id)
    inbox.transfer(s, actor, conversation.id, consultant.id)
"""

# What the test sees of the page's notifications: the calls to showNotification, and a tab
# that reports itself hidden (as a phone's browser does when another app is in front).
IN_BACKGROUND = """
() => {
  window.__notes = [];
  const show = ServiceWorkerRegistration.prototype.showNotification;
  ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
    window.__notes.push({title, body: options.body, tag: options.tag});
    return show.call(this, title, options).catch(() => {});
  };
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
  document.dispatchEvent(new Event("visibilitychange"));
}
"""


@pytest.fixture(scope="module")
def stack(request):
    need(request, reachable(POSTGRES_URL, 5432), f"PostgreSQL at {POSTGRES_URL}")
    need(request, bool(shutil.which("redis-server")), "redis-server")
    need(request, bool(shutil.which("nginx")), "nginx (apt-get install nginx-light)")
    need(request, bool(shutil.which("chromium") or CHROMIUM), "Chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    db_url = create_pg_database()
    stack = Stack(db_url, apps=2, workers=2)
    try:
        stack.start()
        made = subprocess.run([sys.executable, "-c", SETUP, PHONE_ID, SECRET, CONSULTANT,
                               PASSWORD, MANAGER], cwd=stack.source, env=stack.env("setup"),
                              capture_output=True, text=True, timeout=120, check=False)
        assert made.returncode == 0, made.stderr
        ids = json.loads(made.stdout.strip().splitlines()[-1])
        stack.channel, stack.chat = ids["channel"], ids["chat"]
        yield stack
    finally:
        for name in ("nginx", "app0", "app1", "worker0", "worker1", "scheduler"):
            (ARTIFACTS / f"deploy-nginx-{name}.log").write_text(stack.log(name)[-20000:])
        stack.stop()
        drop_pg_database(db_url)


def webhook(stack, text: str, sender: str, name: str = "Joana Lima") -> httpx.Response:
    body = json.dumps(whatsapp_message(PHONE_ID, f"wamid.{uuid.uuid4().hex}", name=name,
                                       sender=sender, body={"body": text})).encode()
    return httpx.post(f"{stack.url}/webhooks/whatsapp/{stack.channel}", content=body,
                      headers={"X-Hub-Signature-256": sign(body, SECRET),
                               "Content-Type": "application/json"}, timeout=15)


def replies_to(stack, sender: str, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [s for s in stack.graph.sends() if s.body.get("to") == sender]
        if found:
            return found
        time.sleep(0.2)
    return []


def test_static_pages_and_assets_come_from_nginx_with_the_right_caching(stack):
    page = httpx.get(f"{stack.url}/login", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers.get("content-encoding") == "gzip"
    assert "uvicorn" not in page.headers.get("server", "")  # nginx served it, not an app

    script = re.search(r'/assets/[^"\']+\.js', page.text)
    assert script, "the login page names no hashed script"
    asset = httpx.get(stack.url + script.group(0), headers={"Accept-Encoding": "gzip"})
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("application/javascript")
    assert asset.headers.get("content-encoding") == "gzip"

    # A route with a parameter has no file of its own: the client-side router's page.
    assert httpx.get(f"{stack.url}/agents/{uuid.uuid4()}").status_code == 200

    # nginx's pages carry the app's security headers: nobody frames them.
    for answer in (page, asset):
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_web_chat_page_is_framed_only_by_its_channels_sites(stack):
    page = httpx.get(f"{stack.url}/chat/{stack.chat}")
    assert page.status_code == 200 and "<html" in page.text.lower()
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://www.loja-nginx.com.br" in policy
    assert "x-frame-options" not in page.headers
    other = httpx.get(f"{stack.url}/chat/{uuid.uuid4()}")
    assert "frame-ancestors 'self'" in other.headers["content-security-policy"]
    assert "loja-nginx" not in other.headers["content-security-policy"]


def test_health_routes_reach_the_apps_and_metrics_stay_internal(stack):
    ready = httpx.get(f"{stack.url}/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok"}  # outsiders learn nothing more
    operator = {"Authorization": f"Bearer {stack.metrics_token}"}
    detailed = httpx.get(f"{stack.url}/readyz", headers=operator)
    assert detailed.json()["checks"]["redis"]["configured"] is True
    assert httpx.get(f"{stack.url}/metrics", headers=operator).status_code == 404
    # ...but each instance answers Prometheus on its own port, with the token only.
    direct = f"http://127.0.0.1:{stack.app_ports[0]}/metrics"
    assert httpx.get(direct).status_code == 404
    assert httpx.get(direct, headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert "smarterchat_http_requests_total" in httpx.get(direct, headers=operator).text
    # nginx's request id is the one the app logs and returns.
    assert re.fullmatch(r"[0-9a-f]{32}", ready.headers["x-request-id"])


def test_the_worker_check_and_the_single_scheduler(stack):
    checked = stack.run_manage("check", "check-worker", "20")
    assert '"status": "ok"' in checked, checked
    # A second scheduler does not start consuming: it waits for the first one's lock.
    second = stack.manage("scheduler-second", "scheduler")
    try:
        deadline = time.monotonic() + 60
        while "waiting for it to stop" not in stack.log("scheduler-second"):
            assert second.poll() is None, stack.log("scheduler-second")
            assert time.monotonic() < deadline, stack.log("scheduler-second")
            time.sleep(0.5)
        assert "scheduler lock taken" not in stack.log("scheduler-second")
    finally:
        stack.kill("scheduler-second", signal.SIGTERM)


def test_oversized_webhooks_stop_at_nginx(stack):
    answer = httpx.post(f"{stack.url}/webhooks/whatsapp/{stack.channel}",
                        content=b"x" * (4 * 1024 * 1024), timeout=15)
    assert answer.status_code == 413


def test_a_signed_webhook_through_nginx_is_answered_by_the_ai(stack):
    sender = "5521966660001"
    answer = webhook(stack, "Vocês entregam em Recife?", sender)
    assert answer.status_code == 200, answer.text
    (reply,) = replies_to(stack, sender)
    assert reply.body["text"]["body"] == stack.openai.reply


def test_the_inbox_loads_through_nginx_and_its_websocket_carries_live_updates(stack):
    from playwright.sync_api import sync_playwright

    sender = "5521966660002"
    assert webhook(stack, "Primeira mensagem pelo nginx", sender, name="Rita Proxy").status_code \
        == 200

    def body():
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=stack.url, locale="pt-BR",
                                          viewport={"width": 1280, "height": 800})
            context.set_default_timeout(LIVE)
            page = context.new_page()
            sockets, frames = [], []

            def watch(socket):
                sockets.append(socket.url)
                socket.on("framereceived", lambda _payload: frames.append(socket.url))

            page.on("websocket", watch)
            page.goto("/login")
            page.get_by_test_id("login-email").fill(CONSULTANT)
            page.get_by_test_id("login-password").fill(PASSWORD)
            page.get_by_test_id("login-submit").click()
            page.wait_for_url(lambda url: "/login" not in url)
            page.goto("/inbox")
            page.get_by_test_id("conversation-row").filter(has_text="Rita Proxy").click()
            page.locator("[data-kind='contact']").filter(
                has_text="Primeira mensagem pelo nginx").wait_for()

            # A new message reaches the open thread through the websocket, no reload.
            assert webhook(stack, "Segunda, ao vivo", sender, name="Rita Proxy").status_code \
                == 200
            page.locator("[data-kind='contact']").filter(has_text="Segunda, ao vivo").wait_for()
            page.screenshot(path=str(ARTIFACTS / "deploy-nginx-inbox.png"))
            browser.close()
            return sockets, frames

    # Playwright's sync API on a thread of its own (it keeps an event loop on its thread).
    with ThreadPoolExecutor(1) as pool:
        sockets, frames = pool.submit(body).result()
    through_nginx = f"ws://127.0.0.1:{stack.nginx_port}/_event"
    assert sockets and all(url.startswith(through_nginx) for url in sockets), sockets
    assert frames, "no frame came back over the websocket"


def test_webhooks_are_answered_200_while_one_instance_is_dead(stack):
    stack.kill("app0")
    senders = [f"55219555500{i:02d}" for i in range(8)]
    codes = [webhook(stack, f"Mensagem {i} com uma instância fora", s).status_code
             for i, s in enumerate(senders)]
    assert codes == [200] * len(senders)
    for sender in senders:
        assert replies_to(stack, sender), f"no reply to {sender}"
    stack.start_app(0)  # and it comes back behind nginx
    assert httpx.get(f"http://127.0.0.1:{stack.app_ports[0]}/readyz").status_code == 200


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_app_is_installable(stack):
    manifest = httpx.get(f"{stack.url}/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["display"] == "standalone" and body["start_url"] == "/inbox"
    sizes = set()
    for icon in body["icons"]:
        image = httpx.get(stack.url + icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        width, height = _png_size(image.content)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert {192, 512} <= sizes  # what browsers ask of an installable app
    worker = httpx.get(f"{stack.url}/sw.js")
    assert worker.status_code == 200 and worker.headers["cache-control"] == "no-cache"
    assert "notificationclick" in worker.text


def test_on_a_phone_the_inbox_works_and_an_assignment_in_the_background_notifies(stack):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    sender = "5521966660003"
    assert webhook(stack, "Preciso de ajuda pelo celular", sender, name="Nina Celular") \
        .status_code == 200
    assert replies_to(stack, sender), "the AI did not answer"

    def body():
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=stack.url, locale="pt-BR", is_mobile=True,
                                          has_touch=True, viewport={"width": 390, "height": 844},
                                          permissions=["notifications"])
            context.set_default_timeout(LIVE)
            page = context.new_page()
            page.goto("/login")
            page.get_by_test_id("login-email").fill(CONSULTANT)
            page.get_by_test_id("login-password").fill(PASSWORD)
            page.get_by_test_id("login-submit").click()
            page.wait_for_url(lambda url: "/login" not in url)
            page.goto("/inbox")
            row = page.get_by_test_id("conversation-row").filter(has_text="Nina Celular")
            row.wait_for()
            widths = {"list": page.evaluate("document.documentElement.scrollWidth")}
            page.screenshot(path=str(ARTIFACTS / "deploy-phone-inbox.png"))
            row.click()
            page.locator("[data-kind='contact']").filter(has_text="pelo celular").wait_for()
            composer = page.get_by_test_id("composer-text")
            composer.wait_for()
            box = composer.bounding_box()
            widths["thread"] = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / "deploy-phone-thread.png"))

            # Reflex's head tags are placed by the page's script (react-helmet), so the
            # browser, not the static HTML, is where the manifest link is checked.
            manifest = page.evaluate("document.querySelector('link[rel=manifest]').href")
            scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
            page.evaluate(IN_BACKGROUND)
            assigned = subprocess.run([sys.executable, "-c", ASSIGN, MANAGER, CONSULTANT,
                                       "Nina Celular"], cwd=stack.source,
                                      env=stack.env("assign"), capture_output=True, text=True,
                                      timeout=120, check=False)
            assert assigned.returncode == 0, assigned.stderr
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function("window.__notes.length > 0")
            notes = page.evaluate("window.__notes")
            if not notes:  # say why, not only that it did not happen
                notes = page.evaluate(
                    "() => ({count: (document.getElementById('sc-assigned') || {dataset: {}})"
                    ".dataset.count, permission: window.Notification && Notification.permission,"
                    " hidden: document.visibilityState, badge: (document.querySelector("
                    "'[data-testid=nav-badge-mine]') || {}).textContent})")
            browser.close()
            return widths, box, manifest, scope, notes

    with ThreadPoolExecutor(1) as pool:
        widths, box, manifest, scope, notes = pool.submit(body).result()
    assert widths == {"list": 390, "thread": 390}, widths  # nothing wider than the phone
    # The composer is on screen, inside the phone's width, and wide enough to type in.
    assert box is not None
    assert box["x"] + box["width"] <= 390 and box["width"] > 200
    assert box["y"] + box["height"] <= 844
    assert manifest == f"{stack.url}/manifest.webmanifest"
    assert scope == f"{stack.url}/"
    assert notes == [{"title": "SmarterChat", "body": "1 atribuída a você",
                      "tag": "smarterchat-assigned"}]
