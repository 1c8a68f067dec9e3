"""The calendar revision as a feed request reads it: one primary-key lookup, on its own.

Calendar clients revalidate all day long, and a revalidation answered from remembered
validators must cost next to nothing: the read is made on the worker thread's own
autocommit connection, outside the ORM (committees.common.revisions). What it reads is
committed state, hence exact at that instant whatever the other workers did.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from committees.calendars.models import CalendarRevision
from committees.common.revisions import RowReader

#: what a database whose revision row does not exist yet reads as
NEVER: tuple[Any, Any] = (0, None)

_reader = RowReader(
    select(CalendarRevision.counter, CalendarRevision.changed_at).where(CalendarRevision.id == 1),
    NEVER,
)


def current() -> tuple[Any, Any]:
    """The committed calendar revision: (counter, when it last moved), as the driver
    gives them (compared, never interpreted)."""
    return _reader.read()


def reads() -> int:
    """How many revision reads this thread has made (tests and benchmarks count them)."""
    return _reader.reads()
