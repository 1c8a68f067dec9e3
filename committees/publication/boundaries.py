"""The instants at which public pages change with no row changing: time passing.

A call opens and closes at its instants, a session moves from « à venir » to « passées »
when it starts and ends, a written procedure closes at its deadline, and what a page
calls « aujourd'hui » changes at midnight in Paris. Domains name the columns holding
such instants (``watch``); a kept page is served only until the next of them after it
was kept (``next_after``), so it is exact at every instant without a clock-based expiry.
A page whose text moves with the clock in between (« Il reste 5 heures et 2 minutes »)
says until when it holds with ``committees.publication.cache.valid_until``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import InstrumentedAttribute

from committees.common.models import UTCDateTime
from committees.common.timeutils import PARIS
from committees.extensions import db

_columns: list[InstrumentedAttribute] = []


def watch(*columns: InstrumentedAttribute) -> None:
    """Count ``columns`` (UTC instants) among the instants at which public pages change."""
    for column in columns:
        if all(column is not known for known in _columns):
            _columns.append(column)


def next_midnight(now: datetime) -> datetime:
    """The next midnight in Paris after ``now``, as a UTC-aware instant."""
    tomorrow = now.astimezone(PARIS).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=PARIS).astimezone(now.tzinfo)


def next_after(now: datetime) -> datetime:
    """The first instant after ``now`` at which a public page may change by itself: the
    earliest watched instant still to come, or the next midnight in Paris (one query)."""
    midnight = next_midnight(now)
    if not _columns:
        return midnight
    parts = [
        select(func.min(column).label("at")).where(column > now, column < midnight)
        for column in _columns
    ]
    rows = union_all(*parts, select(literal(None).label("at"))).subquery()
    # Typed, so that SQLite's text comes back as an aware instant.
    earliest = db.session.execute(select(func.min(rows.c.at, type_=UTCDateTime()))).scalar()
    if earliest is None:
        return midnight
    return min(earliest, midnight)
