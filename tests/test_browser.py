"""The app in a real headless Chromium, started as a newcomer starts it (manage.py start)."""

from __future__ import annotations

import time
import uuid

import pyotp

from browser_support import (
    ADMIN,
    ARTIFACTS,
    CONSULTANT,
    DEMO_PASSWORD,
    SUPER,
    emailed_link,
    log_in,
    new_page,
    shell,
    sign_up,
    wait_path,
)

# The app, playwright_driver and browser fixtures are conftest's: every browser module
# shares the one demo app built for the session.


def test_admin_signs_in_reloads_and_logs_out(browser, app_url):
    page = new_page(browser, app_url)
    log_in(page, ADMIN)
    wait_path(page, "/")
    side = shell(page)
    side.get_by_test_id("shell-org-name").filter(has_text="Loja Demonstração").wait_for()
    assert side.get_by_test_id("shell-user-name").inner_text() == "Ana Admin"
    assert side.get_by_test_id("shell-role").inner_text() == "Administrador(a)"
    page.get_by_test_id("dashboard-counts").wait_for()
    assert page.get_by_test_id("page-title").inner_text() == "Olá, Ana Admin!"
    page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)

    # A reload keeps the session.
    page.goto("/settings/users")
    page.get_by_test_id("member-row").first.wait_for()
    page.reload()
    page.get_by_test_id("member-row").first.wait_for()
    assert page.get_by_test_id("member-row").count() == 3
    assert "/login" not in page.url
    # Teams: the empty state, then one created through the dialog and offered for each person.
    teams = page.get_by_test_id("teams-section")
    teams.get_by_text("Nenhuma equipe ainda").wait_for()
    page.get_by_test_id("team-add").click()
    page.get_by_test_id("team-name-input").fill("Vendas")
    page.get_by_test_id("team-save").click()
    teams.get_by_test_id("team-row").filter(has_text="Vendas").wait_for()
    page.get_by_test_id("users-notice").filter(has_text="Equipe Vendas criada.").wait_for()
    assert page.get_by_test_id("member-team").count() == 3
    page.screenshot(path=str(ARTIFACTS / "users-desktop.png"), full_page=True)

    # A new tab has no server-side state: it rotates the refresh token from localStorage.
    before = page.evaluate("localStorage.getItem('sc_refresh')")
    tab = page.context.new_page()
    tab.goto("/inbox")
    wait_path(tab, "/inbox")
    shell(tab).get_by_test_id("shell-org-name").filter(has_text="Loja Demonstração").wait_for()
    after = tab.evaluate("localStorage.getItem('sc_refresh')")
    assert after not in ("", None, before)
    tab.close()

    page.get_by_test_id("logout").first.click()
    wait_path(page, "/login")
    page.get_by_text("Você saiu da sua conta.").wait_for()
    assert page.evaluate("localStorage.getItem('sc_refresh')") in ("", None)
    page.goto("/")
    wait_path(page, "/login")
    page.reload()
    page.get_by_test_id("login-email").wait_for()
    assert "/login" in page.url


def test_wrong_password_is_explained_in_portuguese(browser, app_url):
    page = new_page(browser, app_url)
    log_in(page, ADMIN, "senha-errada-123")
    error = page.get_by_test_id("login-error")
    error.wait_for()
    assert error.inner_text().strip() == "E-mail ou senha incorretos."
    # The button is usable again and the e-mail is still filled in.
    assert page.get_by_test_id("login-submit").is_enabled()
    assert page.get_by_test_id("login-email").input_value() == ADMIN


def test_switching_to_english_is_remembered(browser, app_url):
    page = new_page(browser, app_url)
    page.goto("/login")
    page.get_by_test_id("demo-hint").wait_for()
    page.get_by_test_id("lang-en").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_test_id("login-email").fill(CONSULTANT)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    wait_path(page, "/")
    shell(page).get_by_test_id("shell-role").filter(has_text="Consultant").wait_for()
    page.reload()
    page.get_by_role("heading", name="Hello, Carla Consultora!").wait_for()
    shell(page).get_by_test_id("lang-pt").click()
    page.get_by_role("heading", name="Olá, Carla Consultora!").wait_for()


def test_consultant_has_no_users_area(browser, app_url):
    page = new_page(browser, app_url)
    log_in(page, CONSULTANT)
    wait_path(page, "/")
    side = shell(page)
    side.get_by_test_id("nav-inbox").wait_for()
    assert side.get_by_test_id("nav-users").count() == 0
    side.get_by_test_id("nav-analytics").wait_for()  # their own figures, not the organisation's
    page.goto("/settings/users")
    page.get_by_text("Você não tem acesso a esta página").wait_for()
    assert page.get_by_test_id("member-row").count() == 0


def test_signing_up_a_new_organisation_after_confirming_the_address(browser, app_url,
                                                                     app_data_dir):
    page = new_page(browser, app_url)
    page.goto("/signup")
    page.get_by_test_id("signup-org").wait_for()
    page.wait_for_load_state("networkidle")
    email = f"dono-{uuid.uuid4().hex[:8]}@floricultura.com.br"
    page.get_by_test_id("signup-org").fill("Floricultura Ipê")
    page.get_by_test_id("signup-name").fill("Rosa Flores")
    page.get_by_test_id("signup-email").fill(email)
    page.get_by_test_id("signup-password").fill("curta")
    page.get_by_test_id("signup-submit").click()
    page.get_by_test_id("signup-error").filter(has_text="pelo menos 10 caracteres").wait_for()
    page.get_by_test_id("signup-password").fill("password123")
    page.get_by_test_id("signup-submit").click()
    page.get_by_test_id("signup-error").filter(has_text="entre as mais usadas").wait_for()
    page.get_by_test_id("signup-password").fill("girassol-amarelo-7")
    page.get_by_test_id("signup-submit").click()
    page.get_by_test_id("signup-sent").filter(has_text=email).wait_for()
    page.screenshot(path=str(ARTIFACTS / "signup-check-inbox.png"), full_page=True)
    # Nothing exists until the link is opened: the password opens nothing yet.
    log_in(page, email, "girassol-amarelo-7")
    page.get_by_test_id("login-error").filter(has_text="E-mail ou senha incorretos").wait_for()
    link = emailed_link(app_data_dir, email, "/verify")
    page.goto(link)
    wait_path(page, "/")
    shell(page).get_by_test_id("shell-org-name").filter(has_text="Floricultura Ipê").wait_for()
    assert shell(page).get_by_test_id("shell-role").inner_text() == "Administrador(a)"
    page.get_by_test_id("dashboard-counts").wait_for()
    # The link works once.
    other = new_page(browser, app_url)
    other.goto(link)
    other.get_by_test_id("verify-error").filter(has_text="não vale mais").wait_for()


def test_two_factor_enrolment_then_sign_in_with_the_code(browser, app_url, app_data_dir):
    page = new_page(browser, app_url)
    email = f"seguro-{uuid.uuid4().hex[:8]}@cofre.com.br"
    sign_up(page, app_data_dir, "Cofre Seguro", "Sérgio Seguro", email, "cadeado-forte-2024")

    shell(page).get_by_test_id("nav-profile").click()
    wait_path(page, "/profile")
    page.get_by_test_id("twofa-begin").click()
    page.get_by_test_id("twofa-qr").wait_for()
    assert page.get_by_test_id("twofa-qr").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.get_by_test_id("twofa-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_test_id("twofa-code").fill(totp.now())
    page.screenshot(path=str(ARTIFACTS / "profile-2fa-enrolment.png"), full_page=True)
    page.get_by_test_id("twofa-confirm").click()
    codes = page.get_by_test_id("recovery-codes")
    codes.wait_for()
    assert codes.locator("code").count() == 10
    page.get_by_text("Estes códigos só aparecem agora").wait_for()
    page.get_by_test_id("codes-done").click()
    page.get_by_test_id("twofa-status").filter(has_text="Ativada").wait_for()

    page.get_by_test_id("logout").first.click()
    wait_path(page, "/login")
    page.get_by_test_id("demo-hint").wait_for()
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill("cadeado-forte-2024")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("login-code").wait_for()
    assert "/login" in page.url
    # The enrolment spent this time step's code; the next step's is accepted (±1 step).
    page.get_by_test_id("login-code").fill(totp.at(time.time() + 30))
    page.get_by_test_id("login-code-submit").click()
    wait_path(page, "/")
    shell(page).get_by_test_id("shell-org-name").filter(has_text="Cofre Seguro").wait_for()


def test_super_admin_sees_the_organisations(browser, app_url):
    page = new_page(browser, app_url)
    log_in(page, SUPER)
    wait_path(page, "/admin/organizations")
    row = page.get_by_test_id("org-row").filter(has_text="Loja Demonstração")
    row.wait_for()
    assert shell(page).get_by_test_id("nav-users").count() == 0
    page.get_by_test_id("org-search").fill("demonstra")
    page.wait_for_timeout(600)
    row.wait_for()
    page.screenshot(path=str(ARTIFACTS / "organizations-desktop.png"), full_page=True)


def test_phone_sized_screen_uses_the_drawer(browser, app_url):
    page = new_page(browser, app_url, width=390, height=844)
    log_in(page, ADMIN)
    wait_path(page, "/")
    page.get_by_test_id("dashboard-counts").wait_for()
    assert not page.get_by_test_id("sidebar").is_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    page.get_by_test_id("menu-button").click()
    drawer = page.get_by_test_id("drawer")
    drawer.wait_for()
    drawer.get_by_test_id("shell-org-name").filter(has_text="Loja Demonstração").wait_for()
    page.wait_for_timeout(600)  # let the slide-in finish for the picture
    page.screenshot(path=str(ARTIFACTS / "drawer-phone.png"))
    drawer.get_by_test_id("nav-users").click()
    wait_path(page, "/settings/users")
    page.get_by_test_id("member-row").first.wait_for()
    page.get_by_test_id("teams-section").wait_for()
    assert not drawer.is_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "users-phone.png"), full_page=True)
    page.goto("/inbox")
    page.get_by_test_id("inbox-filter-select").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
