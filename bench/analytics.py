"""Benchmark of the analytics dashboard on PostgreSQL: an organisation with 100,000
conversations and 1,000,000 messages over the last 30 days (plus a second, noisy
organisation of the same size), timing ``services.analytics.dashboard`` for the whole page
(30 days, 7 days, filtered by channel, by consultant, business hours only) next to a bare
query measured in the same run: the period's messages counted per day, one indexed scan of
the rows the dashboard reads.

Usage: .venv/bin/python -m bench.analytics [--conversations 100000] [--messages-each 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from tests.support import create_pg_database as _create_pg_database  # noqa: E402
from tests.support import drop_pg_database as _drop_pg_database  # noqa: E402
from tests.support import migrate as _migrate  # noqa: E402

CONSULTANTS = 20
# Conversation i starts i * 25 s ago (100,000 of them cover about 29 days); a quarter stays
# open; a third went to one of 20 consultants after an AI handoff.
SEED = """
INSERT INTO organization (id, name, slug, is_active, locale, timezone, distribution_mode,
                          business_hours, monthly_ai_budget_cents, created_at)
VALUES (:org, :name, :slug, true, 'pt-BR', 'America/Sao_Paulo', 'round_robin',
        '{"mon": ["09:00", "18:00"], "tue": ["09:00", "18:00"], "wed": ["09:00", "18:00"],
          "thu": ["09:00", "18:00"], "fri": ["09:00", "18:00"]}', 50000, now());
INSERT INTO agent (id, organization_id, name, is_active, persona, tone, system_message,
                   business_facts, rules, greeting, fallback_message, handoff_rules, temperature,
                   created_at, updated_at)
SELECT :agent, CAST(:org AS uuid), 'Bia', true, '', '', '', '', '[]', '', '', '{}', 0.3, now(),
       now();
INSERT INTO "user" (id, email, name, password_hash, is_superadmin, is_active, totp_enabled,
                    created_at)
SELECT md5(:org || 'u' || k)::uuid, 'c' || k || '-' || :slug || '@example.com',
       'Consultor ' || k, 'x', false, true, false, now()
FROM generate_series(0, :people - 1) AS k;
INSERT INTO membership (id, organization_id, user_id, role, is_active, availability, capacity,
                        created_at)
SELECT gen_random_uuid(), CAST(:org AS uuid), md5(:org || 'u' || k)::uuid,
       CASE WHEN k = 0 THEN 'manager' ELSE 'consultant' END, true, 'online', 5, now()
FROM generate_series(0, :people - 1) AS k;
INSERT INTO channel (id, organization_id, kind, name, is_active, agent_id, config, created_at)
VALUES (:channel, CAST(:org AS uuid), 'whatsapp', 'WhatsApp', true, CAST(:agent AS uuid), '{}', now()),
       (:site, CAST(:org AS uuid), 'webchat', 'Site', true, NULL, '{}', now());
INSERT INTO contact (id, organization_id, channel_id, external_id, name, attributes, summary,
                     facts, created_at)
SELECT md5(:org || i::text)::uuid, CAST(:org AS uuid),
       CASE WHEN i % 5 = 0 THEN CAST(:site AS uuid) ELSE CAST(:channel AS uuid) END,
       'x' || i, 'Cliente ' || i, '{}', '', '{}', now()
FROM generate_series(1, CAST(:n AS int)) AS i;
INSERT INTO conversation (id, organization_id, channel_id, contact_id, agent_id, status,
                          assignee_id, labels, unread_count, last_message_at, created_at,
                          resolved_at)
SELECT md5('c' || :org || i::text)::uuid, CAST(:org AS uuid),
       CASE WHEN i % 5 = 0 THEN CAST(:site AS uuid) ELSE CAST(:channel AS uuid) END,
       md5(:org || i::text)::uuid,
       CASE WHEN i % 5 = 0 THEN NULL ELSE CAST(:agent AS uuid) END,
       CASE WHEN i % 4 = 0 THEN 'bot' ELSE 'resolved' END,
       CASE WHEN i % 3 = 0 THEN md5(:org || 'u' || (i % :people))::uuid END,
       '[]', 0, now() - (i * 25 || ' seconds')::interval, now() - (i * 25 || ' seconds')::interval,
       CASE WHEN i % 4 <> 0 THEN now() - (i * 25 || ' seconds')::interval
                                 + ((60 + i % 7200) || ' seconds')::interval END
FROM generate_series(1, CAST(:n AS int)) AS i;
INSERT INTO message (id, organization_id, conversation_id, channel_id, direction, author_kind,
                     content_type, text, is_private, delivery_status, extra, created_at)
SELECT gen_random_uuid(), CAST(:org AS uuid), md5('c' || :org || c::text)::uuid,
       CASE WHEN c % 5 = 0 THEN CAST(:site AS uuid) ELSE CAST(:channel AS uuid) END,
       CASE WHEN j % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
       CASE WHEN j % 2 = 0 THEN 'contact'
            WHEN j = 3 AND c % 3 = 0 THEN 'system'
            WHEN j > 3 AND c % 3 = 0 THEN 'consultant' ELSE 'ai' END,
       CASE WHEN j = 3 AND c % 3 = 0 THEN 'event' ELSE 'text' END,
       'mensagem ' || i, j = 3 AND c % 3 = 0, 'read',
       CASE WHEN j = 3 AND c % 3 = 0
                THEN '{"event": "handoff", "reason": "asked_human"}'::jsonb
            WHEN j = 1 THEN '{"pricing": {"billable": true, "category": "service"}}'::jsonb
            ELSE '{}'::jsonb END,
       now() - (c * 25 || ' seconds')::interval + (j * 7 || ' seconds')::interval
FROM generate_series(0, CAST(:n AS int) * CAST(:m AS int) - 1) AS i,
     LATERAL (SELECT i / CAST(:m AS int) + 1 AS c, i % CAST(:m AS int) AS j) AS pos;
INSERT INTO ai_usage (id, organization_id, agent_id, conversation_id, provider, model, purpose,
                      prompt_tokens, completion_tokens, cost_micro_usd, created_at)
SELECT gen_random_uuid(), CAST(:org AS uuid), CAST(:agent AS uuid),
       md5('c' || :org || i::text)::uuid, 'openai', 'gpt', 'reply', 500, 100, 900,
       now() - (i * 25 || ' seconds')::interval
FROM generate_series(1, CAST(:n AS int)) AS i WHERE i % 5 <> 0;
INSERT INTO pipeline (id, organization_id, name, position, is_default, created_at)
VALUES (md5(:org || 'pipeline')::uuid, CAST(:org AS uuid), 'Vendas', 0, true, now());
INSERT INTO pipeline_stage (id, organization_id, pipeline_id, name, kind, color, position,
                            created_at)
SELECT md5(:org || 's' || k)::uuid, CAST(:org AS uuid), md5(:org || 'pipeline')::uuid,
       (ARRAY['Novo', 'Qualificado', 'Proposta', 'Negociação', 'Ganho', 'Perdido'])[k + 1],
       (ARRAY['open', 'open', 'open', 'open', 'won', 'lost'])[k + 1], 'gray', k, now()
FROM generate_series(0, 5) AS k;
INSERT INTO lead (id, organization_id, contact_id, pipeline_id, stage_id, temperature,
                  temperature_reason, position, value_cents, source, fields, field_sources,
                  stage_changed_at, last_activity_at, created_at, updated_at)
SELECT gen_random_uuid(), CAST(:org AS uuid), md5(:org || i::text)::uuid,
       md5(:org || 'pipeline')::uuid, md5(:org || 's' || (i % 6))::uuid,
       (ARRAY['hot', 'warm', 'cold'])[1 + i % 3], '', 0, 10000, 'ai', '{}', '{}', now(), now(),
       now() - (i * 250 || ' seconds')::interval, now()
FROM generate_series(1, CAST(:n AS int) / 10) AS i;
"""

BARE = text("SELECT date_trunc('day', created_at AT TIME ZONE 'America/Sao_Paulo'), count(*) "
            "FROM message WHERE organization_id = :org AND created_at >= now() - interval '30 days' "
            "GROUP BY 1")


def seed(conversations: int, per: int) -> dict[str, str]:
    from smarterchat.backend.db import get_engine

    first: dict[str, str] = {}
    with get_engine().begin() as conn:
        # The inbox's trigram search indexes cost most of a bulk load of message text and
        # analytics never reads them; this database is dropped after the run.
        for name in ("ix_message_text_trgm", "ix_contact_name_trgm", "ix_contact_phone_trgm"):
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for k in range(2):  # the measured organisation and a second one as noise
        ids = {name: str(uuid.uuid4()) for name in ("org", "agent", "channel", "site")}
        with get_engine().begin() as conn:
            for statement in SEED.strip().split(";\n"):
                conn.execute(text(statement), {**ids, "name": f"Org {k}",
                                               "slug": f"org-{k}-{ids['org'][:6]}",
                                               "n": conversations, "m": per,
                                               "people": CONSULTANTS})
        first = first or ids
    with get_engine().begin() as conn:
        conn.execute(text("ANALYZE"))
    return first


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-each", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url = _create_pg_database()
    _migrate(url)
    os.environ["SMARTERCHAT_DATABASE_URL"] = url
    from smarterchat.backend import db

    db.reset()
    try:
        start = time.perf_counter()
        ids = seed(args.conversations, args.messages_each)
        print(f"seeded 2 organisations x {args.conversations:,} conversations x "
              f"{args.messages_each} messages in {time.perf_counter() - start:.0f} s")
        run(db, ids, args.repeat)
    finally:
        db.reset()
        _drop_pg_database(url)


def run(db, ids: dict[str, str], repeat: int) -> None:
    from sqlmodel import Session, select

    from smarterchat.backend.models import Membership
    from smarterchat.backend.services.actors import load_actor
    from smarterchat.backend.services.analytics import Filters, dashboard

    with Session(db.get_engine()) as session:
        members = session.exec(select(Membership).where(
            Membership.organization_id == uuid.UUID(ids["org"]))).all()
        manager = next(m for m in members if m.role == "manager")
        consultant = next(m for m in members if m.role == "consultant")
        actor = load_actor(session, manager.user_id, manager.organization_id)
        cases = {
            "30 days, whole organisation": Filters(period="30d"),
            "7 days, whole organisation": Filters(period="7d"),
            "30 days, channel Site": Filters(period="30d", channel_id=ids["site"]),
            "30 days, one consultant": Filters(period="30d",
                                               consultant_id=str(consultant.user_id)),
            "30 days, business hours only": Filters(period="30d", business_hours_only=True),
        }
        rows = []
        for name, filters in cases.items():
            bare = timed(lambda: session.execute(BARE, {"org": ids["org"]}).all(), repeat)
            runs = timed(lambda f=filters: (dashboard(session, actor, f), session.rollback()),
                         repeat)
            rows.append((name, statistics.median(runs), runs[-1], statistics.median(bare)))
        board = dashboard(session, actor, Filters(period="30d"))
        print(f"conversations in 30 days: {board.cards[0].value:,.0f}; "
              f"messages read by the heatmap: {sum(sum(s.values) for s in board.heatmap.series):,.0f}"
              " (customer messages)\n")
        print(f"{'whole dashboard (14 charts, 8 cards)':<36} {'median':>9} {'max':>9} "
              f"{'bare':>8} {'x bare':>7}")
        for name, median, worst, bare in rows:
            print(f"{name:<36} {median:>7.0f}ms {worst:>7.0f}ms {bare:>6.0f}ms "
                  f"{median / bare:>7.1f}")


if __name__ == "__main__":
    main()
