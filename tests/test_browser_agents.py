"""The agents pages in a real headless Chromium, on the app as ``manage.py start`` serves it
(the session's demo app and the browser fixtures of conftest.py)."""

from __future__ import annotations

import re

from browser_support import ADMIN, ARTIFACTS, CONSULTANT, log_in, new_page, wait_path

PHONE = {"width": 390, "height": 844}
AGENT_PAGE = re.compile(r"/agents/[0-9a-f-]{36}$")


def screenshots(page, name: str) -> None:
    """The whole page, plus one shot per screenful (a full-page shot draws fixed and
    sticky parts where the first screen had them)."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    height = page.viewport_size["height"]
    total = page.evaluate("document.documentElement.scrollHeight")
    for i, top in enumerate(range(0, total, height - 80)):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(100)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{i + 1}.png"))
    page.evaluate("window.scrollTo(0, 0)")


def open_demo_agent(page) -> str:
    page.goto("/agents")
    card = page.get_by_test_id("agent-card").filter(has_text="Assistente da Loja")
    card.get_by_test_id("agent-provider").filter(has_text="Offline (sem custo)").wait_for()
    card.get_by_test_id("agent-open").click()
    page.wait_for_url(AGENT_PAGE)
    page.get_by_test_id("agent-greeting").wait_for()
    return page.url


def test_admin_edits_tries_and_saves_the_demo_agent(browser, app_url):
    page = new_page(browser, app_url)
    log_in(page, ADMIN)
    wait_path(page, "/")
    page.goto("/agents")
    page.get_by_test_id("agent-card").first.wait_for()
    screenshots(page, "agents-desktop")
    url = open_demo_agent(page)

    greeting = page.get_by_test_id("agent-greeting")
    greeting.fill("Oi! Eu sou a Lia, assistente da Loja Demo. Em que posso ajudar?")
    page.get_by_test_id("unsaved").wait_for()

    # "Try it" answers before saving, and shows why.
    page.get_by_test_id("try-input").fill("Vocês entregam em todo o Brasil?")
    page.get_by_test_id("try-send").click()
    turn = page.get_by_test_id("try-turn").first
    turn.get_by_test_id("try-reply").wait_for()
    decision = turn.get_by_test_id("try-decision")
    assert "Respondeu" in decision.inner_text() and "Confiança" in decision.inner_text()
    page.get_by_test_id("try-input").fill("Quero falar com uma pessoa de verdade")
    page.get_by_test_id("try-send").click()
    page.get_by_test_id("try-reason").wait_for()
    assert "pediu uma pessoa" in page.get_by_test_id("try-reason").inner_text()
    page.get_by_test_id("try-closed").wait_for()
    screenshots(page, "agent-try-desktop")

    page.get_by_test_id("agent-save").click()
    page.get_by_test_id("save-notice").filter(has_text="Alterações salvas.").wait_for()
    page.goto(url)
    page.get_by_test_id("agent-greeting").wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=agent-greeting]').value.startsWith('Oi! Eu sou a Lia')")

    page.get_by_test_id("try-reset").click()
    page.get_by_test_id("try-turn").first.wait_for(state="detached")
    page.context.close()


def test_admin_adds_an_faq_and_a_document_becomes_ready(browser, app_url, tmp_path):
    page = new_page(browser, app_url)
    log_in(page, ADMIN)
    wait_path(page, "/")
    open_demo_agent(page)
    page.get_by_test_id("tab-knowledge").click()

    page.get_by_test_id("faq-question").fill("Vocês aceitam Pix?")
    page.get_by_test_id("faq-answer").fill("Sim, com 5% de desconto no Pix.")
    page.get_by_test_id("faq-add").click()
    page.get_by_test_id("faq-row").filter(has_text="Vocês aceitam Pix?").wait_for()
    assert page.get_by_test_id("faq-question").input_value() == ""

    doc = tmp_path / "garantia.txt"
    doc.write_text("Garantia\n\n" + "Todos os produtos têm garantia de 12 meses. " * 80)
    page.get_by_test_id("kb-upload").locator("input[type=file]").set_input_files(str(doc))
    row = page.get_by_test_id("doc-row").filter(has_text="garantia.txt")
    row.wait_for()
    row.get_by_test_id("kb-status").filter(has_text="Pronto").wait_for(timeout=60_000)
    assert "trechos" in row.get_by_test_id("doc-chunks").inner_text()
    screenshots(page, "agent-knowledge-desktop")

    # A format the agent cannot read is refused with the reason.
    bad = tmp_path / "planilha.xlsx"
    bad.write_bytes(b"PK\x03\x04")
    page.get_by_test_id("kb-upload").locator("input[type=file]").set_input_files(str(bad))
    page.get_by_test_id("upload-error").filter(has_text="Formato não aceito").wait_for()

    # Deleting asks first.
    row.get_by_test_id("kb-delete").click()
    page.get_by_test_id("kb-delete-confirm").click()
    row.wait_for(state="detached")
    page.context.close()


def test_agent_page_on_a_phone(browser, app_url):
    page = new_page(browser, app_url, **PHONE)
    log_in(page, ADMIN)
    wait_path(page, "/")
    page.goto("/agents")
    page.get_by_test_id("agent-card").first.wait_for()
    screenshots(page, "agents-phone")
    open_demo_agent(page)
    # The rules the offline provider cannot follow are said, not dropped; the cancellation
    # exceptions are edited as a list, and hidden while the cancellation handoff is off.
    page.get_by_test_id("rules-not-followed").filter(
        has_text="Sempre pergunte o e-mail antes de informar um preço.").wait_for()
    page.get_by_test_id("cancellation_exceptions-input").fill("reserva, aula experimental")
    page.get_by_test_id("cancellation_exceptions-add").click()
    page.get_by_test_id("cancellation_exceptions-word").filter(
        has_text="aula experimental").wait_for()
    assert page.get_by_test_id("cancellation_exceptions-word").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_test_id("agent-cancellation").click()
    page.get_by_test_id("cancellation_exceptions-input").wait_for(state="detached")
    page.get_by_test_id("jump-to-try").click()
    page.wait_for_function("(r => r.top >= 0 && r.bottom <= window.innerHeight + 1)"
                           "(document.getElementById('try-panel').getBoundingClientRect())")
    page.get_by_test_id("try-input").fill("Qual o horário de atendimento?")
    page.get_by_test_id("try-send").click()
    page.get_by_test_id("try-reply").first.wait_for()
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshots(page, "agent-phone")
    page.get_by_test_id("tab-knowledge").click()
    page.get_by_test_id("docs-section").wait_for()
    screenshots(page, "agent-knowledge-phone")
    page.context.close()


def test_a_consultant_reads_the_agent_without_controls(browser, app_url):
    page = new_page(browser, app_url)
    log_in(page, CONSULTANT)
    wait_path(page, "/")
    open_demo_agent(page)
    page.get_by_test_id("agent-read-only").wait_for()
    assert page.get_by_test_id("agent-save").count() == 0
    assert page.get_by_test_id("try-panel").count() == 0
    page.get_by_test_id("tab-knowledge").click()
    page.get_by_test_id("faq-row").first.wait_for()
    assert page.get_by_test_id("kb-upload").count() == 0
    assert page.get_by_test_id("kb-delete").count() == 0
    page.context.close()
