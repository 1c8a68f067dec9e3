"""The calendar revision as a feed request reads it: one primary-key lookup, on its own.

Calendar clients revalidate all day long, and a revalidation answered from remembered
validators must cost next to nothing: each worker thread keeps a database connection of
its own, outside the ORM's pool, in autocommit mode, with its cursor, and runs the one
SELECT on it (no pool checkout, no BEGIN/ROLLBACK, no ORM). What it reads is committed
state, hence exact at that instant whatever the other workers did. A failing connection
(a restarted server) is dropped and the read is made through the pool instead; the next
request opens a new one. These reads go through the DB-API directly, so SQLAlchemy's
statement events do not see them: ``reads`` counts them for tests and benchmarks.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from sqlalchemy import Engine, select

from committees.calendars.models import CalendarRevision
from committees.extensions import db

_READ = select(CalendarRevision.counter, CalendarRevision.changed_at).where(
    CalendarRevision.id == 1
)

#: what a database whose revision row does not exist yet reads as
NEVER: tuple[Any, Any] = (0, None)


class _Reader(threading.local):
    """This thread's own connection: for one engine, in one process (never inherited
    by a forked worker)."""

    pid: int | None = None
    engine: Engine | None = None
    connection: Any = None
    cursor: Any = None
    sql: str = ""
    reads: int = 0


_reader = _Reader()


def current() -> tuple[Any, Any]:
    """The committed calendar revision: (counter, when it last moved), as the driver
    gives them (compared, never interpreted)."""
    engine = db.engine
    _reader.reads += 1
    try:
        cursor = _cursor(engine)
        cursor.execute(_reader.sql)
        row = cursor.fetchone()
    except engine.dialect.loaded_dbapi.Error:
        _drop()
        with engine.connect() as connection:
            row = connection.execute(_READ).first()
    return tuple(row) if row is not None else NEVER


def reads() -> int:
    """How many revision reads this thread has made (tests and benchmarks count them)."""
    return _reader.reads


def _cursor(engine: Engine):
    if _reader.cursor is None or _reader.engine is not engine or _reader.pid != os.getpid():
        _drop()
        # Detached: the pool neither counts it nor hands it to anyone else.
        pooled = engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()
        _autocommit(connection, engine.dialect.name)
        _reader.connection, _reader.cursor = pooled, connection.cursor()
        _reader.engine, _reader.pid = engine, os.getpid()
        _reader.sql = str(_READ.compile(engine, compile_kwargs={"literal_binds": True}))
    return _reader.cursor


def _autocommit(connection, dialect: str) -> None:
    if dialect == "sqlite":
        connection.isolation_level = None
    else:
        connection.autocommit = True


def _drop() -> None:
    """Forget this thread's connection, closing it if it is this process's own."""
    pooled, pid = _reader.connection, _reader.pid
    _reader.connection = _reader.cursor = _reader.engine = _reader.pid = None
    if pooled is not None and pid == os.getpid():
        # Already broken, perhaps: nothing more is to be done with it either way.
        with contextlib.suppress(Exception):
            pooled.close()
