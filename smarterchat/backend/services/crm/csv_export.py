"""CSV export of the filtered board: UTF-8 with a BOM so Excel in pt-BR opens it with
accents intact, comma or semicolon separated (Excel in pt-BR expects ";"), values in
reais, and cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from sqlmodel import Session, col, select

from smarterchat.backend.models import Channel, Contact, Lead, PipelineStage, User
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm.access import scope
from smarterchat.backend.services.crm.board import BoardFilters, _filters, _pipeline, _stages
from smarterchat.backend.services.errors import InvalidInput
from smarterchat.i18n import translate

EXPORT_MAX = 50_000
COLUMNS = ("name", "phone", "email", "company", "stage", "temperature", "value", "owner",
           "channel", "created_at", "last_activity_at")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _money(cents: int | None, separator: str) -> str:
    if cents is None:
        return ""
    whole, frac = divmod(cents, 100)
    return f"{whole},{frac:02d}" if separator == ";" else f"{whole}.{frac:02d}"


def export_csv(session: Session, actor: Actor, filters: BoardFilters, *, separator: str = ",",
               locale: str | None = None) -> bytes:
    """Every lead of the board the actor sees with ``filters``, as CSV bytes."""
    if separator not in (",", ";"):
        raise InvalidInput("invalid_separator")
    org_id, visible = scope(session, actor)
    pipeline = _pipeline(session, org_id, filters.pipeline_id)
    stages = _stages(session, pipeline.id)
    rows = session.exec(
        select(Lead, Contact, Channel.kind, User.name)
        .join(Contact, col(Contact.id) == Lead.contact_id)
        .join(Channel, col(Channel.id) == Contact.channel_id)
        .join(PipelineStage, col(PipelineStage.id) == Lead.stage_id)
        .outerjoin(User, col(User.id) == Lead.owner_id)
        .where(sa.and_(visible, col(Lead.pipeline_id) == pipeline.id,
                       *_filters(actor, filters, stages)))
        .order_by(col(PipelineStage.position), col(Lead.position)).limit(EXPORT_MAX)).all()
    names = {s.id: s.name for s in stages}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow([translate(f"crm.csv.{c}", locale) for c in COLUMNS])
    for lead, contact, kind, owner in rows:
        fields = lead.fields or {}
        writer.writerow([_cell(v) for v in (
            fields.get("name") or contact.name, contact.phone or contact.external_id,
            fields.get("email") or contact.email, fields.get("company"), names[lead.stage_id],
            translate(f"temperature.{lead.temperature}", locale),
            _money(lead.value_cents, separator), owner, kind,
            lead.created_at.isoformat(timespec="seconds"),
            lead.last_activity_at.isoformat(timespec="seconds"))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
