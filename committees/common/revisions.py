"""Revision rows: one row counting the changes a worker's memory depends on, bumped in
the same transaction as each change, and read on its own at next to no cost.

The revisions that say whether a worker's memory still holds (the calendar revision,
the publication revision) are read on every request they serve, so the read must cost
no more than it has to: each worker process keeps database connections of its own,
outside the ORM's pool, in autocommit mode, with their cursors (one per thread reading
at the same instant, handed from a list under a lock), and runs the one SELECT on one
(no pool checkout, no BEGIN/ROLLBACK, no ORM). What it reads is committed state, hence
exact at that instant whatever the other workers did. A failing connection (a restarted
server) is dropped and the read is made through the pool instead; the next read opens
a new one. These reads go through the DB-API directly, so SQLAlchemy's
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


class _Reader:
    """A detached connection of this process to one engine, with its cursor."""

    def __init__(self, engine: Engine):
        # Detached: the pool neither counts it nor hands it to anyone else.
        pooled = engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()
        _autocommit(connection, engine.dialect.name)
        self.engine, self.pid = engine, os.getpid()
        self.pooled, self.cursor = pooled, connection.cursor()

    def close(self) -> None:
        # Already broken, perhaps: invalidated, it is closed without the rollback a close
        # would try first (and log with its traceback when the server is gone).
        with contextlib.suppress(Exception):
            self.pooled.invalidate()


class _Idle:
    """The readers not in use: as many as threads ever read at once, kept across
    requests, whether a worker has one thread or a new one per request (the development
    server), so that a read never opens a connection once warm."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readers: list[_Reader] = []

    def take(self, engine: Engine) -> _Reader:
        with self.lock:
            while self.readers:
                reader = self.readers.pop()
                if reader.engine is engine and reader.pid == os.getpid():
                    return reader
                if reader.pid == os.getpid():
                    reader.close()
                # Another process's (a forked worker inherited it): never touched.
        return _Reader(engine)

    def give_back(self, reader: _Reader) -> None:
        with self.lock:
            self.readers.append(reader)


_idle = _Idle()


class RowReader:
    """Reads the one row of ``statement`` (literal values only) on a connection of its
    own; ``missing`` when there is no such row."""

    def __init__(self, statement: Select, missing: tuple[Any, ...]):
        self.statement = statement
        self.missing = missing
        self._reads = threading.local()
        #: the statement's SQL, literal values written in, per dialect
        self._sql_of: dict[str, str] = {}

    def read(self) -> tuple[Any, ...]:
        """The row, as the driver gives it (compare it, never interpret it)."""
        engine = db.engine
        self._reads.count = self.reads() + 1
        reader = None
        try:
            reader = _idle.take(engine)
            reader.cursor.execute(self._sql(engine))
            # Read to the end: SQLite keeps a statement's read snapshot until it is done.
            rows = reader.cursor.fetchall()
            row = rows[0] if rows else None
        except engine.dialect.loaded_dbapi.Error:
            if reader is not None:
                reader.close()
            with engine.connect() as connection:
                row = connection.execute(self.statement).first()
        else:
            _idle.give_back(reader)
        return tuple(row) if row is not None else self.missing

    def reads(self) -> int:
        """How many reads this thread has made (tests and benchmarks count them)."""
        return getattr(self._reads, "count", 0)

    def read_on(self, connection: Connection) -> tuple[Any, ...]:
        """The row as ``connection``'s transaction sees it, as the driver gives it (the
        same values as ``read``: compare them with each other)."""
        row = connection.exec_driver_sql(self._sql(connection.engine)).first()
        return tuple(row) if row is not None else self.missing

    def _sql(self, engine: Engine) -> str:
        sql = self._sql_of.get(engine.dialect.name)
        if sql is None:
            compiled = self.statement.compile(engine, compile_kwargs={"literal_binds": True})
            sql = self._sql_of[engine.dialect.name] = str(compiled)
        return sql


def _autocommit(connection, dialect: str) -> None:
    if dialect == "sqlite":
        connection.isolation_level = None
    else:
        connection.autocommit = True
