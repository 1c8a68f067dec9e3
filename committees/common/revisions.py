"""Revision rows: one row counting the changes a worker's memory depends on, bumped in
the same transaction as each change, and read on its own at next to no cost.

The revisions that say whether a worker's memory still holds (the calendar revision,
the publication revision) are read on every request they serve, so the read must cost
no more than it has to: each worker thread keeps a database connection of its own,
outside the ORM's pool, in autocommit mode, with its cursor, and runs the one SELECT on
it (no pool checkout, no BEGIN/ROLLBACK, no ORM). What it reads is committed state,
hence exact at that instant whatever the other workers did. A failing connection (a
restarted server) is dropped and the read is made through the pool instead; the next
read opens a new one. These reads go through the DB-API directly, so SQLAlchemy's
statement events do not see them: ``reads`` counts them for tests and benchmarks.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from sqlalchemy import Connection, Engine, Select, Table
from sqlalchemy.dialects import postgresql, sqlite

from committees.common.timeutils import utcnow
from committees.extensions import db

_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def bump_row(connection: Connection, table: Table) -> None:
    """Raise the counter of revision ``table``'s one row (creating it at 1) and note when,
    on ``connection``, in its transaction."""
    insert = _UPSERTS[connection.dialect.name](table)
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={"counter": table.c.counter + 1, "changed_at": insert.excluded.changed_at},
    )
    connection.execute(statement, {"id": 1, "counter": 1, "changed_at": utcnow()})


class _Connection(threading.local):
    """This thread's own connection: for one engine, in one process (never inherited
    by a forked worker)."""

    pid: int | None = None
    engine: Engine | None = None
    connection: Any = None
    cursor: Any = None
    sql: dict[int, str]

    def __init__(self) -> None:
        self.sql = {}


_local = _Connection()


class RowReader:
    """Reads the one row of ``statement`` (literal values only) on the thread's own
    connection; ``missing`` when there is no such row."""

    def __init__(self, statement: Select, missing: tuple[Any, ...]):
        self.statement = statement
        self.missing = missing
        self._reads = threading.local()

    def read(self) -> tuple[Any, ...]:
        """The row, as the driver gives it (compare it, never interpret it)."""
        engine = db.engine
        self._reads.count = self.reads() + 1
        try:
            cursor = _cursor(engine)
            cursor.execute(self._sql(engine))
            row = cursor.fetchone()
        except engine.dialect.loaded_dbapi.Error:
            _drop()
            with engine.connect() as connection:
                row = connection.execute(self.statement).first()
        return tuple(row) if row is not None else self.missing

    def reads(self) -> int:
        """How many reads this thread has made (tests and benchmarks count them)."""
        return getattr(self._reads, "count", 0)

    def _sql(self, engine: Engine) -> str:
        sql = _local.sql.get(id(self))
        if sql is None:
            compiled = self.statement.compile(engine, compile_kwargs={"literal_binds": True})
            sql = _local.sql[id(self)] = str(compiled)
        return sql


def _cursor(engine: Engine):
    if _local.cursor is None or _local.engine is not engine or _local.pid != os.getpid():
        _drop()
        # Detached: the pool neither counts it nor hands it to anyone else.
        pooled = engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()
        _autocommit(connection, engine.dialect.name)
        _local.connection, _local.cursor = pooled, connection.cursor()
        _local.engine, _local.pid = engine, os.getpid()
        _local.sql = {}
    return _local.cursor


def _autocommit(connection, dialect: str) -> None:
    if dialect == "sqlite":
        connection.isolation_level = None
    else:
        connection.autocommit = True


def _drop() -> None:
    """Forget this thread's connection, closing it if it is this process's own."""
    pooled, pid = _local.connection, _local.pid
    _local.connection = _local.cursor = _local.engine = _local.pid = None
    if pooled is not None and pid == os.getpid():
        # Already broken, perhaps: invalidated, it is closed without the rollback a close
        # would try first (and log with its traceback when the server is gone).
        with contextlib.suppress(Exception):
            pooled.invalidate()
