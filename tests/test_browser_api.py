"""Settings > API and webhooks in a real headless Chromium at phone width: an admin
creates a key (shown once), the key works on the API, revoking it stops it, and a
webhook to a private address is refused with a sentence a person understands."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from browser_support import ADMIN, ARTIFACTS, log_in, new_page, wait_path

PHONE = {"width": 390, "height": 844}


def _status(url: str, key: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - local URL
            json.loads(answer.read())
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_an_admin_creates_uses_and_revokes_a_key_and_is_refused_a_private_webhook(
        browser, app_url):
    page = new_page(browser, app_url, **PHONE)
    log_in(page, ADMIN)
    wait_path(page, "/")
    page.goto("/settings")
    page.get_by_test_id("settings-api-link").click()
    wait_path(page, "/settings/api")
    page.get_by_text("Nenhuma chave ainda").wait_for()

    page.get_by_test_id("key-name").fill("ERP da loja")
    page.get_by_test_id("key-scope-write").click()
    page.get_by_test_id("key-create").click()
    secret = page.get_by_test_id("key-secret").inner_text()
    assert secret.startswith("sc_live_")
    assert page.get_by_test_id("key-row").count() == 1
    assert _status(f"{app_url}/api/v1/conversations", secret) == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "api-settings-phone.png"), full_page=True)

    page.get_by_test_id("key-revoke").click()
    page.get_by_test_id("key-row").get_by_text("Revogada").wait_for()
    assert _status(f"{app_url}/api/v1/conversations", secret) == 401

    page.get_by_test_id("hook-url").fill("http://127.0.0.1:9/hook")
    page.get_by_test_id("hook-create").click()
    error = page.get_by_test_id("hook-error")
    error.wait_for()
    assert "privados" in error.inner_text()
    assert page.get_by_text("Nenhum endpoint ainda").is_visible()
