"""CSV import of leads: read the file (UTF-8 with or without BOM, or Latin-1 as older
Excel saves it; "," or ";"), map its columns to lead fields (guessed from the headers,
changeable), check every row and say what is wrong in each, and decide duplicates
(same phone on the channel, or same e-mail in the organisation) before writing. The
import writes everything or nothing: one transaction, refused while any row has an error.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.models import Channel, Contact, Lead, LeadSource
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import defaults, positions
from smarterchat.backend.services.crm.actions import FIELD_MAX, VALUE_MAX_CENTS
from smarterchat.backend.services.crm.changes import emit_all, lead_event, timeline
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id

MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
PREVIEW_ROWS = 10
TARGETS = ("name", "phone", "email", "company", "interest", "value", "ignore")
POLICIES = ("skip", "update")
_GUESS = {
    "name": ("nome", "name", "cliente", "contato", "lead"),
    "phone": ("telefone", "phone", "celular", "whatsapp", "fone", "tel"),
    "email": ("email", "e-mail", "mail"),
    "company": ("empresa", "company", "organizacao", "negocio"),
    "interest": ("interesse", "interest", "produto"),
    "value": ("valor", "value", "preco", "amount", "r$"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RowProblem:
    line: int  # the file's line number, header = 1
    column: str  # the file's header
    code: str  # crm.import.<code>


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    mapping: dict[str, str]  # header -> target
    sample: list[list[str]]
    rows: int
    duplicates: int
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int
    skipped: int


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def read(data: bytes) -> tuple[list[str], list[list[str]]]:
    if len(data) > MAX_BYTES:
        raise InvalidInput("import_too_big", max=MAX_BYTES // 1_000_000)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise InvalidInput("import_empty")
    if len(rows) - 1 > MAX_ROWS:
        raise InvalidInput("import_too_many_rows", max=MAX_ROWS)
    headers = [h.strip() for h in rows[0]]
    return headers, rows[1:]


def guess_mapping(headers: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for header in headers:
        plain = _plain(header)
        target = next((t for t, words in _GUESS.items() if any(w in plain for w in words)
                       and t not in mapping.values()), "ignore")
        mapping[header] = target
    return mapping


def _value(text: str) -> int | None:
    cleaned = text.replace("R$", "").replace(" ", "").strip()
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    cents = round(float(cleaned) * 100)  # ValueError: the caller reports the row
    if not 0 <= cents <= VALUE_MAX_CENTS:
        raise ValueError(text)
    return cents


@dataclass
class _Row:
    line: int
    fields: dict[str, str]
    value_cents: int | None
    digits: str


def _check(headers: list[str], rows: list[list[str]], mapping: dict[str, str]
           ) -> tuple[list[_Row], list[RowProblem]]:
    if set(mapping) != set(headers) or any(t not in TARGETS for t in mapping.values()):
        raise InvalidInput("import_bad_mapping")
    chosen = [t for t in mapping.values() if t != "ignore"]
    if len(chosen) != len(set(chosen)):
        raise InvalidInput("import_mapping_twice")
    if "name" not in chosen or "phone" not in chosen:
        raise InvalidInput("import_needs_name_and_phone")
    column_of = {t: h for h, t in mapping.items()}
    good, problems = [], []
    for offset, raw in enumerate(rows):
        line = offset + 2
        cells = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(headers)}
        fields = {t: " ".join(cells[h].split()) for h, t in mapping.items()
                  if t not in ("ignore", "value")}
        found = []
        if not fields.get("name"):
            found.append(RowProblem(line, column_of["name"], "missing_name"))
        digits = re.sub(r"\D", "", fields.get("phone", ""))
        if len(digits) in (10, 11):
            digits = "55" + digits  # a Brazilian number typed without the country code
        if not 12 <= len(digits) <= 15:
            found.append(RowProblem(line, column_of["phone"], "bad_phone"))
        if fields.get("email") and not _EMAIL.match(fields["email"]):
            found.append(RowProblem(line, column_of["email"], "bad_email"))
        for name, text in fields.items():
            if len(text) > FIELD_MAX:
                found.append(RowProblem(line, column_of[name], "too_long"))
        cents = None
        if "value" in column_of:
            try:
                cents = _value(cells[column_of["value"]])
            except ValueError:
                found.append(RowProblem(line, column_of["value"], "bad_value"))
        problems += found
        if not found:
            good.append(_Row(line, {k: v for k, v in fields.items() if v}, cents, digits))
    return good, problems


def _channel(session: Session, org_id: uuid.UUID, channel_id: RecordId) -> Channel:
    channel = session.exec(select(Channel).where(Channel.id == parse_id(channel_id),
                                                 Channel.organization_id == org_id)).first()
    if channel is None:
        raise NotFound()
    return channel


def _existing(session: Session, org_id: uuid.UUID, channel: Channel,
              rows: list[_Row]) -> dict[int, Contact]:
    """Row line -> the contact it duplicates (same phone on the channel, or same e-mail)."""
    phones = {r.digits for r in rows}
    emails = {r.fields["email"].lower() for r in rows if r.fields.get("email")}
    by_phone = {c.external_id: c for c in session.exec(select(Contact).where(
        Contact.channel_id == channel.id, col(Contact.external_id).in_(phones))).all()}
    by_email = {(c.email or "").lower(): c for c in session.exec(select(Contact).where(
        Contact.organization_id == org_id, func.lower(Contact.email).in_(emails))).all()
    } if emails else {}
    found = {}
    for row in rows:
        contact = by_phone.get(row.digits) or by_email.get(row.fields.get("email", "").lower())
        if contact is not None:
            found[row.line] = contact
    return found


def preview(session: Session, actor: Actor, data: bytes, channel_id: RecordId,
            mapping: dict[str, str] | None = None) -> Preview:
    """What the import would do, row by row, without writing anything."""
    actor.require(Permission.CRM_MANAGE)
    org_id = actor.require_org()
    channel = _channel(session, org_id, channel_id)
    headers, rows = read(data)
    mapping = mapping or guess_mapping(headers)
    good, problems = _check(headers, rows, mapping)
    return Preview(headers=headers, mapping=mapping, sample=rows[:PREVIEW_ROWS], rows=len(rows),
                   duplicates=len(_existing(session, org_id, channel, good)), problems=problems)


def run(session: Session, actor: Actor, data: bytes, channel_id: RecordId,
        mapping: dict[str, str], duplicates: str) -> Imported:
    """Write the import, all or nothing; ``duplicates`` says what to do with rows matching a
    contact: "skip" them or "update" their lead's fields and value."""
    actor.require(Permission.CRM_MANAGE)
    org_id = actor.require_org()
    if duplicates not in POLICIES:
        raise InvalidInput("import_choose_duplicates")
    channel = _channel(session, org_id, channel_id)
    headers, rows = read(data)
    good, problems = _check(headers, rows, mapping)
    if problems:
        raise InvalidInput("import_has_errors", count=len(problems))
    existing = _existing(session, org_id, channel, good)
    pipeline = defaults.default_pipeline(session, org_id)
    stage = defaults.first_stage(session, pipeline)
    position = positions.at_end(session, org_id, stage.id)
    created, updated, skipped, pending = 0, 0, 0, []
    for row in good:
        contact = existing.get(row.line)
        if contact is not None:
            if duplicates == "skip":
                skipped += 1
                continue
            lead = session.exec(select(Lead).where(Lead.contact_id == contact.id)).first()
        else:
            contact = Contact(organization_id=org_id, channel_id=channel.id,
                              external_id=row.digits, phone=f"+{row.digits}",
                              name=row.fields["name"], email=row.fields.get("email"))
            session.add(contact)
            session.flush()
            lead = None
        if lead is None:
            lead = Lead(organization_id=org_id, contact_id=contact.id, pipeline_id=pipeline.id,
                        stage_id=stage.id, source=LeadSource.IMPORT, position=position,
                        fields=row.fields, value_cents=row.value_cents)
            position += 1.0
            session.add(lead)
            session.flush()
            timeline(session, lead, "created", actor, source=LeadSource.IMPORT)
            pending.append(lead)
            created += 1
        else:
            lead.fields = {**(lead.fields or {}), **row.fields}
            lead.value_cents = row.value_cents if row.value_cents is not None else lead.value_cents
            session.add(lead)
            timeline(session, lead, "field", actor, field="import")
            updated += 1
    audit.record(session, actor, "lead.imported", details={
        "created": created, "updated": updated, "skipped": skipped, "rows": len(rows)})
    session.commit()
    emit_all([lead_event(session, events.LeadCreated, lead, actor.user_id,
                         source=LeadSource.IMPORT) for lead in pending])
    return Imported(created=created, updated=updated, skipped=skipped)
