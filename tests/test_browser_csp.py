"""The pages work under the Content-Security-Policy the app sends (issue 18, "HTTP"): in a
real headless Chromium, signed in, through the inbox and its websocket, no directive is
violated and no page script fails."""

from __future__ import annotations

from browser_support import ADMIN, log_in, new_page, shell, wait_path


def test_the_pages_run_under_the_csp_without_a_violation(browser, app_url):
    page = new_page(browser, app_url)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda exc: violations.append(str(exc)))
    first = page.goto("/login")
    policy = first.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and first.headers["x-frame-options"] == "DENY"
    log_in(page, ADMIN)
    wait_path(page, "/")
    shell(page).get_by_test_id("shell-org-name").wait_for()  # the websocket answered
    for path, ready in (("/inbox", "inbox-search"), ("/settings/channels", "channel-row")):
        page.goto(path)
        page.get_by_test_id(ready).first.wait_for()
    assert violations == []
