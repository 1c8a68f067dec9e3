"""The demo data seeded once per test session, then copied into each test that asks for it.

Seeding the demo runs the application's services (a few seconds: the ORM, PDF packs);
dozens of tests need the very same rows. The first test that asks seeds them for real
and keeps a copy of every table's rows and of the upload folder; a later test gets them
back by plain inserts, ids included (PostgreSQL's sequences moved past them, as a
restore does), when its tables are still empty. A test that wrote rows before asking
gets the real seed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import Table, bindparam

from committees.extensions import db
from committees.operations.restore_steps import reset_sequences, tables_with_rows
from committees.publication import http as kept_pages


@dataclass
class _Copy:
    rows: dict[str, list[dict]]
    files: Path | None


_copies: dict[tuple, _Copy] = {}


def seeded(key: str, seed: Callable[[], None]) -> None:
    """Run ``seed`` (which commits) once per database for ``key``; afterwards, copy what
    it left into the empty tables of the current test."""
    tables = db.metadata.sorted_tables
    full_key = (key, str(db.engine.url))
    copy = _copies.get(full_key)
    with db.engine.connect() as conn:
        empty = not tables_with_rows(conn, tables)
    if copy is not None and empty:
        _put_back(copy, tables)
        return
    seed()
    if empty:
        _copies[full_key] = _take(tables)


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _take(tables: list[Table]) -> _Copy:
    with db.engine.connect() as conn:
        rows = {
            table.name: [
                {column.key: row._mapping[column] for column in table.columns}
                for row in conn.execute(table.select())
            ]
            for table in tables
        }
    files = None
    if _upload_folder().exists():
        files = Path(tempfile.mkdtemp(prefix="demo-files-"))
        shutil.copytree(_upload_folder(), files, dirs_exist_ok=True)
    return _Copy(rows, files)


def _self_references(table: Table) -> list:
    return [fk.parent for fk in table.foreign_keys if fk.column.table is table]


def _put_back(copy: _Copy, tables: list[Table]) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in tables:
            rows = copy.rows[table.name]
            if not rows:
                continue
            # A row may point at a later row of its own table: inserted empty, filled after.
            later = _self_references(table)
            if later:
                first = [{**row, **{column.key: None for column in later}} for row in rows]
                conn.execute(table.insert(), first)
                keys = [*table.primary_key.columns, *later]
                # Every column set again, so that no ``onupdate`` stamp moves.
                values = {column.key: bindparam(f"_{column.key}") for column in table.columns}
                where = [column == bindparam(f"__{column.key}") for column in keys[:1]]
                pointing = [row for row in rows if any(row[c.key] is not None for c in later)]
                if pointing:
                    conn.execute(
                        table.update().where(*where).values(values),
                        [
                            {
                                **{f"_{key}": value for key, value in row.items()},
                                **{f"__{c.key}": row[c.key] for c in keys[:1]},
                            }
                            for row in pointing
                        ],
                    )
            else:
                conn.execute(table.insert(), rows)
        reset_sequences(conn, tables)
    if copy.files is not None:
        shutil.copytree(copy.files, _upload_folder(), dirs_exist_ok=True)
    # Rows came behind the ORM's back: nothing this worker kept may stand for them.
    kept_pages.forget_local()
