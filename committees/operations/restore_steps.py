"""The steps of a restore, each on the open transaction or the staged files.

Kept apart from ``backup.py`` so that each step reads on its own; only
``backup.restore_backup`` calls them, in order.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import Column, Connection, Table, bindparam, func, literal, select, text

from committees.operations.archive import ArchiveError, Manifest, copy_hashed, table_member
from committees.operations.rows import RowError, decode_row

_BATCH = 1000


def tables_with_rows(conn: Connection, tables: list[Table]) -> list[str]:
    """Names of the tables that hold at least one row."""
    return [
        table.name
        for table in tables
        if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None
    ]


def empty_tables(conn: Connection, tables: list[Table]) -> None:
    """Delete every row, dependents first."""
    for table in reversed(tables):
        conn.execute(table.delete())


def _self_references(table: Table) -> list[Column]:
    # A row may point at a later row of its own table (a session postponed to a newer
    # one): such columns are inserted empty and filled once every row is in.
    return [
        fk.parent for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable
    ]


def _updated_columns(table: Table, deferred: list[Column]) -> list[Column]:
    # The columns the second pass sets: the deferred ones, and those with an ``onupdate``
    # (updated_at) set back to their archived value rather than to the time of restore.
    stamps = [column for column in table.columns if column.onupdate is not None]
    return [*deferred, *(column for column in stamps if column not in deferred)]


def _lines(archive: zipfile.ZipFile, table: Table, limit: int) -> Iterator[str]:
    """The dump's lines, read one at a time from the member's stream, none longer than
    ``limit`` bytes (verified before; checked again here, never read whole)."""
    name = table_member(table.name)
    with archive.open(name) as raw:
        while line := raw.readline(limit + 2):
            if len(line.rstrip(b"\n")) > limit:
                raise ArchiveError(f"{name}: a line longer than {limit} bytes.")
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RowError(f"{name}: not UTF-8 ({exc})") from None


def insert_rows(
    conn: Connection, table: Table, archive: zipfile.ZipFile, expected: int, line_limit: int
) -> None:
    """Insert the rows of ``table`` from its dump; the count must be the manifest's."""
    lines = _lines(archive, table, line_limit)
    count = insert_row_dicts(conn, table, (decode_row(table, line) for line in lines))
    if count != expected:
        raise RowError(f"table {table.name}: {count} rows, the manifest says {expected}")


def insert_row_dicts(conn: Connection, table: Table, rows: Iterable[dict]) -> int:
    """Insert ``rows`` (every column by key, ids included) into ``table``, ``_BATCH`` at a
    time, leaving the dicts as they are; a column pointing at a row of the same table, and
    an ``onupdate`` stamp, are set in a second pass. Returns how many rows."""
    deferred = _self_references(table)
    updated = _updated_columns(table, deferred)
    keyed = [*table.primary_key.columns, *updated]
    batch: list[dict] = []
    updates: list[dict] = []
    count = 0
    for row in rows:
        count += 1
        if any(row[column.key] is not None for column in deferred):
            updates.append({f"_{column.key}": row[column.key] for column in keyed})
            row = {**row, **{column.key: None for column in deferred}}
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
    if updates:
        conn.execute(_deferred_update(table, updated), updates)
    return count


def _deferred_update(table: Table, updated: list[Column]):
    where = [column == bindparam(f"_{column.key}") for column in table.primary_key.columns]
    values = {column.key: bindparam(f"_{column.key}") for column in updated}
    return table.update().where(*where).values(values)


def reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """On PostgreSQL, move each id sequence past the restored ids (rows came with their ids)."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's rowid follows max(id) by itself
    quote = conn.dialect.identifier_preparer
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = conn.execute(
            select(func.pg_get_serial_sequence(quote.format_table(table), column.name))
        ).scalar()
        if sequence is None:
            continue
        top = conn.execute(select(func.max(column))).scalar()
        conn.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": top or 1, "called": top is not None},
        )


def stage_files(
    archive: zipfile.ZipFile, manifest: Manifest, staging: Path
) -> list[tuple[Path, str]]:
    """Extract every stored file into ``staging``, checking its SHA-256 again on the way.

    Returns (staged path, path under the upload folder) pairs.
    """
    staged = []
    for name, digest in manifest.files.items():
        target = staging / digest
        with archive.open(name) as source, target.open("wb") as handle:
            actual = copy_hashed(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        if actual != digest:
            raise ArchiveError(f"{name}: SHA-256 mismatch; the archive was altered or damaged.")
        staged.append((target, name.removeprefix("files/")))
    return staged


def install_files(
    staged: list[tuple[Path, str]],
    root: Path,
    installed: list[Path],
    advance: Callable[[str], None],
) -> None:
    """Move the staged files into the store; ``installed`` collects those that were new.

    A file already in the store is left alone: a file's name is its content's SHA-256.
    """
    for source, relative in staged:
        target = root / relative
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            installed.append(target)
        advance(relative)
