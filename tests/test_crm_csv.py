"""CSV: export of the filtered board (BOM, ";" option, formulas neutralised) and import
with a guessed mapping, per-row errors in plain language, duplicates decided first, and
nothing half-written."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from smarterchat.backend.models import Contact, Lead
from smarterchat.backend.services.crm import board, csv_export, csv_import
from smarterchat.backend.services.errors import InvalidInput, NotFound, PermissionDenied
from smarterchat.i18n import translate
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja CSV")
    channel, contact, _, _ = make_conversation(session, org)
    contact.name, contact.external_id, contact.phone = "=Ana", "5511988880000", "+5511988880000"
    session.add(contact)
    session.commit()
    make_lead(session, org, contact, value_cents=150050, fields={"company": "Açaí & Cia"})
    return {"org": org, "channel": channel, "contact": contact,
            "manager": actor_for(session, make_user(session, org, "manager"), org)}


def test_export_opens_in_excel_with_accents_and_no_formulas(session, shop):
    data = csv_export.export_csv(session, shop["manager"], board.BoardFilters(), separator=";",
                                 locale="pt-BR")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Nome", "Telefone", "E-mail", "Empresa", "Etapa"]
    assert rows[1][0] == "'=Ana" and rows[1][3] == "Açaí & Cia" and rows[1][6] == "1500,50"
    assert rows[1][4] == "Novo" and len(rows) == 2
    none = csv_export.export_csv(session, shop["manager"], board.BoardFilters(search="zzz"))
    assert len(none.decode("utf-8-sig").strip().splitlines()) == 1


FILE = ("Nome;Celular;E-mail;Empresa;Valor\n"
        "Bruno Lima;(11) 97777-6666;bruno@lima.com;Lima ME;1.200,00\n"
        "Ana de novo;11 98888-0000;;;\n"
        ";11 95555-4444;x@y.com;;\n"
        "Carla;123;carla@;;muito\n").encode("latin-1")


def test_import_reports_each_bad_row_and_writes_nothing(session, shop):
    manager, channel = shop["manager"], shop["channel"]
    found = csv_import.preview(session, manager, FILE, channel.id)
    assert found.mapping == {"Nome": "name", "Celular": "phone", "E-mail": "email",
                             "Empresa": "company", "Valor": "value"}
    assert found.rows == 4 and found.duplicates == 1
    said = [translate(f"crm.import.{p.code}", "pt-BR", line=p.line, column=p.column)
            for p in found.problems]
    assert said == [
        "Linha 4: falta o nome (coluna “Nome”).",
        "Linha 5: o telefone na coluna “Celular” não parece um número com DDD.",
        "Linha 5: o e-mail na coluna “E-mail” não é válido.",
        "Linha 5: o valor na coluna “Valor” não é um número (ex.: 1.500,00).",
    ]
    before = len(session.exec(select(Lead)).all())
    with pytest.raises(InvalidInput) as refused:
        csv_import.run(session, manager, FILE, channel.id, found.mapping, "skip")
    assert refused.value.code == "import_has_errors"
    assert len(session.exec(select(Lead)).all()) == before
    assert len(session.exec(select(Contact)).all()) == 1


def test_import_decides_duplicates_before_writing(session, shop):
    manager, channel = shop["manager"], shop["channel"]
    good = b"\xef\xbb\xbfNome,Telefone,Valor\nBruno,11977776666,100\nAna,5511988880000,99.90\n"
    mapping = csv_import.guess_mapping(["Nome", "Telefone", "Valor"])
    with pytest.raises(InvalidInput):
        csv_import.run(session, manager, good, channel.id, mapping, "")
    skipped = csv_import.run(session, manager, good, channel.id, mapping, "skip")
    assert (skipped.created, skipped.updated, skipped.skipped) == (1, 0, 1)
    session.expire_all()
    ana = session.exec(select(Lead).where(Lead.contact_id == shop["contact"].id)).one()
    assert ana.value_cents == 150050  # skipped: untouched
    again = b"Nome,Telefone,Valor\nAna Souza,11988880000,99.90\n"
    updated = csv_import.run(session, manager, again, channel.id, mapping, "update")
    assert (updated.created, updated.updated) == (0, 1)
    session.expire_all()
    ana = session.get(Lead, ana.id)
    assert ana.value_cents == 9990 and ana.fields["name"] == "Ana Souza"
    assert len(session.exec(select(Lead)).all()) == 2


def test_import_is_for_managers_of_the_organisation(session, shop):
    consultant = actor_for(session, make_user(session, shop["org"], "consultant"), shop["org"])
    with pytest.raises(PermissionDenied):
        csv_import.preview(session, consultant, FILE, shop["channel"].id)
    other = make_org(session, "Outra")
    intruder = actor_for(session, make_user(session, other), other)
    with pytest.raises(NotFound):
        csv_import.preview(session, intruder, FILE, shop["channel"].id)
