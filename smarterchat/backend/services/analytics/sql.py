"""SQL pieces the analytics queries share, written once for PostgreSQL and SQLite.

Timestamps are compared and bucketed as Unix seconds: PostgreSQL's ``extract(epoch ...)``
and SQLite's ``julianday`` give the same number, so one query text serves both databases.
Local time is the UTC second plus the zone's offset, chosen per daylight-saving period by a
``CASE`` over the period's edges (SQLite has no time-zone functions), then floor-divided into
hours or days.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from smarterchat.backend.services.analytics.periods import Segment

DAY = 86_400
HOUR = 3_600


class epoch(FunctionElement[float]):  # noqa: N801 - reads as a SQL function
    """Seconds since 1970 of a timestamp column."""

    type = sa.Float()
    inherit_cache = True


@compiles(epoch, "postgresql")
def _epoch_pg(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"extract(epoch from {compiler.process(element.clauses, **kw)})"


@compiles(epoch)
def _epoch_sqlite(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    # julianday's double is exact to about 20 microseconds: round to the millisecond.
    return f"round((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0, 3)"


class floor_div(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """``floor(x / n)`` as an integer (SQLite's CAST truncates; our seconds are positive)."""

    type = sa.BigInteger()
    inherit_cache = True


@compiles(floor_div, "postgresql")
def _floor_div_pg(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    value, divisor = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(floor(({value}) / {divisor}) AS BIGINT)"


@compiles(floor_div)
def _floor_div_sqlite(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    value, divisor = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(({value}) / {divisor} AS INTEGER)"


def local_seconds(seconds: ColumnElement[Any], segments: list[Segment]) -> ColumnElement[Any]:
    """UTC seconds shifted to the organisation's wall clock, daylight saving included."""
    if len(segments) == 1:
        return seconds + segments[0].offset
    whens = [(seconds < nxt.starts, seg.offset) for seg, nxt in pairwise(segments)]
    return seconds + sa.case(*whens, else_=segments[-1].offset)


def bucket(seconds: ColumnElement[Any], segments: list[Segment], size: int) -> ColumnElement[Any]:
    """The local hour (size=HOUR) or day (size=DAY) number since 1970 of a UTC second."""
    return floor_div(local_seconds(seconds, segments), sa.literal(float(size)))


def percentile_ranks(rank: ColumnElement[Any], total: ColumnElement[Any],
                     value: ColumnElement[Any], share: tuple[int, int]) -> ColumnElement[Any]:
    """Nearest-rank percentile (the smallest value with rank >= p * n), in integers:
    ``share`` is p as a fraction (1, 2) for the median, (9, 10) for p90."""
    num, den = share
    return sa.func.min(sa.case((rank * den >= total * num, value)))
