"""The demo data seeded once per test session, then copied into each test that asks for it.

Seeding the demo runs the application's services (a few seconds: the ORM, PDF packs);
dozens of tests need the very same rows. The first test that asks seeds them for real
and keeps a copy of every table's rows and of the upload folder; a later test whose
tables are still empty gets them back as a restore puts rows back
(``operations.restore_steps``: plain inserts, ids included, PostgreSQL's sequences moved
past them). A test that wrote rows before asking gets the real seed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import Table

from committees.extensions import db
from committees.operations.restore_steps import (
    insert_row_dicts,
    reset_sequences,
    tables_with_rows,
)
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


def _put_back(copy: _Copy, tables: list[Table]) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in tables:
            insert_row_dicts(conn, table, copy.rows[table.name])
        reset_sequences(conn, tables)
    if copy.files is not None:
        shutil.copytree(copy.files, _upload_folder(), dirs_exist_ok=True)
    # Rows came behind the ORM's back: nothing this worker kept may stand for them.
    kept_pages.forget_local()
