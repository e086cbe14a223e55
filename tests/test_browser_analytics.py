"""The analytics page in real Chromium, on the app as ``manage.py start`` serves it, with a
week of conversations written into its database: every chart renders at desktop and phone
widths, a filter changes the figures, a chart's CSV downloads."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from browser_support import (
    ADMIN,
    ARTIFACTS,
    app_environment,
    free_port,
    log_in,
    new_page,
    start_app,
    stop_app,
    wait_path,
)
from tests.support import ROOT, need_chromium

CHARTS = ("volume", "contacts", "ai_share", "handoffs", "ai_answers", "ai_cost", "whatsapp",
          "first_response", "resolution", "heatmap", "funnel")
RENDER = 40_000  # ms: plotly.js is a large bundle on a busy machine

# A week in the demo organisation: on WhatsApp the AI answers, resolves some, hands one over
# (answered by Carla) and is billed by Meta; on the web chat people answer.
SEED = """
import json
from datetime import timedelta
from sqlmodel import select
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import (AIUsage, Agent, Channel, Contact, Conversation, Lead,
                                        Message, Organization, PipelineStage, User)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.crm.defaults import default_pipeline

now = utcnow()
with session_scope() as s:
    org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
    agent = s.exec(select(Agent).where(Agent.organization_id == org.id)).one()
    carla = s.exec(select(User).where(User.email == "consultora@demo.smarterchat.app")).one()
    wa = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp Loja",
                 agent_id=agent.id, external_id="analytics-phone", access_token="EAAG-x",
                 app_secret="analytics-secret")
    site = Channel(organization_id=org.id, kind="webchat", name="Site")
    s.add_all([wa, site])
    s.flush()
    pipeline = default_pipeline(s, org.id)
    stages = s.exec(select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id)
                    .order_by(PipelineStage.position)).all()
    def say(conv, author, at, **extra):
        s.add(Message(organization_id=org.id, conversation_id=conv.id,
                      channel_id=conv.channel_id, created_at=at, author_kind=author,
                      direction="inbound" if author == "contact" else "outbound",
                      author_user_id=carla.id if author == "consultant" else None,
                      content_type="event" if author == "system" else "text",
                      is_private=author == "system", extra=extra))
    for day in range(6):
        for n, channel in enumerate((wa, wa, site)):
            start = now - timedelta(days=day, hours=2 + n)
            contact = Contact(organization_id=org.id, channel_id=channel.id,
                              external_id=f"c{day}-{n}", name=f"Cliente {day}-{n}")
            s.add(contact)
            s.flush()
            human = channel is site or n == 1
            conv = Conversation(organization_id=org.id, channel_id=channel.id,
                                contact_id=contact.id, agent_id=channel.agent_id,
                                created_at=start, last_message_at=start, status="resolved",
                                resolved_at=start + timedelta(minutes=20 + day),
                                assignee_id=carla.id if human else None)
            s.add(conv)
            s.flush()
            say(conv, "contact", start)
            if channel is wa:
                say(conv, "ai", start + timedelta(seconds=20 + day),
                    pricing={"billable": True, "category": "service"})
                s.add(AIUsage(organization_id=org.id, conversation_id=conv.id,
                              provider="openai", model="m", purpose="reply",
                              cost_micro_usd=250_000, created_at=start))
            if n == 1:
                say(conv, "system", start + timedelta(minutes=1), event="handoff",
                    reason="asked_human")
            if human:
                say(conv, "consultant", start + timedelta(minutes=3 + day))
            s.add(Lead(organization_id=org.id, contact_id=contact.id, pipeline_id=pipeline.id,
                       stage_id=stages[(0, 1, 4)[n]].id, temperature=["hot", "warm", "cold"][n],
                       value_cents=10_000 * (n + 1), created_at=start))
    print(json.dumps({"site": str(site.id)}))
"""


@pytest.fixture(scope="module")
def shop(request, checkout_build_untouched):
    need_chromium(request)
    ARTIFACTS.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="smarterchat-analytics-"))
    port = free_port()
    proc, base = start_app(data_dir, port, ARTIFACTS / "browser-analytics-app.log")
    try:
        made = subprocess.run([sys.executable, "-c", SEED], cwd=ROOT,
                              env=app_environment(data_dir, port), capture_output=True,
                              text=True, check=True, timeout=120)
        yield {"base": base, **json.loads(made.stdout.strip().splitlines()[-1])}
    finally:
        stop_app(proc)


@pytest.fixture
def analytics_browser(chromium, playwright_driver, shop):
    from browser_support import CHROMIUM_ARGS

    instance = playwright_driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


def _open(browser, shop, width, height):
    page = new_page(browser, shop["base"], width=width, height=height)
    log_in(page, ADMIN)
    wait_path(page, "/")
    page.goto("/analytics")
    page.get_by_test_id("analytics-card").first.wait_for()
    return page


def _conversations_card(page) -> str:
    return page.get_by_test_id("analytics-card").first.get_by_test_id(
        "analytics-card-value").inner_text()


def _every_chart_renders(page, name: str) -> None:
    for key in CHARTS:
        chart = page.get_by_test_id(f"analytics-chart-{key}")
        chart.scroll_into_view_if_needed()
        chart.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=RENDER)
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150, (key, box)
    page.screenshot(path=str(ARTIFACTS / f"analytics-{name}.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_every_chart_renders(analytics_browser, shop, width, height):
    page = _open(analytics_browser, shop, width, height)
    assert _conversations_card(page) == "18"
    _every_chart_renders(page, f"{width}px")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than the {width}px screen"
    page.context.close()


def test_a_filter_changes_the_figures_and_a_csv_downloads(analytics_browser, shop):
    page = _open(analytics_browser, shop, 1280, 900)
    assert _conversations_card(page) == "18"
    page.get_by_test_id("analytics-filter-channel").click()
    page.get_by_role("option", name="Site", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=analytics-card-value]').innerText === '6'")
    assert page.get_by_test_id("analytics-empty-ai_answers").is_visible()  # no AI on the site
    with page.expect_download() as download:
        page.get_by_test_id("analytics-csv-volume").click()
    saved = download.value
    assert saved.suggested_filename.startswith("smarterchat-volume-")
    lines = Path(saved.path()).read_text().splitlines()
    assert lines[0] == "x,Site,resolved,reopened" and len(lines) == 1 + 7
    assert sum(float(line.split(",")[1]) for line in lines[1:]) == 6
    page.context.close()
