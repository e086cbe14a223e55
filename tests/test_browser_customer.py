"""The customer's side in real Chromium: a web chat visitor on a phone and a consultant in
the inbox, on the app as ``manage.py start`` serves it (embedded: SQLite, tasks in the
process). The visitor is told once that nobody is free, sees their messages read and the
consultant typing, sees
"Carla Consultora entrou na conversa" and her name on her reply, gets the closing message
and the survey, answers it with stars, sends a photo the consultant sees, and writing
again reopens the same conversation."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
from tests.support import CHROMIUM, need_chromium

CONSULTANT = "consultora@demo.smarterchat.app"
PHONE = {"width": 390, "height": 844}
TIMEOUT = 20_000
LIVE = 30_000  # a notice waits for the embedded task consumer's next poll
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05"
       b"\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

SETUP = """
import json
from sqlmodel import select
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Channel, Membership, Organization

with session_scope() as s:
    org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
    org.distribution_mode = "manual"
    org.service_settings = {"survey_enabled": True, "closing_enabled": True,
                            "reopen_window_hours": 24,
                            "closing_message": "Obrigado por falar com a Loja Demo!",
                            "privacy_notice": "Usamos seus dados só para este atendimento."}
    for membership in s.exec(select(Membership).where(Membership.organization_id == org.id)):
        membership.availability = "offline"
        s.add(membership)
    channel = Channel(organization_id=org.id, kind="webchat", name="Chat de teste",
                      config={"title": "Loja Demo"})
    s.add_all([org, channel])
    s.flush()
    print(json.dumps({"channel": str(channel.id)}))
"""

COUNT = """
import sys, uuid
from sqlmodel import select
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Conversation

with session_scope() as s:
    rows = s.exec(select(Conversation).where(Conversation.channel_id == uuid.UUID(sys.argv[1]))).all()
    print(";".join(f"{c.status},{c.csat_rating}" for c in rows))
"""


@pytest.fixture(scope="module")
def shop(request, checkout_build_untouched):
    need_chromium(request)
    ARTIFACTS.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="smarterchat-customer-"))
    port = free_port()
    proc, base = start_app(data_dir, port, ARTIFACTS / "browser-customer-app.log")
    env = app_environment(data_dir, port)
    try:
        made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True, timeout=120)
        channel = json.loads(made.stdout.strip().splitlines()[-1])["channel"]
        yield {"base": base, "channel": channel, "env": env}
    finally:
        stop_app(proc)


def conversations(shop) -> str:
    return subprocess.run([sys.executable, "-c", COUNT, shop["channel"]], cwd=ROOT,
                          env=shop["env"], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def test_a_visitor_and_a_consultant_see_who_is_answering_and_the_survey(shop):
    from playwright.sync_api import sync_playwright

    def body():
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                scenario(browser, shop)
            finally:
                browser.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API wants a thread of its own
        pool.submit(body).result()


def scenario(browser, shop) -> None:
    visitor_ctx = browser.new_context(viewport=PHONE, base_url=shop["base"], locale="pt-BR")
    visitor_ctx.set_default_timeout(TIMEOUT)
    visitor = visitor_ctx.new_page()
    # An address that leads nowhere gets a page a person understands, in their language.
    visitor.goto("/isto-nao-existe")
    visitor.get_by_role("heading", name="Página não encontrada").wait_for()
    assert visitor.get_by_test_id("not-found-home").is_visible()
    visitor.goto(f"/chat/{shop['channel']}")
    visitor.get_by_test_id("chat-privacy").filter(has_text="só para este atendimento").wait_for()
    assert "4000 caracteres" in visitor.locator("#chat-length-hint").inner_text()
    visitor.get_by_test_id("chat-name").fill("Vera Visitante")
    visitor.get_by_test_id("chat-name").blur()
    visitor.get_by_test_id("chat-input").fill("Oi, quero trocar um tênis")
    visitor.get_by_test_id("chat-send").click()
    waiting = visitor.get_by_test_id("chat-theirs").filter(has_text="estão ocupadas")
    waiting.wait_for(timeout=LIVE)
    visitor.get_by_test_id("chat-input").fill("Alguém pode me ajudar?")
    visitor.get_by_test_id("chat-send").click()
    visitor.get_by_test_id("chat-mine").filter(has_text="Alguém pode").wait_for()
    visitor.wait_for_timeout(3000)
    assert waiting.count() == 1  # told once, not after every message

    # The consultant opens it: the visitor's messages show as read.
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 800},
                                    base_url=shop["base"], locale="pt-BR")
    staff_ctx.set_default_timeout(TIMEOUT)
    carla = staff_ctx.new_page()
    carla.goto("/login")
    carla.get_by_test_id("demo-hint").wait_for()
    carla.get_by_test_id("login-email").fill(CONSULTANT)
    carla.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    carla.get_by_test_id("login-submit").click()
    carla.wait_for_url(re.compile(r"^https?://[^/]+/?(\?.*)?$"))
    carla.goto("/inbox")
    row = carla.get_by_test_id("conversation-row").filter(has_text="Vera Visitante")
    row.wait_for(timeout=LIVE)
    row.click()
    carla.get_by_test_id("thread-messages").locator("[data-kind='contact']").filter(
        has_text="trocar um tênis").wait_for()
    visitor.locator("[data-testid='chat-mine'][data-status='read']").first.wait_for(timeout=LIVE)

    # She writes: the visitor sees her typing; then that she joined, and her named reply.
    carla.get_by_test_id("composer-text").fill("Oi Vera! Posso ajudar com a troca.")
    visitor.get_by_test_id("chat-typing").filter(
        has_text="Carla Consultora está digitando").wait_for(timeout=LIVE)
    carla.get_by_test_id("composer-send").click()
    visitor.get_by_test_id("chat-notice").filter(
        has_text="Carla Consultora entrou na conversa").wait_for(timeout=LIVE)
    reply = visitor.get_by_test_id("chat-theirs").filter(has_text="Posso ajudar com a troca")
    reply.wait_for(timeout=LIVE)
    assert "Carla Consultora" in reply.inner_text()
    visitor.screenshot(path=str(ARTIFACTS / "webchat-joined-phone.png"))

    # A photo from the visitor's phone reaches the consultant's thread.
    visitor.get_by_test_id("chat-attach").locator("input[type=file]").set_input_files(
        files=[{"name": "tenis.png", "mimeType": "image/png", "buffer": PNG}])
    visitor.locator("[data-testid='chat-mine'] [data-testid='chat-image']").wait_for(
        timeout=LIVE)
    carla.get_by_test_id("thread-messages").locator(
        "[data-kind='contact'] [data-testid='media-image']").wait_for(timeout=LIVE)

    # Resolved: the closing message and the survey; four stars and a comment.
    carla.get_by_test_id("action-resolve").first.click()
    visitor.get_by_test_id("chat-theirs").filter(
        has_text="Obrigado por falar com a Loja Demo!").wait_for(timeout=LIVE)
    survey = visitor.get_by_test_id("chat-survey")
    survey.wait_for(timeout=LIVE)
    visitor.get_by_test_id("chat-comment").fill("Muito rápido")
    visitor.get_by_test_id("chat-star-4").click()
    visitor.get_by_test_id("chat-rated").filter(has_text="4 de 5").wait_for()
    visitor.screenshot(path=str(ARTIFACTS / "webchat-survey-phone.png"))
    assert conversations(shop) == "resolved,4"

    # Writing again within the window reopens the same conversation, with Carla.
    visitor.get_by_test_id("chat-input").fill("Esqueci: qual o prazo da troca?")
    visitor.get_by_test_id("chat-send").click()
    carla.get_by_test_id("thread-messages").locator("[data-kind='contact']").filter(
        has_text="qual o prazo").wait_for(timeout=LIVE)
    assert conversations(shop) == "human,4"
    visitor_ctx.close()
    staff_ctx.close()
