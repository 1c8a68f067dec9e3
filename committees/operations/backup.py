"""Backup and restore of the whole installation: the database and the upload folder.

``create_backup`` reads every table of the models' metadata in one read-only
transaction (a REPEATABLE READ snapshot on PostgreSQL, one read transaction on SQLite),
so the archive is a consistent copy taken through the application, never a copy of a
live database file, sealed with an HMAC-SHA-256 of its manifest (``seal.py``).
``restore_backup`` checks the seal first, then verifies the whole archive before it writes,
then inserts every row in one transaction and installs the files only if that
transaction commits: a failure leaves the database and the upload folder as they were.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.exc import SQLAlchemyError

from committees.calendars import stamps as calendar_stamps
from committees.extensions import db
from committees.operations import restore_steps
from committees.operations.archive import (
    MANIFEST,
    ArchiveError,
    HashingWriter,
    Limits,
    Manifest,
    check_layout,
    copy_hashed,
    file_member,
    member_info,
    open_archive,
    stored_files,
    table_member,
    verify_members,
)
from committees.operations.rows import RowError, encode_row
from committees.operations.seal import SEAL, BackupKey, SealError, backup_key, seal
from committees.publication import revision as publication_revision

_BATCH = 1000


class BackupError(RuntimeError):
    """Backup or restore refused or failed; the message says why, for the operator."""


class Progress(Protocol):
    """Where the services report how far they are (the CLI draws a bar or prints lines)."""

    def start(self, phase: str, total: int) -> None: ...

    def advance(self, item: str) -> None: ...

    def finish(self) -> None: ...


class _Silent:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, item: str) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds (returned by create and restore)."""

    path: Path
    revision: str
    rows: int
    tables: int
    files: int
    #: the key that sealed (or authenticated) it: where it comes from, and its fingerprint
    key: str = ""


def _tables() -> list[Table]:
    # Derived tables (info["derived"]: calendar pieces, which may hold what only members
    # see) are never exported; a restore empties them instead.
    return [table for table in db.metadata.sorted_tables if not table.info.get("derived")]


def _derived_tables() -> list[Table]:
    return [table for table in db.metadata.sorted_tables if table.info.get("derived")]


@contextmanager
def _transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction on ``engine``; read-only snapshot unless ``write``.

    pysqlite opens a transaction only before a write, so successive SELECTs would each
    see the latest data: on SQLite the transaction is opened by hand (BEGIN IMMEDIATE
    for a restore, so that no other writer slips in between the checks and the inserts).
    """
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            if not write:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
            return
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


def database_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None if it was never migrated)."""
    try:
        return MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:  # several heads: the operator must sort the migrations out first
        raise BackupError(f"Cannot read the database's Alembic revision: {exc}") from None


def _dump_table(conn: Connection, table: Table, archive: zipfile.ZipFile) -> tuple[str, int]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
    count = 0
    with archive.open(member_info(table_member(table.name)), "w", force_zip64=True) as handle:
        writer = HashingWriter(handle)
        for row in result.mappings():
            writer.write(encode_row(table, row).encode("utf-8") + b"\n")
            count += 1
    return writer.digest.hexdigest(), count


def _add_file(archive: zipfile.ZipFile, root: Path, relative: str) -> str:
    with (
        (root / relative).open("rb") as source,
        archive.open(member_info(file_member(relative)), "w", force_zip64=True) as target,
    ):
        return copy_hashed(source, target)


def _write_archive(archive: zipfile.ZipFile, progress: Progress) -> Manifest:
    tables, members, counts = _tables(), {}, {}
    root = Path(current_app.config["UPLOAD_FOLDER"])
    with _transaction(db.engine, write=False) as conn:
        revision = database_revision(conn)
        if revision is None:
            raise BackupError("The database has no Alembic revision: run `flask db upgrade` first.")
        created_at = datetime.now(UTC).isoformat()
        # Listed inside the transaction: a file of a row in the snapshot is already there
        # (files are written before their row commits).
        files = stored_files(root)
        progress.start("backup", len(tables) + len(files))
        for table in tables:
            digest, counts[table.name] = _dump_table(conn, table, archive)
            members[table_member(table.name)] = digest
            progress.advance(table.name)
    for relative in files:
        # Removed since the listing: only a failed upload's cleanup removes a file, and
        # only one that no committed row names.
        with suppress(FileNotFoundError):
            members[file_member(relative)] = _add_file(archive, root, relative)
        progress.advance(relative)
    progress.finish()
    return Manifest(revision, db.engine.dialect.name, created_at, counts, members)


def create_backup(path: Path, progress: Progress | None = None) -> BackupSummary:
    """Write one archive of the whole database and upload folder to ``path``.

    The archive is written beside ``path`` under a temporary name and renamed at the
    end, so ``path`` is either a complete archive or untouched.
    """
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the name of the archive to write.")
    key = _key()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            manifest = _write_archive(zf, progress or _Silent())
            content = manifest.to_json()
            zf.writestr(member_info(MANIFEST), content)
            zf.writestr(member_info(SEAL), seal(content, key))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return _summary(path, manifest, key)


def _key() -> BackupKey:
    try:
        return backup_key(current_app.config)
    except SealError as exc:
        raise BackupError(str(exc)) from None


def _summary(path: Path, manifest: Manifest, key: BackupKey) -> BackupSummary:
    return BackupSummary(
        path=path,
        revision=manifest.revision,
        rows=sum(manifest.tables.values()),
        tables=len(manifest.tables),
        files=len(manifest.files),
        key=f"{key.source}, fingerprint {key.fingerprint}",
    )


def _verify(archive: zipfile.ZipFile, manifest: Manifest, progress: Progress) -> None:
    check_layout(archive, manifest, [table.name for table in _tables()])
    progress.start("verify", len(manifest.members))
    for name in verify_members(archive, manifest, Limits.from_config(current_app.config)):
        progress.advance(name)
    progress.finish()


def restore_backup(
    path: Path, *, force: bool = False, progress: Progress | None = None
) -> BackupSummary:
    """Load an archive made by ``create_backup`` into this (migrated, empty) installation.

    Refuses a database holding rows unless ``force`` (then every table is emptied first,
    in the same transaction), and an archive made at another Alembic revision. Every
    SHA-256 of the manifest is checked before anything is written; rows go in within
    one transaction, files are staged in a temporary folder and moved into the upload
    folder just before that transaction commits (and removed again if it does not).

    Before anything else the seal (HMAC-SHA-256 of the manifest under the backup key) is
    checked; then each member's size and, in table dumps, each line's length against the
    ``BACKUP_MAX_*`` settings, reading every member as a stream. Any refusal says why and
    leaves the database and the upload folder untouched.
    """
    progress = progress or _Silent()
    key = _key()
    try:
        archive, manifest = open_archive(Path(path), key)
        with archive:
            _verify(archive, manifest, progress)
            _restore(archive, manifest, force=force, progress=progress)
    except (ArchiveError, RowError) as exc:
        raise BackupError(str(exc)) from None
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        message = f"The database refused the restore; nothing was written: {reason}"
        raise BackupError(message) from None
    return _summary(Path(path), manifest, key)


def _restore(
    archive: zipfile.ZipFile, manifest: Manifest, *, force: bool, progress: Progress
) -> None:
    root = Path(current_app.config["UPLOAD_FOLDER"])
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".restore-") as staging:
        staged = restore_steps.stage_files(archive, manifest, Path(staging))
        installed: list[Path] = []
        try:
            with _transaction(db.engine, write=True) as conn:
                _check_target(conn, manifest, force=force)
                restore_steps.empty_tables(conn, _derived_tables())
                progress.start("restore", len(manifest.tables) + len(staged))
                line_limit = current_app.config["BACKUP_MAX_LINE_BYTES"]
                for table in _tables():
                    expected = manifest.tables[table.name]
                    restore_steps.insert_rows(conn, table, archive, expected, line_limit)
                    progress.advance(table.name)
                restore_steps.reset_sequences(conn, _tables())
                # The rows came in under the archive's revisions, which some worker may
                # have kept pages or feeds under: move both past anything ever seen.
                publication_revision.bump(conn)
                calendar_stamps.bump_revision(conn)
                restore_steps.install_files(staged, root, installed, progress.advance)
            progress.finish()
        except BaseException:
            for target in installed:
                target.unlink(missing_ok=True)
            raise


def _check_target(conn: Connection, manifest: Manifest, *, force: bool) -> None:
    revision = database_revision(conn)
    if revision != manifest.revision:
        raise BackupError(
            f"The archive was made at Alembic revision {manifest.revision}, the database is at "
            f"{revision or 'none'}: run `flask db upgrade` (or restore with the matching version "
            "of the application)."
        )
    filled = restore_steps.tables_with_rows(conn, _tables())
    if filled and not force:
        raise BackupError(
            f"The database is not empty ({', '.join(filled[:5])}"
            f"{'…' if len(filled) > 5 else ''} hold rows): restore only into an empty "
            "database, or pass --force to replace its content."
        )
    if filled:
        restore_steps.empty_tables(conn, _tables())
