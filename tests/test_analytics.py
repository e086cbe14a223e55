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
    Role,
    Stage,
    Temperature,
)
from smarterchat.backend.services.analytics import Filters, dashboard, export
from smarterchat.backend.services.analytics.dto import Stats
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
    # Leads of the period.
    for key, stage, temperature, value in (("x1", Stage.NEW, Temperature.HOT, None),
                                           ("x2", Stage.WON, Temperature.WARM, 50_000),
                                           ("x5", Stage.PROPOSAL, Temperature.COLD, 20_000)):
        session.add(Lead(organization_id=org.id, contact_id=w.contacts[key].id, stage=stage,
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
