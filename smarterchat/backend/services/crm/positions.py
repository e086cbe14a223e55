"""Board order: a fractional ``position`` per lead, so a move writes one row.

A card dropped between two others takes the midpoint of their positions; when the gap
grows too small for a float to split, the column is renumbered once (rare: after
about forty drops on the same spot).
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, func, select

from smarterchat.backend.models import Lead

MIN_GAP = 1e-6


def _column(org_id: uuid.UUID, stage_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return (col(Lead.organization_id) == org_id, col(Lead.stage_id) == stage_id,
            col(Lead.merged_into_id).is_(None))


def at_end(session: Session, org_id: uuid.UUID, stage_id: uuid.UUID) -> float:
    last = session.exec(select(func.max(Lead.position)).where(*_column(org_id, stage_id))).one()
    return float(last or 0.0) + 1.0


def at_top(session: Session, org_id: uuid.UUID, stage_id: uuid.UUID) -> float:
    first = session.exec(select(func.min(Lead.position)).where(*_column(org_id, stage_id))).one()
    return float(first or 0.0) - 1.0


def before(session: Session, org_id: uuid.UUID, stage_id: uuid.UUID, anchor: Lead,
           moving: uuid.UUID) -> float:
    """A position just above ``anchor`` (a lead of that column), between it and the one
    above it."""
    above = session.exec(select(func.max(Lead.position)).where(
        *_column(org_id, stage_id), col(Lead.position) < anchor.position,
        col(Lead.id) != moving)).one()
    if above is None:
        return anchor.position - 1.0
    if anchor.position - above < MIN_GAP:
        renumber(session, org_id, stage_id)
        session.refresh(anchor)
        return before(session, org_id, stage_id, anchor, moving)
    return (float(above) + anchor.position) / 2


def renumber(session: Session, org_id: uuid.UUID, stage_id: uuid.UUID) -> None:
    rows = session.exec(select(Lead).where(*_column(org_id, stage_id))
                        .order_by(col(Lead.position), col(Lead.id))).all()
    for index, lead in enumerate(rows):
        lead.position = float(index + 1)
        session.add(lead)
    session.flush()
