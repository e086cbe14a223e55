"""Cursor pagination, newest first, stable while rows are inserted.

A page ends at the row named by ``starting_after``: the next page holds the rows created
before it (ties broken by id), so rows created meanwhile land before the cursor and
never shift what comes after it: no gaps, no repeats, unlike an offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import and_, or_
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from smarterchat.backend.services.errors import NotFound, RecordId, parse_id

RowT = TypeVar("RowT", bound=SQLModel)


@dataclass(frozen=True)
class Cursor:
    limit: int = 20
    starting_after: RecordId | None = None


@dataclass(frozen=True)
class Slice:
    rows: list[Any]
    has_more: bool


def page(session: Session, query: SelectOfScalar[RowT], model: type[Any], cursor: Cursor) -> Slice:
    """One page of ``query`` (already scoped to the organisation) over ``model``'s
    ``created_at`` and ``id``. A cursor that is not a row of the same query is refused."""
    created, ident = col(model.created_at), col(model.id)
    if cursor.starting_after:
        anchor: Any = session.exec(query.where(ident == parse_id(cursor.starting_after))).first()
        if anchor is None:  # not an item of this list (another organisation's, or none)
            raise NotFound("invalid_cursor", field="starting_after")
        query = query.where(or_(created < anchor.created_at,
                                and_(created == anchor.created_at, ident < anchor.id)))
    limit = max(1, min(cursor.limit, 100))
    rows = list(session.exec(query.order_by(created.desc(), ident.desc()).limit(limit + 1)).all())
    return Slice(rows=rows[:limit], has_more=len(rows) > limit)


def select_owned(model: type[RowT], organization_id: Any) -> SelectOfScalar[RowT]:
    return select(model).where(col(model.organization_id) == organization_id)  # type: ignore[attr-defined]
