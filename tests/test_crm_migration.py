"""Migration 0005 gives every organisation the default pipeline and puts each lead in
the stage its old ``stage`` value named, on both databases; downgrading gives them back."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from tests.support import ROOT, create_pg_database, drop_pg_database, use_database


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    request.getfixturevalue("postgresql_url")  # skips or fails when PostgreSQL is missing
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def _alembic(url: str, verb: str, revision: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    use_database(url)
    getattr(command, verb)(cfg, revision)


def _seed(conn, stages: list[str]) -> None:
    def key(value):
        return value if conn.dialect.name == "postgresql" else value.hex

    org, channel = uuid.uuid4(), uuid.uuid4()
    conn.execute(sa.text(
        "INSERT INTO organization (id, name, slug, is_active, locale, timezone, "
        "distribution_mode, business_hours, created_at) VALUES (:id, 'Loja', :slug, true, "
        "'pt-BR', 'America/Sao_Paulo', 'manual', '{}', CURRENT_TIMESTAMP)"),
        {"id": key(org), "slug": org.hex})
    conn.execute(sa.text(
        "INSERT INTO channel (id, organization_id, kind, name, external_id, is_active, config, "
        "created_at) VALUES (:id, :org, 'whatsapp', 'WhatsApp', 'x', true, '{}', "
        "CURRENT_TIMESTAMP)"), {"id": key(channel), "org": key(org)})
    for stage in stages:
        contact = uuid.uuid4()
        conn.execute(sa.text(
            "INSERT INTO contact (id, organization_id, channel_id, external_id, attributes, "
            "summary, facts, created_at) VALUES (:id, :org, :channel, :ext, '{}', '', '{}', "
            "CURRENT_TIMESTAMP)"),
            {"id": key(contact), "org": key(org), "channel": key(channel), "ext": stage})
        conn.execute(sa.text(
            "INSERT INTO lead (id, organization_id, contact_id, temperature, temperature_reason, "
            "stage, position, fields, created_at, updated_at) VALUES (:id, :org, :contact, "
            "'hot', '', :stage, 0, '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"id": key(uuid.uuid4()), "org": key(org), "contact": key(contact), "stage": stage})


def test_old_stages_map_to_the_default_pipeline_and_back(fresh_url):
    from smarterchat.backend.db import get_engine

    _alembic(fresh_url, "upgrade", "0004")
    with get_engine().begin() as conn:
        _seed(conn, ["new", "contacted", "proposal", "won", "lost"])
    _alembic(fresh_url, "upgrade", "0005")
    with get_engine().connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT c.external_id, s.name, s.kind, l.closed_at IS NOT NULL FROM lead l "
            "JOIN pipeline_stage s ON s.id = l.stage_id JOIN contact c ON c.id = l.contact_id "
            "JOIN pipeline p ON p.id = l.pipeline_id AND p.name = 'Vendas' "
            "ORDER BY c.external_id")).all()
        names = conn.execute(sa.text("SELECT name FROM pipeline_stage ORDER BY position")).all()
    assert [tuple(r) for r in rows] == [
        ("contacted", "Novo", "open", False), ("lost", "Perdido", "lost", True),
        ("new", "Novo", "open", False), ("proposal", "Proposta", "open", False),
        ("won", "Ganho", "won", True)]
    assert [n for (n,) in names] == ["Novo", "Qualificado", "Proposta", "Negociação", "Ganho",
                                     "Perdido"]
    _alembic(fresh_url, "downgrade", "0004")
    with get_engine().connect() as conn:
        back = sorted(s for (s,) in conn.execute(sa.text("SELECT stage FROM lead")).all())
    assert back == ["lost", "new", "new", "new", "won"]  # open stages come back as "new"
    get_engine().dispose()
