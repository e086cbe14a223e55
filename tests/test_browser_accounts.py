"""Invitations and "forgot my password" in a real headless Chromium: the links are the ones
the app wrote to its outbox (the embedded default has no SMTP server)."""

from __future__ import annotations

import uuid

from browser_support import (
    ARTIFACTS,
    emailed_link,
    log_in,
    new_page,
    shell,
    sign_up,
    wait_path,
)


def _account_signed_out(browser, app_url, data_dir, who: str, organization: str, name: str,
                        password: str):
    """A page, and the address of an account just signed up on it and signed out again."""
    page = new_page(browser, app_url)
    email = f"{who}-{uuid.uuid4().hex[:8]}@example.com.br"
    sign_up(page, data_dir, organization, name, email, password)
    page.get_by_test_id("logout").first.click()
    wait_path(page, "/login")
    return page, email


def _invite(page, name: str, email: str) -> None:
    page.goto("/settings/users")
    page.get_by_test_id("member-row").first.wait_for()
    page.get_by_test_id("add-member").click()
    page.get_by_test_id("create-name").fill(name)
    page.get_by_test_id("create-email").fill(email)
    page.get_by_test_id("create-submit").click()
    page.get_by_test_id("users-notice").filter(has_text=f"Convite enviado para {email}").wait_for()


def _admin_of_a_new_organisation(browser, app_url, data_dir, organization: str):
    """Its own organisation, so the demo's team stays as the other browser tests expect."""
    admin = new_page(browser, app_url)
    sign_up(admin, data_dir, organization, "Ana Admin", f"admin-{uuid.uuid4().hex[:8]}@loja.com.br",
            "tamarindo-roxo-64")
    return admin


def test_an_invited_newcomer_creates_the_account_from_the_link(browser, app_url, app_data_dir):
    admin = _admin_of_a_new_organisation(browser, app_url, app_data_dir, "Loja Convite")
    email = f"nova-{uuid.uuid4().hex[:8]}@loja.com.br"
    _invite(admin, "Nina Nova", email)
    # Not a member until accepted.
    assert admin.get_by_test_id("member-row").filter(has_text=email).count() == 0

    invited = new_page(browser, app_url, width=390, height=844)
    invited.goto(emailed_link(app_data_dir, email, "/invite"))
    invited.get_by_text("Convite para Loja Convite").wait_for()
    invited.get_by_text(f"Ana Admin convidou {email}").wait_for()
    invited.get_by_test_id("invite-password").fill("qwertyuiop1")
    invited.get_by_test_id("invite-submit").click()
    invited.get_by_test_id("invite-error").filter(has_text="entre as mais usadas").wait_for()
    invited.get_by_test_id("invite-password").fill("margarida-azul-31")
    invited.screenshot(path=str(ARTIFACTS / "invite-phone.png"), full_page=True)
    invited.get_by_test_id("invite-submit").click()
    wait_path(invited, "/")
    invited.get_by_test_id("dashboard-counts").wait_for()


def test_an_invited_existing_account_accepts_after_signing_in(browser, app_url, app_data_dir):
    owner, email = _account_signed_out(browser, app_url, app_data_dir, "dona", "Outra Loja",
                                       "Olga Outra", "jabuticaba-doce-8")

    admin = _admin_of_a_new_organisation(browser, app_url, app_data_dir, "Loja Aceite")
    _invite(admin, "Nome digitado", email)

    link = emailed_link(app_data_dir, email, "/invite")
    owner.goto(link)
    owner.get_by_test_id("invite-sign-in").click()
    wait_path(owner, "/login")
    owner.get_by_test_id("login-email").fill(email)
    owner.get_by_test_id("login-password").fill("jabuticaba-doce-8")
    owner.get_by_test_id("login-submit").click()
    wait_path(owner, "/invite")
    owner.get_by_test_id("invite-accept").click()
    wait_path(owner, "/")
    shell(owner).get_by_test_id("shell-org-name").filter(has_text="Loja Aceite").wait_for()
    assert shell(owner).get_by_test_id("shell-role").inner_text() == "Consultor(a)"


def test_forgot_password_link_sets_a_new_password_once(browser, app_url, app_data_dir):
    page, email = _account_signed_out(browser, app_url, app_data_dir, "esqueci",
                                      "Padaria Esquecida", "Pedro Padeiro", "fermento-velho-12")
    page.get_by_test_id("login-forgot").click()
    wait_path(page, "/forgot")
    page.get_by_test_id("forgot-email").fill(email)
    page.get_by_test_id("forgot-submit").click()
    page.get_by_test_id("forgot-notice").filter(has_text=f"Se houver uma conta com {email}").wait_for()
    link = emailed_link(app_data_dir, email, "/reset")
    page.goto(link)
    page.get_by_test_id("reset-password").fill("centeio-novo-45")
    page.get_by_test_id("reset-confirm").fill("centeio-novo-45")
    page.get_by_test_id("reset-submit").click()
    page.get_by_test_id("reset-done").wait_for()
    log_in(page, email, "centeio-novo-45")
    wait_path(page, "/")
    again = new_page(browser, app_url)
    again.goto(link)
    again.get_by_test_id("reset-password").fill("outra-coisa-78")
    again.get_by_test_id("reset-confirm").fill("outra-coisa-78")
    again.get_by_test_id("reset-submit").click()
    # The second use is refused (slow under a full suite's load: the refusal needs a round trip
    # to the database after a fresh page's websocket connects).
    again.get_by_test_id("reset-error").filter(has_text="não vale mais").wait_for(timeout=60_000)
