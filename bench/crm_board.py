"""Benchmark of the CRM board on PostgreSQL: an organisation with 10,000 leads (plus a
second, noisy organisation of the same size), timing ``services.crm.board.board`` (the
first page of every column with counts and value totals) and a filtered search, next to
a bare indexed query (one column's first 20 lead ids in board order) measured in the
same run. Targets: board under 300 ms, search under 100 ms.

Usage: .venv/bin/python -m bench.crm_board [--leads 10000] [--repeat 15]
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

from bench.inbox_query import timed  # noqa: E402
from tests.support import create_pg_database as _create_pg_database  # noqa: E402
from tests.support import drop_pg_database as _drop_pg_database  # noqa: E402
from tests.support import migrate as _migrate  # noqa: E402

SEED = """
INSERT INTO organization (id, name, slug, is_active, locale, timezone, distribution_mode,
                          business_hours, created_at)
VALUES (:org, :name, :slug, true, 'pt-BR', 'America/Sao_Paulo', 'round_robin', '{}', now());
INSERT INTO "user" (id, email, name, password_hash, is_superadmin, is_active, totp_enabled,
                    created_at)
VALUES (:user, :email, 'Gerente', 'x', false, true, false, now());
INSERT INTO membership (id, organization_id, user_id, role, is_active, availability, capacity,
                        created_at)
VALUES (gen_random_uuid(), CAST(:org AS uuid), :user, 'manager', true, 'online', 5, now());
INSERT INTO channel (id, organization_id, kind, name, is_active, config, created_at)
VALUES (:channel, CAST(:org AS uuid), 'whatsapp', 'WhatsApp', true, '{}', now());
INSERT INTO contact (id, organization_id, channel_id, external_id, name, phone, attributes,
                     summary, facts, created_at)
SELECT md5(:org || i::text)::uuid, CAST(:org AS uuid), CAST(:channel AS uuid),
       '55119' || lpad(i::text, 8, '0'), 'Cliente ' || i, '55119' || lpad(i::text, 8, '0'),
       '{}', '', '{}', now()
FROM generate_series(1, CAST(:n AS int)) AS i;
INSERT INTO conversation (id, organization_id, channel_id, contact_id, status, labels,
                          unread_count, last_inbound_at, last_message_at, created_at)
SELECT md5('c' || :org || i::text)::uuid, CAST(:org AS uuid), CAST(:channel AS uuid),
       md5(:org || i::text)::uuid, 'bot', '[]', 0, now() - (i || ' minutes')::interval,
       now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
FROM generate_series(1, CAST(:n AS int)) AS i;
INSERT INTO lead (id, organization_id, contact_id, pipeline_id, stage_id, temperature,
                  temperature_reason, position, value_cents, source, fields, field_sources,
                  stage_changed_at, last_activity_at, created_at, updated_at)
SELECT gen_random_uuid(), CAST(:org AS uuid), md5(:org || i::text)::uuid, CAST(:pipeline AS uuid),
       (SELECT id FROM pipeline_stage WHERE pipeline_id = CAST(:pipeline AS uuid)
        ORDER BY position OFFSET i % 6 LIMIT 1),
       (ARRAY['hot', 'warm', 'cold'])[1 + i % 3], 'sinal de compra', i, (i % 50) * 10000, 'ai',
       jsonb_build_object('company', 'Empresa ' || i), '{}',
       now() - (i % 20 || ' days')::interval, now(), now(), now()
FROM generate_series(1, CAST(:n AS int)) AS i;
"""


def seed(leads: int) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    from sqlmodel import Session

    from smarterchat.backend.db import get_engine
    from smarterchat.backend.services.crm import defaults

    first = None
    for k in range(2):  # the measured organisation and a second one as noise
        org, user, channel = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        statements = SEED.strip().split(";\n")
        with get_engine().begin() as conn:
            for statement in statements[:2]:
                conn.execute(text(statement), {"org": str(org), "user": str(user),
                                               "name": f"Org {k}", "slug": f"org-{k}-{org.hex[:6]}",
                                               "email": f"g{k}-{user.hex[:6]}@example.com"})
        with Session(get_engine()) as session:
            pipeline = defaults.default_pipeline(session, org).id
            session.commit()
        with get_engine().begin() as conn:
            for statement in statements[2:]:
                conn.execute(text(statement), {"org": str(org), "user": str(user),
                                               "channel": str(channel), "n": leads,
                                               "pipeline": str(pipeline)})
        first = first or (org, user, pipeline)
    with get_engine().begin() as conn:
        conn.execute(text("ANALYZE"))
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    url = _create_pg_database()
    _migrate(url)
    os.environ["SMARTERCHAT_DATABASE_URL"] = url
    from smarterchat.backend import db

    db.reset()
    try:
        start = time.perf_counter()
        org_id, user_id, pipeline_id = seed(args.leads)
        print(f"seeded 2 organisations x {args.leads:,} leads in "
              f"{time.perf_counter() - start:.0f} s")
        from sqlmodel import Session

        from smarterchat.backend.services.actors import load_actor
        from smarterchat.backend.services.crm import board

        with Session(db.get_engine()) as session:
            actor = load_actor(session, user_id, org_id)
            stage = session.execute(text(
                "SELECT id FROM pipeline_stage WHERE pipeline_id = :p ORDER BY position LIMIT 1"),
                {"p": str(pipeline_id)}).scalar_one()
            baseline = timed(lambda: session.execute(text(
                "SELECT id FROM lead WHERE organization_id = :org AND stage_id = :s "
                "ORDER BY position LIMIT 20"), {"org": str(org_id), "s": str(stage)}).all(),
                args.repeat)
            base = statistics.median(baseline)
            print(f"\nbare indexed query (one column's first 20 ids): median {base:.2f} ms\n")
            print(f"{'case':<46} {'median':>8} {'p95':>8} {'x bare':>7} {'target':>7} "
                  f"{'leads':>7}")
            cases = {
                "board: 6 columns x 20 cards + counts/totals": (board.BoardFilters(), 300),
                "search 'Cliente 4242'": (board.BoardFilters(search="Cliente 4242"), 100),
                "search phone '4242' + hot": (board.BoardFilters(search="5511900004242",
                                                                 temperature="hot"), 100),
                "stale only": (board.BoardFilters(stale_only=True), 300),
            }
            for name, (filters, target) in cases.items():
                found = board.board(session, actor, filters)
                runs = sorted(timed(lambda f=filters: board.board(session, actor, f),
                                    args.repeat))
                p95 = runs[int(0.95 * (len(runs) - 1))]
                median = statistics.median(runs)
                print(f"{name:<46} {median:>6.1f}ms {p95:>6.1f}ms {median / base:>7.0f} "
                      f"{target:>5}ms {sum(c.count for c in found.columns):>7,}")
    finally:
        db.reset()
        _drop_pg_database(url)


if __name__ == "__main__":
    main()
