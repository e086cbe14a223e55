"""The live inbox in real Chromium: two consultants in two browsers (a desktop and a
phone) on the app as ``manage.py start`` serves it, a customer writing through a signed
WhatsApp webhook, the demo's AI answering (offline provider), and replies reaching a
fake Graph API. Everything the other consultant sees arrives without a reload."""

from __future__ import annotations

import json
import re
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
    app_environment,
    free_port,
    start_app,
    stop_app,
)
from tests.fakes.meta import FakeGraph, sign, whatsapp_message
from tests.support import CHROMIUM, need_chromium

CONSULTANT = "consultora@demo.smarterchat.app"
SECOND = "bruno@demo.smarterchat.app"
PHONE_ID = "106540352242922"
SECRET = "inbox-browser-app-secret-4417"
PHONE = {"width": 390, "height": 844}
TIMEOUT = 20_000
LIVE = 30_000  # a webhook waits for the embedded task consumer's next poll (up to 10 s idle)

SETUP = """
import json, sys
from sqlmodel import select
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Agent, Channel, Membership, Organization, Team, User
from smarterchat.backend.security import passwords

phone_id, secret, email, password = sys.argv[1:5]
with session_scope() as s:
    org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
    agent = s.exec(select(Agent).where(Agent.organization_id == org.id)).one()
    channel = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp Loja",
                      agent_id=agent.id, external_id=phone_id, access_token="EAAG-inbox-test",
                      app_secret=secret, verify_token="inbox-verify")
    user = User(email=email, name="Bruno Consultor",
                password_hash=passwords.hash_password(password))
    team = Team(organization_id=org.id, name="Vendas")
    s.add_all([channel, user, team])
    s.flush()
    s.add(Membership(organization_id=org.id, user_id=user.id, role="consultant",
                     team_id=team.id))
    s.flush()
    print(json.dumps({"channel": str(channel.id)}))
"""


@pytest.fixture(scope="module")
def graph():
    fake = FakeGraph().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def shop(request, graph, checkout_build_untouched):
    """The app with its Graph API pointed at the fake, a WhatsApp channel on the demo's
    agent, and a second consultant, in team Vendas."""
    need_chromium(request)
    ARTIFACTS.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="smarterchat-inbox-"))
    port = free_port()
    extra = {"SMARTERCHAT_GRAPH_API_BASE_URL": graph.base_url,
             "SMARTERCHAT_AI_COALESCE_SECONDS": "0"}
    # Its own app (not the session's demo app): the Graph API is a fake and the data differs.
    proc, base = start_app(data_dir, port, ARTIFACTS / "browser-inbox-app.log", extra_env=extra)
    try:
        made = subprocess.run(
            [sys.executable, "-c", SETUP, PHONE_ID, SECRET, SECOND, DEMO_PASSWORD], cwd=ROOT,
            env={**app_environment(data_dir, port), **extra}, capture_output=True, text=True,
            check=True, timeout=120)
        channel = json.loads(made.stdout.strip().splitlines()[-1])["channel"]
        yield {"base": base, "channel": channel}
    finally:
        stop_app(proc)


@pytest.fixture(scope="module")
def on_browser(shop):
    """Run a test body, given (browser, shop), on a thread of its own: Playwright's sync
    API keeps an event loop on the thread that starts it."""
    from playwright.sync_api import sync_playwright

    with ThreadPoolExecutor(1, thread_name_prefix="playwright-inbox") as pool:
        def start():
            driver = sync_playwright().start()
            return driver, driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        driver, browser = pool.submit(start).result()
        try:
            yield lambda body: pool.submit(body, browser, shop).result()
        finally:
            pool.submit(lambda: (browser.close(), driver.stop())).result()


def customer_writes(shop: dict, text: str, name: str = "Maria Silva",
                    sender: str = "5511988887777") -> None:
    body = json.dumps(whatsapp_message(PHONE_ID, f"wamid.{uuid.uuid4().hex}", name=name,
                                       sender=sender, body={"body": text})).encode()
    answer = httpx.post(f"{shop['base']}/webhooks/whatsapp/{shop['channel']}", content=body,
                        headers={"X-Hub-Signature-256": sign(body, SECRET),
                                 "Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 200, answer.text


def open_inbox(browser, base: str, email: str, path: str = "/inbox", **viewport):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800},
                                  base_url=base, locale="pt-BR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/login")
    page.get_by_test_id("demo-hint").wait_for()  # the websocket is up
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/?(\?.*)?$"))
    page.goto(path)
    page.get_by_test_id("inbox" if path == "/inbox" else "nav-inbox").first.wait_for(
        state="attached")
    return page


def sent_texts(graph: FakeGraph) -> list[str]:
    return [r.body.get("text", {}).get("body", "") for r in graph.sends()]


def status_is(page, text: str) -> None:
    page.get_by_test_id("thread-status").filter(has_text=text).wait_for(timeout=LIVE)


def test_two_consultants_follow_one_whatsapp_conversation_live(on_browser, graph):
    def body(browser, shop):
        base = shop["base"]
        carla = open_inbox(browser, base, CONSULTANT)
        bruno = open_inbox(browser, base, SECOND, **PHONE)
        carla.screenshot(path=str(ARTIFACTS / "inbox-empty-desktop.png"))

        # A customer writes on WhatsApp: both inboxes show it without a reload.
        customer_writes(shop, "Vocês entregam em todo o Brasil?")
        for page in (carla, bruno):
            page.get_by_test_id("conversation-row").filter(has_text="Maria Silva").wait_for(
                timeout=LIVE)
        # The demo's AI answered from its knowledge, on WhatsApp (the fake Graph API).
        graph.wait_for_sends(1, timeout=30)
        assert "Brasil" in sent_texts(graph)[0]

        carla.get_by_test_id("conversation-row").filter(has_text="Maria Silva").click()
        thread = carla.get_by_test_id("thread-messages")
        thread.locator("[data-kind='contact']").filter(has_text="Vocês entregam").wait_for()
        ai = thread.locator("[data-kind='ai']").first
        ai.wait_for(timeout=LIVE)
        assert "Fontes" in ai.inner_text()
        carla.get_by_test_id("window-open").wait_for()
        status_is(carla, "Com a IA")

        bruno.get_by_test_id("conversation-row").filter(has_text="Maria Silva").click()
        bruno.get_by_test_id("thread-header").wait_for()
        status_is(bruno, "Com a IA")

        # Carla takes over; Bruno sees it at once, and may no longer act on it.
        carla.get_by_test_id("action-take-over").click()
        status_is(carla, "Com consultor(a)")
        status_is(bruno, "Com consultor(a)")
        bruno.get_by_test_id("thread-assignee").filter(has_text="Carla Consultora").wait_for()
        assert bruno.get_by_test_id("action-take-over-narrow").count() == 0
        bruno.locator("[data-kind='system']").filter(has_text="assumiu").wait_for()

        # Her reply goes out through the Graph API and shows as sent; Bruno reads it live.
        reply = "Olá Maria! Aqui é a Carla. Entregamos sim, em 2 a 5 dias úteis."
        carla.get_by_test_id("composer-text").fill(reply)
        carla.get_by_test_id("composer-send").click()
        graph.wait_for_sends(2, timeout=30)
        assert reply in sent_texts(graph)
        mine = carla.locator("[data-kind='consultant']").filter(has_text="Aqui é a Carla")
        mine.get_by_test_id("tick-sent").wait_for(timeout=LIVE)
        assert carla.get_by_test_id("composer-text").input_value() == ""
        bruno.locator("[data-kind='consultant']").filter(has_text="Aqui é a Carla").wait_for(
            timeout=LIVE)

        # A file with a caption: uploaded to Meta, sent by id, shown in both threads.
        picker = carla.get_by_test_id("attach-upload").locator("input[type=file]")
        picker.set_input_files(files=[{"name": "programa.exe", "mimeType":
                                       "application/x-msdownload", "buffer": b"MZ\x90"}])
        carla.get_by_test_id("action-error").filter(
            has_text="não entrega arquivos deste tipo (programa.exe)").wait_for()
        pdf = b"%PDF-1.4\n% tabela de frete\n%%EOF\n"
        carla.get_by_test_id("attach-upload").locator("input[type=file]").set_input_files(
            files=[{"name": "Tabela de frete.pdf", "mimeType": "application/pdf", "buffer": pdf}])
        carla.get_by_test_id("attachment-pending").filter(has_text="Tabela de frete.pdf").wait_for()
        carla.get_by_test_id("composer-text").fill("Segue a tabela")
        carla.get_by_test_id("composer-send").click()
        graph.wait_for_sends(3, timeout=30)
        document = graph.sends()[-1].body["document"]
        (upload,) = [u for u in graph.uploads if u.media_id == document["id"]]
        assert upload.data == pdf and document["caption"] == "Segue a tabela"
        assert document["filename"] == "Tabela de frete.pdf"
        carla.get_by_test_id("attachment-pending").wait_for(state="detached")
        for who in (carla, bruno):
            who.locator("[data-kind='consultant']").filter(has_text="Segue a tabela") \
                .get_by_test_id("media-download").filter(has_text="Tabela de frete.pdf").wait_for(
                    timeout=LIVE)

        # A private note: highlighted, never sent.
        sends = len(graph.sends())
        carla.get_by_test_id("note-toggle").click()
        carla.get_by_test_id("composer-text").fill("Cliente de Campinas, oferecer frete grátis.")
        carla.get_by_test_id("composer-send").click()
        carla.locator("[data-kind='note']").filter(has_text="frete grátis").wait_for()
        bruno.locator("[data-kind='note']").filter(has_text="frete grátis").wait_for(timeout=LIVE)
        carla.get_by_test_id("note-toggle").click()
        carla.screenshot(path=str(ARTIFACTS / "inbox-thread-desktop.png"))
        bruno.screenshot(path=str(ARTIFACTS / "inbox-thread-phone.png"))
        assert len(graph.sends()) == sends

        # Back to the AI: the next customer message is answered by it again.
        carla.get_by_test_id("action-return").click()
        status_is(carla, "Com a IA")
        status_is(bruno, "Com a IA")
        customer_writes(shop, "Qual o prazo de entrega para Campinas?")
        carla.locator("[data-kind='contact']").filter(
            has_text="prazo de entrega para Campinas").wait_for(timeout=LIVE)
        graph.wait_for_sends(sends + 1, timeout=30)

        # Resolved, for both.
        carla.get_by_test_id("action-resolve").click()
        status_is(carla, "Resolvida")
        status_is(bruno, "Resolvida")
        carla.get_by_test_id("tab-resolved").click()
        carla.get_by_test_id("conversation-row").filter(has_text="Maria Silva").wait_for()
        carla.screenshot(path=str(ARTIFACTS / "inbox-resolved-desktop.png"))

        # On the phone: back to the list, and nothing sticks out sideways.
        bruno.get_by_test_id("thread-back").click()
        bruno.get_by_test_id("inbox-filter-select").wait_for()
        assert bruno.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        bruno.screenshot(path=str(ARTIFACTS / "inbox-list-phone.png"))

    started = time.monotonic()
    on_browser(body)
    print(f"live inbox scenario took {time.monotonic() - started:.1f} s")


RECORD_NOTIFICATIONS = """
window.__notified = [];
window.Notification = class {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) { window.__notified.push({title, body: (options || {}).body}); }
  close() {}
};
"""


def test_going_online_brings_waiting_customers_and_a_notification(on_browser, graph):
    def body(browser, shop):
        base = shop["base"]
        carla = open_inbox(browser, base, CONSULTANT)
        carla.context.add_init_script(RECORD_NOTIFICATIONS)
        carla.reload()
        carla.get_by_test_id("inbox").wait_for()
        assert carla.get_by_test_id("notify-enable").count() == 0  # already allowed

        manager = open_inbox(browser, base, "gerente@demo.smarterchat.app")
        manager.get_by_test_id("queue-link").click()
        manager.get_by_test_id("consultant-row").filter(has_text="Carla Consultora").wait_for()

        # Carla goes online: the manager sees it live.
        carla.get_by_test_id("availability").click()
        carla.get_by_role("option", name="Online").click()
        manager.get_by_test_id("consultant-row").filter(has_text="Carla Consultora").filter(
            has_text="Online").wait_for(timeout=LIVE)

        # A customer asks for a person: the AI hands over, distribution gives it to Carla,
        # her "mine" count moves and the browser notifies her.
        customer_writes(shop, "Quero falar com um atendente humano, por favor", name="Paulo Dias")
        carla.get_by_test_id("count-mine").filter(has_text="1").wait_for(timeout=LIVE)
        # Under load the queue's "waiting" notice may reach her before the assignment's.
        carla.wait_for_function(
            "window.__notified.some(n => n.title === 'Nova conversa para você')", timeout=LIVE)
        notified = carla.evaluate("window.__notified")
        mine = [n for n in notified if n["title"] == "Nova conversa para você"]
        assert len(mine) == 1 and mine[0]["body"].startswith("Paulo Dias"), notified
        manager.get_by_test_id("consultant-load").filter(has_text="1 de 5").wait_for(
            timeout=LIVE)
        manager.screenshot(path=str(ARTIFACTS / "inbox-queue-desktop.png"), full_page=True)

        carla.get_by_test_id("tab-mine").click()
        carla.get_by_test_id("conversation-row").filter(has_text="Paulo Dias").click()
        carla.locator("[data-kind='system']").filter(has_text="Transferido").wait_for()
        carla.get_by_test_id("thread-status").filter(has_text="Com consultor(a)").wait_for()
        carla.screenshot(path=str(ARTIFACTS / "inbox-assigned-desktop.png"))

        # She sends it to team Vendas, whose only consultant (Bruno) is offline: it waits.
        carla.get_by_test_id("action-transfer").click()
        team = carla.get_by_test_id("transfer-to-team").filter(has_text="Equipe Vendas")
        team.filter(has_text="0 online").wait_for()
        carla.screenshot(path=str(ARTIFACTS / "inbox-transfer-desktop.png"))
        team.click()
        status_is(carla, "Aguardando humano")
        carla.locator("[data-kind='system']").filter(
            has_text="transferiu a conversa para a equipe Vendas").wait_for()
        carla.get_by_test_id("tab-waiting").click()
        carla.get_by_test_id("conversation-row").filter(has_text="Paulo Dias").get_by_test_id(
            "row-team").filter(has_text="Vendas").wait_for()
        # Anyone may close a conversation in the queue: resolved, it leaves it (and the
        # next test starts with an empty queue).
        carla.get_by_test_id("action-resolve").click()
        status_is(carla, "Resolvida")
        carla.get_by_test_id("conversation-row").filter(has_text="Paulo Dias").wait_for(
            state="detached", timeout=LIVE)

        carla.get_by_test_id("availability").click()
        carla.get_by_role("option", name="Offline").click()
        manager.get_by_test_id("consultant-row").filter(has_text="Carla Consultora").filter(
            has_text="Offline").wait_for(timeout=LIVE)

    on_browser(body)


def test_badges_on_every_page_follow_the_queue_and_assignment(on_browser, graph):
    """A consultant on the CRM (desktop) and on the home page (phone) sees a customer
    join the queue, and then the conversation become hers, without a reload."""

    def body(browser, shop):
        base = shop["base"]
        bruno = open_inbox(browser, base, SECOND, "/crm")
        sidebar = bruno.get_by_test_id("sidebar")
        phone = open_inbox(browser, base, SECOND, "/", **PHONE)
        manager = open_inbox(browser, base, "gerente@demo.smarterchat.app")
        assert sidebar.get_by_test_id("nav-badge-mine").count() == 0
        assert bruno.title() == "CRM · SmarterChat"

        # A customer asks for a person while nobody is online: the queue grows, everywhere.
        customer_writes(shop, "Quero falar com um atendente humano, por favor",
                        name="Helena Costa", sender="5511977776666")
        waiting = sidebar.get_by_test_id("nav-badge-waiting")
        waiting.filter(has_text="1").wait_for(timeout=LIVE)
        assert waiting.get_attribute("aria-label") == "1 aguardando atendimento"
        assert bruno.title() == "(1) CRM · SmarterChat"
        phone.get_by_test_id("menu-dot").wait_for(timeout=LIVE)
        manager.get_by_test_id("sidebar").get_by_test_id("nav-badge-waiting").filter(
            has_text="1").wait_for(timeout=LIVE)
        # The title follows the badge on the next render: wait for it, do not sample it.
        manager.wait_for_function("document.title === '(1) Caixa de entrada · SmarterChat'",
                                  timeout=LIVE)
        bruno.screenshot(path=str(ARTIFACTS / "badges-waiting-desktop.png"))

        # The manager hands it to Bruno: his badge says so within about a second.
        manager.get_by_test_id("conversation-row").filter(has_text="Helena Costa").click()
        manager.get_by_test_id("action-transfer").click()
        manager.get_by_test_id("transfer-to").filter(has_text="Bruno Consultor").click()
        started = time.monotonic()
        mine = sidebar.get_by_test_id("nav-badge-mine")
        mine.filter(has_text="1").wait_for(timeout=LIVE)
        took = time.monotonic() - started
        assert mine.get_attribute("aria-label") == "1 atribuída a você"
        waiting.wait_for(state="detached", timeout=LIVE)
        assert bruno.title() == "(1) CRM · SmarterChat"
        # The manager's inbox, whose own listener feeds its sidebar, agrees.
        manager.get_by_test_id("sidebar").get_by_test_id("nav-badge-waiting").wait_for(
            state="detached", timeout=LIVE)

        assert manager.title() == "Caixa de entrada · SmarterChat"

        # On the phone the badges are in the drawer.
        phone.get_by_test_id("menu-button").click()
        drawer = phone.get_by_test_id("drawer")
        drawer.get_by_test_id("nav-badge-mine").filter(has_text="1").wait_for(timeout=LIVE)
        assert drawer.get_by_test_id("nav-badge-waiting").count() == 0
        phone.wait_for_timeout(500)  # the drawer's slide, for the picture
        phone.screenshot(path=str(ARTIFACTS / "badges-drawer-phone.png"))
        bruno.screenshot(path=str(ARTIFACTS / "badges-mine-desktop.png"))

        # Bruno moves to the home page (no reload); the manager resolves: the badge goes.
        sidebar.get_by_test_id("nav-home").click()
        bruno.wait_for_url(re.compile(r"^https?://[^/]+/?$"))
        mine.filter(has_text="1").wait_for()
        bruno.get_by_test_id("home-mine").filter(has_text=": 1").wait_for()
        manager.get_by_test_id("action-resolve").click()
        mine.wait_for(state="detached", timeout=LIVE)
        bruno.get_by_test_id("home-mine").filter(has_text=": 0").wait_for(timeout=LIVE)
        assert bruno.title() == "Início · SmarterChat"
        print(f"the mine badge appeared {took:.2f} s after the transfer")
        assert took < 5, took

    on_browser(body)
