"""Rewriting a backup archive the way an operator (or an attacker) would, for the backup tests."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, update

from committees.extensions import db as _db
from committees.mail.models import OutboxAttachment, OutboxMessage
from committees.meetings.models import Meeting
from committees.operations.seal import backup_key, seal

#: bytes no text encoding round-trips, for the base64 of binary columns
BINARY = bytes(range(256))

#: the members of an archive: name -> bytes
Members = dict[str, bytes]


def rewrite(
    archive: Path,
    target: Path,
    change: Callable[[Members], None],
    *,
    reseal: Flask | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy an archive, letting ``change(members)`` alter the dict of member -> bytes.

    ``reseal``: seal the (changed) manifest again with that application's backup key, as
    someone holding the key would; without it the original seal is kept.
    """
    with zipfile.ZipFile(archive) as source:
        members = {name: source.read(name) for name in source.namelist()}
    change(members)
    if reseal is not None:
        members["manifest.hmac"] = seal(members["manifest.json"], backup_key(reseal.config))
    with zipfile.ZipFile(target, "w", compression) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return target


def seed(application: Flask) -> None:
    """The demo, plus what it lacks: a postponed session pointing at a newer one, binary data."""
    result = application.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with _db.engine.begin() as conn:
        first, last = conn.execute(select(func.min(Meeting.id), func.max(Meeting.id))).one()
        conn.execute(update(Meeting).where(Meeting.id == first).values(postponed_to_id=last))
        message = conn.execute(select(func.min(OutboxMessage.id))).scalar_one()
        conn.execute(
            OutboxAttachment.__table__.insert().values(
                message_id=message, filename="x.bin", content_type="application/x", data=BINARY
            )
        )


#: rows a restore bumps, so that no worker serves what it kept under the archived revision
MOVED_BY_RESTORE = ("calendar_revision", "publication_revision")


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every table a backup holds (derived tables, such as the calendar
    pieces, are left out of backups), in primary-key order; but the two revisions, which
    a restore moves past the archived ones on purpose (``MOVED_BY_RESTORE``)."""
    with _db.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in _db.metadata.sorted_tables
            if not table.info.get("derived") and table.name not in MOVED_BY_RESTORE
        }


def stored_files(application: Flask) -> dict[str, bytes]:
    """Every file under the upload folder (temporary ones included), by relative path."""
    root = Path(application.config["UPLOAD_FOLDER"])
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def empty_everything(application: Flask) -> None:
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
    for path in sorted(Path(application.config["UPLOAD_FOLDER"]).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def backup(application: Flask, archive: Path) -> None:
    result = application.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output


def restore(application: Flask, archive: Path, *options: str):
    return application.test_cli_runner().invoke(args=["backup", "restore", str(archive), *options])


def assert_nothing_written(application: Flask) -> None:
    assert all(rows == [] for rows in table_rows().values())
    assert stored_files(application) == {}
    assert list(Path(application.config["UPLOAD_FOLDER"]).glob(".restore-*")) == []
