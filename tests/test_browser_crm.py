"""The CRM board in real Chromium on the app as ``manage.py start`` serves it: a card
dragged to another column stays there after a reload, a second browser (a consultant on
a phone) sees it move without reloading, and the "move to" menu works at phone width."""

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
    ADMIN,
    ARTIFACTS,
    CHROMIUM_ARGS,
    CONSULTANT,
    DEMO_PASSWORD,
    ROOT,
    app_environment,
    free_port,
    start_app,
    stop_app,
)
from tests.support import CHROMIUM, need_chromium

PHONE = {"width": 390, "height": 844}
TIMEOUT = 20_000
LIVE = 15_000

SETUP = """
import json
from sqlmodel import select
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Channel, Contact, Conversation, Lead, Organization
from smarterchat.backend.services.crm import defaults

with session_scope() as s:
    org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
    channel = s.exec(select(Channel).where(Channel.organization_id == org.id)).first()
    pipeline = defaults.default_pipeline(s, org.id)
    first = defaults.first_stage(s, pipeline)
    for i, name in enumerate(["Ana Quadro", "Bia Quadro", "Caio Inbox"]):
        contact = Contact(organization_id=org.id, channel_id=channel.id,
                          external_id=f"crm-browser-{i}", name=name)
        s.add(contact)
        s.flush()
        s.add(Lead(organization_id=org.id, contact_id=contact.id, pipeline_id=pipeline.id,
                   stage_id=first.id, position=float(i), temperature="hot",
                   temperature_reason="pediu orçamento", value_cents=150000))
        conversation = Conversation(organization_id=org.id, channel_id=channel.id,
                                    contact_id=contact.id, status="human")
        s.add(conversation)
        s.flush()
    print(json.dumps({"conversation": str(conversation.id)}))
"""


@pytest.fixture(scope="module")
def app(request, checkout_build_untouched):
    need_chromium(request)
    ARTIFACTS.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="smarterchat-crm-"))
    port = free_port()
    proc, base = start_app(data_dir, port, ARTIFACTS / "browser-crm-app.log")
    try:
        made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT,
                              env=app_environment(data_dir, port), capture_output=True,
                              text=True, check=True, timeout=120)
        conversation = json.loads(made.stdout.strip().splitlines()[-1])["conversation"]
        yield {"base": base, "conversation": conversation}
    finally:
        stop_app(proc)


@pytest.fixture(scope="module")
def on_browser(app):
    """Run a test body, given (browser, app), on a thread of its own: Playwright's sync
    API keeps an event loop on the thread that starts it."""
    from playwright.sync_api import sync_playwright

    with ThreadPoolExecutor(1, thread_name_prefix="playwright-crm") as pool:
        def start():
            driver = sync_playwright().start()
            return driver, driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        driver, browser = pool.submit(start).result()
        try:
            yield lambda body: pool.submit(body, browser, app).result()
        finally:
            pool.submit(lambda: (browser.close(), driver.stop())).result()


def open_board(browser, app: dict, email: str, **viewport):
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 900},
                                  base_url=app["base"], locale="pt-BR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/login")
    page.get_by_test_id("demo-hint").wait_for()
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/?(\?.*)?$"))
    page.goto("/crm")
    page.get_by_test_id("crm-stage").first.wait_for()
    return page


def column(page, name: str):
    return page.locator(f'[data-testid="crm-stage"][data-stage="{name}"]')


def test_a_dragged_card_stays_after_a_reload_and_others_see_it_move_live(on_browser):
    def body(browser, app):
        admin = open_board(browser, app, ADMIN)
        phone = open_board(browser, app, CONSULTANT, **PHONE)
        try:
            card = column(admin, "Novo").get_by_test_id("crm-card").filter(has_text="Ana Quadro")
            card.drag_to(column(admin, "Qualificado"))
            column(admin, "Qualificado").get_by_text("Ana Quadro").wait_for()
            # The consultant's phone, never reloaded, follows the move.
            column(phone, "Qualificado").get_by_text("Ana Quadro").wait_for(timeout=LIVE)
            assert column(phone, "Novo").get_by_text("Ana Quadro").count() == 0
            admin.reload()
            column(admin, "Qualificado").get_by_text("Ana Quadro").wait_for()
            assert column(admin, "Novo").get_by_text("Ana Quadro").count() == 0
            assert column(admin, "Qualificado").get_by_test_id("crm-stage-count") \
                .inner_text() == "1"
            phone.screenshot(path=str(ARTIFACTS / "crm-phone.png"), full_page=True)
        finally:
            admin.context.close()
            phone.context.close()

    on_browser(body)


def test_the_move_to_menu_works_at_phone_width(on_browser):
    def body(browser, app):
        phone = open_board(browser, app, CONSULTANT, **PHONE)
        try:
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, width  # the page itself never scrolls sideways
            card = column(phone, "Novo").get_by_test_id("crm-card").filter(has_text="Bia Quadro")
            card.get_by_test_id("crm-move-menu").click()
            phone.get_by_test_id("crm-move-option").filter(has_text="Proposta").click()
            column(phone, "Proposta").get_by_text("Bia Quadro").wait_for()
            # Won asks for the value before anything moves.
            card = column(phone, "Proposta").get_by_test_id("crm-card").filter(
                has_text="Bia Quadro")
            card.get_by_test_id("crm-move-menu").click()
            phone.get_by_test_id("crm-move-option").filter(has_text="Ganho").click()
            phone.get_by_test_id("crm-won-value").fill("2.000,00")
            phone.get_by_test_id("crm-confirm-move").click()
            column(phone, "Ganho").get_by_text("Bia Quadro").wait_for()
            column(phone, "Ganho").get_by_text("R$ 2.000,00").first.wait_for()
        finally:
            phone.context.close()

    on_browser(body)


def test_the_stage_changed_in_the_inbox_panel_shows_on_the_board(on_browser):
    def body(browser, app):
        page = open_board(browser, app, ADMIN)
        board = open_board(browser, app, ADMIN, **PHONE)  # left open: it follows live
        try:
            page.goto(f"/inbox?c={app['conversation']}")
            trigger = page.get_by_test_id("inbox-lead-stage")
            trigger.wait_for()
            trigger.click()
            page.get_by_role("option", name="Negociação").click()
            column(board, "Negociação").get_by_text("Caio Inbox").wait_for(timeout=LIVE)
            page.goto("/crm")
            column(page, "Negociação").get_by_text("Caio Inbox").wait_for()
            assert column(page, "Novo").get_by_text("Caio Inbox").count() == 0
        finally:
            page.context.close()
            board.context.close()

    on_browser(body)
