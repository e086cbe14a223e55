"""Benchmark of the inbox list on PostgreSQL: an organisation with 100,000 conversations
and 1,000,000 messages (plus a second, noisy organisation of the same size), timing
``services.inbox.list_conversations`` per tab, with search, and the next page, next to
a bare indexed query (newest 30 conversations' ids) measured in the same run.

Usage: .venv/bin/python -m bench.inbox_query [--conversations 100000] [--messages-each 10]
"""

from __future__ import annotations

import argparse
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

SEED = """
INSERT INTO organization (id, name, slug, is_active, locale, timezone, distribution_mode,
                          business_hours, created_at)
VALUES (:org, :name, :slug, true, 'pt-BR', 'America/Sao_Paulo', 'round_robin', '{}', now());
INSERT INTO "user" (id, email, name, password_hash, is_superadmin, is_active, totp_enabled,
                    created_at)
VALUES (:user, :email, 'Consultora', 'x', false, true, false, now());
INSERT INTO membership (id, organization_id, user_id, role, is_active, availability, capacity,
                        created_at)
VALUES (gen_random_uuid(), CAST(:org AS uuid), :user, 'consultant', true, 'online', 5, now());
INSERT INTO channel (id, organization_id, kind, name, is_active, config, created_at)
VALUES (:channel, CAST(:org AS uuid), 'whatsapp', 'WhatsApp', true, '{}', now());
INSERT INTO contact (id, organization_id, channel_id, external_id, name, phone, attributes,
                     summary, facts, created_at)
SELECT md5(:org || i::text)::uuid, CAST(:org AS uuid), CAST(:channel AS uuid), '55119' || lpad(i::text, 8, '0'),
       'Cliente ' || i, '55119' || lpad(i::text, 8, '0'), '{}', '', '{}', now()
FROM generate_series(1, CAST(:n AS int)) AS i;
INSERT INTO conversation (id, organization_id, channel_id, contact_id, status, assignee_id,
                          labels, unread_count, last_message_at, created_at)
SELECT md5('c' || :org || i::text)::uuid, CAST(:org AS uuid), CAST(:channel AS uuid), md5(:org || i::text)::uuid,
       (ARRAY['bot', 'bot', 'waiting_human', 'human', 'resolved', 'resolved'])[1 + i % 6],
       CASE WHEN i % 6 = 3 AND i % 12 = 3 THEN CAST(:user AS uuid) ELSE NULL END,
       CASE WHEN i % 50 = 0 THEN '["vip"]'::jsonb ELSE '[]'::jsonb END,
       i % 3, now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
FROM generate_series(1, CAST(:n AS int)) AS i;
INSERT INTO message (id, organization_id, conversation_id, channel_id, direction, author_kind,
                     content_type, text, is_private, delivery_status, extra, created_at)
SELECT gen_random_uuid(), CAST(:org AS uuid),
       md5('c' || :org || (i / CAST(:m AS int) + 1)::text)::uuid, CAST(:channel AS uuid),
       CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
       CASE WHEN i % 2 = 0 THEN 'contact' ELSE 'ai' END, 'text',
       CASE WHEN i % 997 = 0 THEN 'quero trocar o tamanho da camiseta'
            ELSE 'mensagem número ' || i END,
       false, 'read', '{}', now() - ((i / CAST(:m AS int) + 1) || ' seconds')::interval
                            + (i % CAST(:m AS int)) * interval '1 ms'
FROM generate_series(0, CAST(:n AS int) * CAST(:m AS int) - 1) AS i;
"""


def seed(url: str, conversations: int, per: int) -> tuple[uuid.UUID, uuid.UUID]:
    from smarterchat.backend.db import get_engine

    first = None
    for k in range(2):  # the measured organisation and a second one as noise
        org, user, channel = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        with get_engine().begin() as conn:
            for statement in SEED.strip().split(";\n"):
                conn.execute(text(statement), {
                    "org": str(org), "user": str(user), "channel": str(channel),
                    "name": f"Org {k}", "slug": f"org-{k}-{org.hex[:6]}",
                    "email": f"c{k}-{user.hex[:6]}@example.com", "n": conversations, "m": per})
        first = first or (org, user)
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
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-each", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import os

    url = _create_pg_database()
    _migrate(url)
    os.environ["SMARTERCHAT_DATABASE_URL"] = url
    from smarterchat.backend import db

    db.reset()
    try:
        start = time.perf_counter()
        org_id, user_id = seed(url, args.conversations, args.messages_each)
        print(f"seeded 2 organisations x {args.conversations:,} conversations x "
              f"{args.messages_each} messages in {time.perf_counter() - start:.0f} s")
        from sqlmodel import Session

        from smarterchat.backend.services import inbox
        from smarterchat.backend.services.actors import load_actor

        with Session(db.get_engine()) as session:
            actor = load_actor(session, user_id, org_id)
            baseline = timed(lambda: session.execute(text(
                "SELECT id FROM conversation WHERE organization_id = :org "
                "ORDER BY last_message_at DESC LIMIT 30"), {"org": str(org_id)}).all(),
                args.repeat)
            base = statistics.median(baseline)
            print(f"\nbare indexed query (30 newest ids): median {base:.2f} ms\n")
            print(f"{'inbox list (30 rows + count + previews)':<44} {'median':>8} "
                  f"{'p95':>8} {'x bare':>7} {'total':>8}")
            cases = {
                "tab open": {"tab": "open"},
                "tab waiting": {"tab": "waiting"},
                "tab mine": {"tab": "mine"},
                "tab resolved, page 100": {"tab": "resolved", "offset": 2970},
                "label vip": {"tab": "open", "label": "vip"},
                "search message text 'trocar o tamanho'": {"tab": "open",
                                                               "search": "trocar o tamanho"},
                "search contact name 'Cliente 4242'": {"tab": "open", "search": "Cliente 4242"},
            }
            for name, kwargs in cases.items():
                page = inbox.list_conversations(session, actor, **kwargs)
                runs = timed(lambda k=kwargs: inbox.list_conversations(session, actor, **k),
                             args.repeat)
                runs.sort()
                p95 = runs[int(0.95 * (len(runs) - 1))]
                print(f"{name:<44} {statistics.median(runs):>6.1f}ms {p95:>6.1f}ms "
                      f"{statistics.median(runs) / base:>7.0f} {page.total:>8,}")
    finally:
        db.reset()
        _drop_pg_database(url)


if __name__ == "__main__":
    main()
