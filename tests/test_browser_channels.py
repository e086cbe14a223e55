"""Channel settings and the public web chat in a real headless Chromium, on the app as
``manage.py start`` serves it (the session's demo app and the browser fixtures of conftest.py)."""

from __future__ import annotations

import contextlib
import http.server
import re
import threading

from browser_support import ADMIN, ARTIFACTS, log_in, new_page, wait_path

PHONE = {"width": 390, "height": 844}
TOKEN = "EAAG-browser-test-token-5521"
SECRET = "browser-test-app-secret-8830"
CHANNEL_PAGE = re.compile(r"/settings/channels/[0-9a-f-]{36}\?new=1$")


@contextlib.contextmanager
def company_site(body: str):
    """A page on another origin (localhost vs 127.0.0.1), as a customer's website is."""
    html = f"<!doctype html><html><body style='font-family:sans-serif'>{body}</body></html>"

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def open_channels(page) -> None:
    log_in(page, ADMIN)
    wait_path(page, "/")
    page.get_by_test_id("sidebar").get_by_test_id("nav-channels").click()
    wait_path(page, "/settings/channels")
    page.get_by_test_id("channel-row").first.wait_for()


def add_channel(page, kind: str, name: str, screenshot: str = "", **fields: str) -> None:
    page.get_by_test_id("add-channel").click()
    page.get_by_test_id(f"kind-{kind}").click()
    page.get_by_test_id("create-name").fill(name)
    for test_id, value in fields.items():
        page.get_by_test_id(test_id).fill(value)
    if screenshot:
        page.screenshot(path=str(ARTIFACTS / screenshot))
    page.get_by_test_id("create-submit").click()
    page.wait_for_url(CHANNEL_PAGE)
    page.get_by_test_id("channel-created").wait_for()


def test_admin_adds_a_web_chat_and_a_visitor_talks_on_it(browser, app_url):
    admin = new_page(browser, app_url)
    open_channels(admin)
    admin.screenshot(path=str(ARTIFACTS / "channels-desktop.png"), full_page=True)
    add_channel(admin, "webchat", "Chat da vitrine")
    assert admin.get_by_test_id("page-title").inner_text() == "Chat da vitrine"
    url = admin.get_by_test_id("widget-url").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(app_url)}/chat/[0-9a-f-]{{36}}", url), url
    assert admin.get_by_test_id("webhook-section").count() == 0
    admin.get_by_test_id("embed-code").filter(has_text=f'<iframe src="{url}"').wait_for()
    admin.screenshot(path=str(ARTIFACTS / "channel-webchat-desktop.png"), full_page=True)

    # The visitor: another browser, no account, a phone-sized screen.
    context = browser.new_context(viewport=PHONE, locale="pt-BR")
    context.set_default_timeout(20_000)
    visitor = context.new_page()
    visitor.goto(url)
    visitor.get_by_test_id("chat-title").filter(has_text="Loja Demonstração").wait_for()
    visitor.get_by_test_id("chat-name").fill("Vera Visitante")
    visitor.get_by_test_id("chat-input").fill("Oi! Vocês têm <b>entrega</b> hoje?")
    visitor.get_by_test_id("chat-input").press("Enter")
    mine = visitor.get_by_test_id("chat-mine")
    mine.filter(has_text="Enviada").wait_for()
    # Customer text stays text: the tag is shown, not rendered.
    assert "Oi! Vocês têm <b>entrega</b> hoje?" in mine.first.inner_text()
    assert visitor.get_by_test_id("chat-input").input_value() == ""
    no_sideways_scroll(visitor, PHONE["width"])
    visitor.screenshot(path=str(ARTIFACTS / "webchat-phone.png"))

    # A second tab of the same visitor follows the conversation without reloading.
    other_tab = context.new_page()
    other_tab.goto(url)
    other_tab.get_by_test_id("chat-mine").first.wait_for()
    visitor.get_by_test_id("chat-input").fill("Moro no centro.")
    visitor.get_by_test_id("chat-send").click()
    # Within 3 s: the real-time notice, not the ten-second safety net, brings it.
    other_tab.get_by_test_id("chat-mine").filter(has_text="Moro no centro.").wait_for(
        timeout=3_000)
    other_tab.close()

    visitor.reload()
    visitor.get_by_test_id("chat-mine").filter(has_text="Moro no centro.").wait_for()
    assert visitor.get_by_test_id("chat-mine").count() == 2
    visitor.screenshot(path=str(ARTIFACTS / "webchat-phone-reloaded.png"))

    context.close()

    # Embedded in a company's own site (another origin) with the snippets the admin copies.
    iframe_code = admin.get_by_test_id("embed-code").inner_text()
    admin.get_by_test_id("embed-bubble").click()
    admin.get_by_test_id("embed-code").filter(has_text="<script>").wait_for()
    bubble_code = admin.get_by_test_id("embed-code").inner_text()
    with company_site(f"<h1>Loja Exemplo</h1><p>Bem-vindo.</p>{iframe_code}") as site, \
            company_site(f"<h1>Loja Exemplo</h1><p>Bem-vindo.</p>{bubble_code}") as bubble_site:
        # Until the admin names the company's sites, no other site can frame the chat.
        host = new_page(browser, app_url)
        refusals: list[str] = []
        host.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text
                else None)
        host.goto(site)
        host.wait_for_timeout(1500)
        assert refusals, "the browser framed the chat for a site the channel does not allow"
        admin.get_by_test_id("edit-widget-origins").fill(
            f"{site.rstrip('/')}\n{bubble_site.rstrip('/')}")
        admin.get_by_test_id("save-channel").click()
        admin.get_by_test_id("channel-notice").filter(has_text="Alterações salvas").wait_for()
        admin.wait_for_timeout(6_000)  # the app caches a page's framing policy for 5 s
        host = new_page(browser, app_url)  # a fresh browser cache: not the refused answer
        host.goto(site)
        frame = host.frame_locator("iframe")
        frame.get_by_test_id("chat-input").fill("Escrevo de dentro do site da loja.")
        frame.get_by_test_id("chat-input").press("Enter")
        frame.get_by_test_id("chat-mine").filter(has_text="Enviada").wait_for()
        host.screenshot(path=str(ARTIFACTS / "webchat-embedded-desktop.png"))
        host = new_page(browser, app_url, **PHONE)
        host.goto(bubble_site)
        host.locator("body > button").click()
        host.frame_locator("iframe").get_by_test_id("chat-title").wait_for()
        no_sideways_scroll(host, PHONE["width"])
        host.screenshot(path=str(ARTIFACTS / "webchat-bubble-phone.png"))

    # A visitor of a chat that does not exist is told so.
    lost = new_page(browser, app_url, **PHONE)
    lost.goto("/chat/00000000-0000-0000-0000-000000000000")
    lost.get_by_test_id("chat-not-found").wait_for()


def test_admin_sees_the_webhook_url_of_a_new_whatsapp_channel(browser, app_url):
    admin = new_page(browser, app_url)
    open_channels(admin)
    add_channel(admin, "whatsapp", "WhatsApp Vendas", "channel-add-whatsapp-desktop.png", **{
        "create-external-id": "106540352242922", "create-waba": "102290129340398",
        "create-token": TOKEN, "create-secret": SECRET})
    channel_id = admin.url.split("/")[-1].split("?")[0]
    webhook = admin.get_by_test_id("webhook-url").inner_text().strip()
    assert webhook == f"{app_url}/webhooks/whatsapp/{channel_id}"
    assert len(admin.get_by_test_id("verify-token").inner_text().strip()) >= 24
    assert admin.get_by_test_id("token-hint").inner_text() == "••••••••" + TOKEN[-4:]
    assert TOKEN not in admin.content() and SECRET not in admin.content()
    admin.get_by_test_id("templates-section").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "channel-whatsapp-desktop.png"), full_page=True)

    # Meta cannot be reached from the test machine: the test says so instead of hanging.
    admin.get_by_test_id("test-connection").click()
    admin.get_by_test_id("test-result").wait_for(timeout=40_000)
    assert "A conexão com a Meta falhou" in admin.get_by_test_id("test-result").inner_text()
    admin.get_by_test_id("webhook-url-copy").click()
    admin.get_by_text("Copiado.").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "channel-whatsapp-tested-desktop.png"))

    # Back in the list the new channel shows, and on a phone nothing sticks out sideways.
    phone = new_page(browser, app_url, **PHONE)
    log_in(phone, ADMIN)
    wait_path(phone, "/")
    phone.goto(f"/settings/channels/{channel_id}")
    phone.get_by_test_id("webhook-url").filter(has_text=webhook).wait_for()
    no_sideways_scroll(phone, PHONE["width"])
    phone.screenshot(path=str(ARTIFACTS / "channel-whatsapp-phone.png"), full_page=True)
    phone.goto("/settings/channels")
    phone.get_by_test_id("channel-row").filter(has_text="WhatsApp Vendas").wait_for()
    no_sideways_scroll(phone, PHONE["width"])
    phone.screenshot(path=str(ARTIFACTS / "channels-phone.png"), full_page=True)
