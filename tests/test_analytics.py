"""Analytics on a dataset where every figure is known by construction, on SQLite and
PostgreSQL: each chart's numbers, the São Paulo day edge (23:30 belongs to that day), a zone
with daylight saving, reopened conversations, AI resolutions the customer undid within 24
hours and ones they did not, business hours, tenants and roles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from smarterchat.backend.models import (
    Agent,
    AIUsage,
    AuthorKind,
    Channel,
    ChannelKind,
    Contact,
    Conversation,
    ConversationStatus,
    Direction,
    Lead,
    Membership,
    Message,
    PipelineStage,
    Role,
    Temperature,
)
from smarterchat.backend.services.analytics import Filters, dashboard, export
from smarterchat.backend.services.analytics.dto import Stats
from smarterchat.backend.services.crm.defaults import default_pipeline
from smarterchat.backend.services.errors import InvalidInput, PermissionDenied
from tests.factories import actor_for, make_org, make_user

SP = ZoneInfo("America/Sao_Paulo")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # Friday 09:00 in São Paulo


def local(day: int, hour: int, minute: int = 0, zone: ZoneInfo = SP, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


@dataclass
class World:
    """Builds conversations and their thread lines at chosen times."""

    session: object
    org: object
    agent: object = None
    channels: dict[str, Channel] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)

    def channel(self, name: str, *, with_ai: bool) -> Channel:
        row = Channel(organization_id=self.org.id, kind=ChannelKind.WHATSAPP if with_ai
                      else ChannelKind.WEBCHAT, name=name,
                      agent_id=self.agent.id if with_ai else None,
                      external_id=uuid.uuid4().hex[:12] if with_ai else None)
        self.session.add(row)
        self.session.flush()
        self.channels[name] = row
        return row

    def contact(self, key: str, channel: Channel) -> Contact:
        if key not in self.contacts:
            row = Contact(organization_id=self.org.id, channel_id=channel.id, external_id=key,
                          name=f"Cliente {key}")
            self.session.add(row)
            self.session.flush()
            self.contacts[key] = row
        return self.contacts[key]

    def conversation(self, channel: Channel, contact_key: str, at: datetime, *,
                     resolved: datetime | None = None, assignee=None) -> Conversation:
        row = Conversation(organization_id=self.org.id, channel_id=channel.id,
                           contact_id=self.contact(contact_key, channel).id,
                           agent_id=channel.agent_id, created_at=at, last_message_at=at,
                           status=ConversationStatus.RESOLVED if resolved else
                           ConversationStatus.BOT, resolved_at=resolved,
                           assignee_id=assignee.id if assignee else None)
        self.session.add(row)
        self.session.flush()
        self.say(row, AuthorKind.CONTACT, at)
        return row

    def say(self, conversation: Conversation, author: str, at: datetime, *, user=None,
            private: bool = False, extra: dict | None = None) -> None:
        self.session.add(Message(
            organization_id=self.org.id, conversation_id=conversation.id,
            channel_id=conversation.channel_id, created_at=at, author_kind=author,
            direction=Direction.INBOUND if author == AuthorKind.CONTACT else Direction.OUTBOUND,
            author_user_id=user.id if user else None, is_private=private, extra=extra or {}))

    def line(self, conversation: Conversation, event: str, at: datetime, **detail: str) -> None:
        self.session.add(Message(
            organization_id=self.org.id, conversation_id=conversation.id,
            channel_id=conversation.channel_id, created_at=at, author_kind=AuthorKind.SYSTEM,
            direction=Direction.OUTBOUND, is_private=True, content_type="event",
            extra={"event": event, **detail}))


def _member(session, org, role, name):
    user = make_user(session, org, role)
    user.name = name
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def world(session):
    org = make_org(session, "Loja")
    org.monthly_ai_budget_cents = 1000
    w = World(session, org)
    w.agent = Agent(organization_id=org.id, name="Bia")
    session.add_all([org, w.agent])
    session.flush()
    wa, site = w.channel("WhatsApp", with_ai=True), w.channel("Site", with_ai=False)
    ana = _member(session, org, Role.CONSULTANT, "Ana")
    bruno = _member(session, org, Role.CONSULTANT, "Bruno")
    s = timedelta(seconds=1)

    # c1: 23:30 on Thursday the 19th in São Paulo (02:30 UTC on the 20th); the AI alone.
    c1 = w.conversation(wa, "x1", local(19, 23, 30), resolved=local(19, 23, 30) + 600 * s)
    w.say(c1, AuthorKind.AI, local(19, 23, 30) + 30 * s,
          extra={"pricing": {"billable": True, "category": "service"}})
    w.say(c1, AuthorKind.AI, local(19, 23, 30) + 40 * s,
          extra={"pricing": {"billable": False, "category": "marketing"}})
    session.add(AIUsage(organization_id=org.id, conversation_id=c1.id, provider="openai",
                        model="m", purpose="reply", cost_micro_usd=1_500_000,
                        created_at=local(19, 23, 31)))
    # c2: the AI hands over, Ana takes over and replies 300 s after the handoff.
    t2 = local(18, 10)
    c2 = w.conversation(wa, "x2", t2, resolved=t2 + 3600 * s, assignee=ana)
    w.say(c2, AuthorKind.AI, t2 + 60 * s)
    w.line(c2, "handoff", t2 + 120 * s, reason="asked_human")
    w.line(c2, "take_over", t2 + 300 * s)
    w.say(c2, AuthorKind.CONSULTANT, t2 + 400 * s, user=ana, private=True)  # a note
    w.say(c2, AuthorKind.CONSULTANT, t2 + 420 * s, user=ana)
    # c3: the AI resolves it, the customer writes again 2 h later: not the AI's resolution.
    t3 = local(17, 9)
    c3 = w.conversation(wa, "x3", t3, resolved=t3 + 100 * s)
    w.say(c3, AuthorKind.AI, t3 + 10 * s)
    w.conversation(wa, "x3", t3 + 100 * s + timedelta(hours=2))
    # c4: the AI resolves it, the customer comes back 25 h later: the AI's resolution.
    t4 = local(16, 9)
    c4 = w.conversation(wa, "x4", t4, resolved=t4 + 200 * s)
    w.say(c4, AuthorKind.AI, t4 + 20 * s)
    w.conversation(wa, "x4", t4 + 200 * s + timedelta(hours=25))
    # c5: web chat without AI (people's clock from creation), resolved, reopened, resolved.
    t5 = local(15, 14)
    c5 = w.conversation(site, "x5", t5, resolved=t5 + 8000 * s, assignee=bruno)
    w.say(c5, AuthorKind.CONSULTANT, t5 + 600 * s, user=bruno)
    w.line(c5, "resolve", t5 + 1200 * s)
    w.line(c5, "reopen", t5 + 5000 * s)
    w.say(c5, AuthorKind.CONSULTANT, t5 + 5100 * s, user=bruno)
    # c6: the previous week, the AI alone.
    t6 = local(10, 10)
    c6 = w.conversation(wa, "x6", t6, resolved=t6 + 300 * s)
    w.say(c6, AuthorKind.AI, t6 + 5 * s)
    # Leads of the period, in the default pipeline (new, qualified, proposal, negotiation,
    # won, lost).
    pipeline = default_pipeline(session, org.id)
    stages = session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id)
                          .order_by(PipelineStage.position)).all()
    for key, position, temperature, value in (("x1", 0, Temperature.HOT, None),
                                              ("x2", 4, Temperature.WARM, 50_000),
                                              ("x5", 2, Temperature.COLD, 20_000)):
        session.add(Lead(organization_id=org.id, contact_id=w.contacts[key].id,
                         pipeline_id=pipeline.id, stage_id=stages[position].id,
                         temperature=temperature, value_cents=value, created_at=local(18, 12),
                         owner_id=ana.id if key == "x2" else None))
    session.commit()
    w.ana, w.bruno = ana, bruno
    w.manager = _member(session, org, Role.MANAGER, "Marta")
    return w


def _run(world, user=None, **filters):
    actor = actor_for(world.session, user or world.manager, world.org)
    return dashboard(world.session, actor, Filters(**filters), now=NOW)


def _cards(board):
    return {card.key: (card.value, card.previous) for card in board.cards}


def _day(board, chart, name, day):
    series = next(s for s in getattr(board, chart).series if s.name == name)
    return series.values[getattr(board, chart).x.index(day)]


def test_headline_cards_count_conversations_and_compare_with_the_week_before(world):
    cards = _cards(_run(world))
    assert cards["conversations"] == (7, 1)  # c1-c5 plus the two returns; c6 the week before
    assert cards["resolved"] == (5, 1)
    assert cards["contacts"] == (5, 1)
    assert cards["ai_resolved"] == (40.0, 100.0)  # c1 and c4 of five; c3's customer came back
    assert cards["handoff_rate"] == (16.7, 0.0)  # c2 of the six started with the AI
    assert cards["first_response"] == (300.0, None)  # people: c2 300 s, c5 600 s
    assert cards["resolution"] == (600.0, 300.0)  # 100, 200, 600, 3000, 3600
    assert cards["ai_cost"] == (1.5, 0.0)


def test_a_conversation_at_2330_in_sao_paulo_belongs_to_that_day(world):
    board = _run(world)
    assert board.volume.x[0] == "2026-03-14" and board.volume.x[-1] == "2026-03-20"
    assert _day(board, "volume", "WhatsApp", "2026-03-19") == 1
    assert _day(board, "volume", "WhatsApp", "2026-03-20") == 0
    assert _day(board, "volume", "resolved", "2026-03-19") == 1
    assert _day(board, "volume", "reopened", "2026-03-15") == 1
    assert _day(board, "volume", "Site", "2026-03-15") == 1
    assert _day(board, "contacts", "contacts", "2026-03-17") == 2  # x3 twice (once), x4 back
    thursday = next(s for s in board.heatmap.series if s.name == "weekday.3")
    assert thursday.values[23] == 1 and sum(thursday.values) == 1


def test_first_response_keeps_the_ai_and_people_clocks_apart(world):
    first = _run(world).first_response
    assert first.stats["people"] == Stats(count=2, median=300.0, p90=600.0)
    assert first.stats["ai"] == Stats(count=4, median=20.0, p90=60.0)  # 10, 20, 30, 60 s
    people = next(s for s in first.chart.series if s.name == "people")
    assert people.values == [0, 0, 2, 0, 0, 0, 0]  # 300 s and 600 s: 5 to 15 minutes


def test_resolution_runs_from_the_start_or_the_reopening_and_splits_ai_from_people(world):
    done = _run(world).resolution
    assert done.stats["ai"] == Stats(count=2, median=200.0, p90=600.0)  # c4, c1
    assert done.stats["people"] == Stats(count=3, median=3000.0, p90=3600.0)  # c3, c5, c2


def test_ai_share_handoffs_answers_cost_and_whatsapp_billing(world):
    board = _run(world)
    assert _day(board, "ai_share", "ai_share", "2026-03-19") == 100.0  # c1
    assert _day(board, "ai_share", "ai_share", "2026-03-17") == 0.0  # c3: the customer came back
    assert _day(board, "ai_share", "ai_share", "2026-03-16") == 100.0  # c4: back after 25 h
    assert board.handoffs.x == ["asked_human"]
    assert board.handoffs.series[0].values == [16.7]
    assert _day(board, "ai_answers", "ai_answers", "2026-03-19") == 2
    assert sum(board.ai_answers.series[0].values) == 5  # c1 twice, c2, c3, c4
    assert _day(board, "ai_cost", "ai_cost", "2026-03-19") == 1.5
    assert board.budget.month_spend_micro_usd == 1_500_000
    assert board.budget.monthly_budget_cents == 1000
    assert board.whatsapp.x == ["service"]  # the marketing message was not billable
    assert board.whatsapp.series[0].values == [1.0]


def test_leaderboard_per_consultant(world):
    rows = {row.name: row for row in _run(world).leaderboard}
    assert set(rows) == {"Ana", "Bruno"}
    assert rows["Ana"].handled == 1
    assert rows["Ana"].first_response == Stats(count=1, median=300.0, p90=300.0)
    assert rows["Ana"].resolution == Stats(count=1, median=3600.0, p90=3600.0)
    assert rows["Bruno"].first_response.median == 600.0
    assert rows["Bruno"].resolution.median == 3000.0
    assert rows["Bruno"].csat is None


def test_lead_funnel_by_stage_and_temperature_with_conversion_and_won_value(world):
    funnel = _run(world).funnel
    assert [row.kind for row in funnel] == ["open"] * 4 + ["won", "lost"]
    assert [row.reached for row in funnel] == [3, 2, 2, 1, 1, 0]
    assert [row.leads for row in funnel] == [1, 0, 1, 0, 1, 0]
    won = funnel[4]
    assert (won.conversion, won.value_cents) == (33.3, 50_000)
    assert funnel[0].by_temperature == {"hot": 1, "warm": 0, "cold": 0}
    assert funnel[0].conversion == 100.0


def test_business_hours_only_counts_clocks_that_started_inside_them(world):
    world.org.business_hours = {"wed": ["09:00", "18:00"]}  # c2 reached people Wed 10:02
    world.session.add(world.org)
    world.session.commit()
    first = _run(world, business_hours_only=True).first_response
    assert first.stats["people"] == Stats(count=1, median=300.0, p90=300.0)  # c5 was a Sunday
    assert first.stats["ai"] == Stats(count=1, median=60.0, p90=60.0)  # c2's AI clock only
    assert _run(world).first_response.stats["people"].count == 2


def test_filters_narrow_every_chart(world):
    site = _run(world, channel_id=str(world.channels["Site"].id))
    assert _cards(site)["conversations"] == (1, 0)
    assert sum(site.ai_answers.series[0].values) == 0
    assert site.first_response.stats["people"].median == 600.0
    assert [row.name for row in site.leaderboard] == ["Bruno"]
    assert sum(row.leads for row in site.funnel) == 1  # x5's lead
    ana = _run(world, consultant_id=str(world.ana.id))
    assert _cards(ana)["conversations"] == (1, 0)
    assert sum(sum(s.values) for s in ana.heatmap.series) == 1  # c2's customer message


def test_a_consultant_sees_only_their_own_figures_whatever_they_ask(world):
    board = _run(world, user=world.ana, consultant_id=str(world.bruno.id))
    assert board.own_only
    assert _cards(board)["conversations"] == (1, 0)
    assert [row.name for row in board.leaderboard] == ["Ana"]


def test_periods_today_custom_and_their_previous_period(world):
    today = _run(world, period="today")
    assert today.period.hourly and len(today.volume.x) == 24
    assert _cards(today)["conversations"] == (0, 1)  # c1 was yesterday at 23:30
    custom = _run(world, period="custom", first=date(2026, 3, 19), last=date(2026, 3, 19))
    assert custom.volume.x[23] == "2026-03-19 23:00"
    assert _day(custom, "volume", "WhatsApp", "2026-03-19 23:00") == 1
    month = _run(world, period="month")
    assert month.period.first_day == "2026-03-01" and _cards(month)["conversations"][0] == 8


@pytest.mark.parametrize("filters", [
    {"period": "year"},
    {"period": "custom", "first": date(2026, 3, 5), "last": date(2026, 3, 1)},
    {"period": "custom", "first": date(2024, 1, 1), "last": date(2026, 1, 1)},
    {"channel_id": "not-an-id"},
    {"agent_id": str(uuid.uuid4())},
    {"pipeline_id": str(uuid.uuid4())},
])
def test_bad_filters_are_refused_with_a_reason(world, filters):
    with pytest.raises(InvalidInput):
        _run(world, **filters)


def test_another_organisations_records_cannot_be_used_or_seen(world):
    other = make_org(world.session, "Outra")
    stranger = make_user(world.session, other, Role.ADMIN)
    theirs = World(world.session, other)
    theirs.agent = Agent(organization_id=other.id, name="X")
    world.session.add(theirs.agent)
    world.session.flush()
    channel = theirs.channel("Deles", with_ai=True)
    theirs.conversation(channel, "y1", local(19, 10))
    world.session.commit()
    with pytest.raises(InvalidInput):
        _run(world, channel_id=str(channel.id))
    with pytest.raises(InvalidInput):
        _run(world, consultant_id=str(stranger.id))
    assert _cards(_run(world))["conversations"] == (7, 1)
    outsider = actor_for(world.session, stranger, other)
    assert _cards(dashboard(world.session, outsider, Filters(), now=NOW))["conversations"] \
        == (1, 0)


def test_a_user_without_a_role_in_the_organisation_is_refused(world):
    membership = world.session.exec(
        select(Membership).where(Membership.user_id == world.ana.id)).one()
    membership.role = "guest"
    world.session.add(membership)
    world.session.commit()
    with pytest.raises(PermissionDenied):
        _run(world, user=world.ana)


def test_daylight_saving_day_buckets_by_local_hour(session):
    """New York moved from UTC-5 to UTC-4 at 02:00 on 8 March 2026."""
    ny = ZoneInfo("America/New_York")
    org = make_org(session, "NY")
    org.timezone = "America/New_York"
    w = World(session, org)
    w.agent = Agent(organization_id=org.id, name="A")
    session.add_all([org, w.agent])
    session.flush()
    wa = w.channel("WA", with_ai=True)
    for key, at in (("before", datetime(2026, 3, 7, 23, 30, tzinfo=ny)),
                    ("early", datetime(2026, 3, 8, 0, 30, tzinfo=ny)),
                    ("after", datetime(2026, 3, 8, 3, 30, tzinfo=ny)),
                    ("late", datetime(2026, 3, 8, 23, 30, tzinfo=ny))):
        w.conversation(wa, key, at.astimezone(UTC))
    session.commit()
    admin = make_user(session, org, Role.ADMIN)
    actor = actor_for(session, admin, org)
    day = dashboard(session, actor, Filters(period="custom", first=date(2026, 3, 8),
                                            last=date(2026, 3, 8)), now=NOW)
    hours = next(s for s in day.volume.series if s.name == "WA").values
    assert (hours[0], hours[3], hours[23], sum(hours)) == (1, 1, 1, 3)
    week = dashboard(session, actor, Filters(period="custom", first=date(2026, 3, 7),
                                             last=date(2026, 3, 9)), now=NOW)
    assert next(s for s in week.volume.series if s.name == "WA").values == [1, 3, 0]
    saturday, sunday = (next(s for s in week.heatmap.series if s.name == f"weekday.{d}")
                        for d in (5, 6))
    assert saturday.values[23] == 1 and sunday.values[3] == 1 and sunday.values[23] == 1


def test_csv_exports_a_chart_and_one_row_per_conversation(world):
    board = _run(world)
    lines = export.chart_csv(board.volume).splitlines()
    assert lines[0] == "x,Site,WhatsApp,resolved,reopened"
    assert lines[6] == "2026-03-19,0.0,1.0,1.0,0.0"
    actor = actor_for(world.session, world.manager, world.org)
    rows = export.conversations_csv(world.session, actor, Filters(), now=NOW).splitlines()
    assert rows[0].startswith("conversation_id,channel,consultant,started_at")
    assert len(rows) == 1 + 7
    ana_row = next(r for r in rows if ",Ana," in r).split(",")
    assert ana_row[3] == "2026-03-18T10:00:00-03:00"
    assert ana_row[6:10] == ["60", "300", "3600", "no"]
    assert export.leaderboard_csv(board.leaderboard).splitlines()[0].startswith("consultant,")
    assert ",1,1,33.3,0,1,0,50000" in export.funnel_csv(board.funnel)


def test_whatsapp_billing_comes_from_the_pricing_of_status_webhooks(world):
    """Meta's status webhook, parsed by the WhatsApp provider and applied by ingest, keeps
    the pricing object that the billing chart reads."""
    from smarterchat.backend.channels.registry import provider_for
    from smarterchat.backend.services.ingest import apply_status
    from tests.fakes.meta import whatsapp_status

    wa = world.channels["WhatsApp"]
    conversation = world.session.exec(select(Conversation).where(
        Conversation.channel_id == wa.id).order_by(Conversation.created_at)).first()
    message = Message(organization_id=world.org.id, conversation_id=conversation.id,
                      channel_id=wa.id, direction=Direction.OUTBOUND, author_kind=AuthorKind.AI,
                      provider_message_id="wamid.priced", created_at=local(18, 15))
    world.session.add(message)
    world.session.commit()
    payload = whatsapp_status(wa.external_id, "wamid.priced", "delivered", pricing={
        "billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular",
        "unexpected": {"nested": "dropped"}})
    (status,) = provider_for(wa.kind).parse(wa, payload)
    assert apply_status(world.session, wa, status) == message.id
    world.session.commit()
    world.session.refresh(message)
    assert message.extra["pricing"] == {"billable": True, "pricing_model": "PMP",
                                        "category": "utility", "type": "regular"}
    board = _run(world)
    assert dict(zip(board.whatsapp.x, board.whatsapp.series[0].values, strict=True)) \
        == {"service": 1.0, "utility": 1.0}


def test_the_leaderboard_averages_the_ratings_customers_gave(world):
    from sqlmodel import col, select

    from smarterchat.backend.models import Conversation, User

    session = world.session
    ana = session.exec(select(User).where(User.name == "Ana")).one()
    (rated,) = session.exec(select(Conversation).where(
        Conversation.organization_id == world.org.id, Conversation.assignee_id == ana.id,
        col(Conversation.resolved_at).is_not(None))).all()
    rated.csat_rating = 4
    session.add(rated)
    session.commit()
    rows = {row.name: row for row in _run(world).leaderboard}
    assert rows["Ana"].csat == 4.0
    assert rows["Bruno"].csat is None  # resolved, never rated
