"""LGPD from the inbox contact panel, in a real headless Chromium on the demo app: a visitor
writes on the web chat, the admin downloads everything about them as one file, then erases
them; the conversation is gone and the visitor who writes again starts fresh."""

from __future__ import annotations

import json

from browser_support import ADMIN, ARTIFACTS, log_in, new_page, wait_path


def _web_chat_url(admin) -> str:
    admin.goto("/settings/channels")
    admin.get_by_test_id("channel-row").filter(has_text="Chat do site").first.click()
    return admin.get_by_test_id("widget-url").inner_text().strip()


def _visitor_writes(browser, url: str, name: str, text: str):
    context = browser.new_context(locale="pt-BR")
    context.set_default_timeout(20_000)
    visitor = context.new_page()
    visitor.goto(url)
    visitor.get_by_test_id("chat-name").fill(name)
    visitor.get_by_test_id("chat-input").fill(text)
    visitor.get_by_test_id("chat-input").press("Enter")
    visitor.get_by_test_id("chat-mine").filter(has_text="Enviada").wait_for()
    return context


def _open(admin, name: str) -> None:
    admin.goto("/inbox")
    admin.get_by_test_id("tab-all").click()
    admin.get_by_test_id("conversation-row").filter(has_text=name).first.click()
    admin.get_by_test_id("contact-panel").wait_for()


def test_admin_exports_then_erases_a_contact_from_the_panel(browser, app_url):
    admin = new_page(browser, app_url)
    log_in(admin, ADMIN)
    wait_path(admin, "/")
    url = _web_chat_url(admin)
    visitor = _visitor_writes(browser, url, "Lia Privacidade", "Quero meus dados, por favor.")
    _open(admin, "Lia Privacidade")
    section = admin.get_by_test_id("privacy-section")
    admin.screenshot(path=str(ARTIFACTS / "privacy-panel-desktop.png"), full_page=True)

    with admin.expect_download() as download:
        section.get_by_test_id("privacy-export").click()
    document = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert download.value.suggested_filename.startswith("contato-")
    assert document["contact"]["name"] == "Lia Privacidade"
    texts = [m["text"] for c in document["conversations"] for m in c["messages"]]
    assert "Quero meus dados, por favor." in texts

    section.get_by_test_id("privacy-erase").click()
    admin.get_by_text("Apagar todos os dados deste contato?").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "privacy-erase-dialog.png"))
    admin.get_by_test_id("privacy-erase-confirm").click()
    wait_path(admin, "/inbox")
    admin.get_by_test_id("tab-all").click()
    admin.wait_for_timeout(1500)
    assert admin.get_by_test_id("conversation-row").filter(has_text="Lia Privacidade").count() == 0

    # The same visitor writes again: a new contact, no history shown to them or to the team.
    page = visitor.pages[0]
    page.reload()
    page.get_by_test_id("chat-input").fill("Oi de novo")
    page.get_by_test_id("chat-input").press("Enter")
    page.get_by_test_id("chat-mine").filter(has_text="Oi de novo").wait_for()
    assert page.get_by_test_id("chat-mine").filter(has_text="Quero meus dados").count() == 0
    visitor.close()
