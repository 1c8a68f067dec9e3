"""``flask backup create`` / ``flask backup restore``: the demo survives a round trip, byte
for byte, into a second database (and from SQLite into PostgreSQL); a damaged, foreign or
mismatched archive, or a database holding rows, is refused with nothing written."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from committees import create_app
from committees.auth.models import Role, User
from committees.auth.services import create_user
from committees.extensions import db as _db
from committees.operations.backup import create_backup
from committees.operations.seal import backup_key, seal
from committees.search.services import search
from config import normalize_database_url
from tests.support.backups import (
    MOVED_BY_RESTORE,
    assert_nothing_written,
    backup,
    empty_everything,
    restore,
    rewrite,
    seed,
    stored_files,
    table_rows,
)
from tests.support.helpers import new_postgresql_database

#: a PostgreSQL server for the cross-engine test when the suite itself runs on SQLite
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/test"


# --- situations -------------------------------------------------------------------------


@pytest.fixture
def at_head(app, db) -> Iterator[None]:
    """The suite's database (built by create_all) recorded at Alembic's head revision."""
    flask_migrate.stamp()
    yield
    _db.session.remove()
    with _db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@contextmanager
def second_database(tmp_path: Path) -> Iterator[str]:
    """An empty database on the engine under test, beside the suite's."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    with new_postgresql_database(server_url, f"{make_url(server_url).database}_restore") as url:
        yield url


@contextmanager
def migrated_app(url: str, folder: Path) -> Iterator[Flask]:
    """An application on ``url`` (migrated to head) with its own upload folder, in context."""
    application = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "MAIL_FILE_DIR": str(folder / "mail"),
        }
    )
    with application.app_context():
        flask_migrate.upgrade()
        try:
            yield application
        finally:
            _db.session.remove()
            _db.engine.dispose()


def edit_manifest(members: dict[str, bytes], **fields) -> None:
    manifest = json.loads(members["manifest.json"])
    manifest.update(fields)
    members["manifest.json"] = json.dumps(manifest).encode()


# --- round trips ------------------------------------------------------------------------


def test_round_trip_of_the_demo_into_an_empty_database(app, at_head, tmp_path):
    seed(app)
    rows, files = table_rows(), stored_files(app)
    archive = tmp_path / "backup.zip"
    backup(app, archive)

    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    with _db.engine.connect() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert manifest["alembic_revision"] == head
    assert manifest["engine"] == _db.engine.dialect.name
    archived = {n: count for n, count in manifest["tables"].items() if n not in MOVED_BY_RESTORE}
    assert archived == {name: len(table) for name, table in rows.items()}
    with zipfile.ZipFile(archive) as zf:
        for name, digest in manifest["members"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest, name
        assert set(zf.namelist()) == {*manifest["members"], "manifest.json", "manifest.hmac"}
    assert len(files) == manifest["files"] >= 1

    with second_database(tmp_path) as url, migrated_app(url, tmp_path / "second") as target:
        result = restore(target, archive)
        assert result.exit_code == 0, result.output
        assert "Backup restored" in result.output
        assert table_rows() == rows
        assert stored_files(target) == files
        assert search("cannabis").total > 0  # the engine's search index followed the rows
        # Sequences start after the restored ids: a new row gets a fresh one.
        create_user(
            "after.restore@example.org", "After Restore", "long enough password 1", Role.MEMBER
        )
        _db.session.commit()


def test_sqlite_backup_restored_into_postgresql(tmp_path):
    """Runs on both passes: the SQLite source is built here, the target is a new database
    on the PostgreSQL server of TEST_DATABASE_URL (else the machine's)."""
    server_url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRESQL
    if not make_url(normalize_database_url(server_url)).drivername.startswith("postgresql"):
        server_url = DEFAULT_POSTGRESQL
    archive = tmp_path / "from-sqlite.zip"
    with migrated_app(f"sqlite:///{tmp_path / 'source.sqlite3'}", tmp_path / "source") as source:
        seed(source)
        rows, files = table_rows(), stored_files(source)
        backup(source, archive)
    assert json.loads(zipfile.ZipFile(archive).read("manifest.json"))["engine"] == "sqlite"

    with (
        new_postgresql_database(server_url, "crossengine_restore") as url,
        migrated_app(url, tmp_path / "target") as target,
    ):
        assert _db.engine.dialect.name == "postgresql"
        result = restore(target, archive)
        assert result.exit_code == 0, result.output
        assert table_rows() == rows
        assert stored_files(target) == files
        assert search("cannabis").total > 0
        create_user(
            "after.restore@example.org", "After Restore", "long enough password 1", Role.MEMBER
        )
        _db.session.commit()


# --- refusals ---------------------------------------------------------------------------


@pytest.fixture
def archive(app, at_head, tmp_path) -> Path:
    """A backup of the demo on the suite's database (which still holds it)."""
    seed(app)
    path = tmp_path / "backup.zip"
    backup(app, path)
    return path


def test_a_database_holding_rows_is_refused_without_force(app, archive):
    create_user("extra@example.org", "Extra", "long enough password 1", Role.MEMBER)
    _db.session.commit()
    rows, files = table_rows(), stored_files(app)

    refused = restore(app, archive)
    assert refused.exit_code != 0
    assert "The database is not empty" in refused.output
    assert "--force" in refused.output
    assert table_rows() == rows
    assert stored_files(app) == files

    forced = restore(app, archive, "--force")
    assert forced.exit_code == 0, forced.output
    restored = table_rows()
    assert len(restored["users"]) == len(rows["users"]) - 1  # the account made later is gone
    assert "extra@example.org" not in str(restored["users"])
    assert stored_files(app) == files


def test_a_tampered_file_is_refused_and_nothing_is_written(app, archive, tmp_path):
    def tamper(members):
        name = next(n for n in members if n.startswith("files/"))
        members[name] = members[name][:-1] + b"!"

    tampered = rewrite(archive, tmp_path / "tampered.zip", tamper)
    empty_everything(app)
    result = restore(app, tampered)
    assert result.exit_code != 0
    assert "SHA-256 mismatch" in result.output
    assert_nothing_written(app)


def test_a_tampered_table_dump_is_refused(app, archive, tmp_path):
    def tamper(members):
        members["database/users.jsonl"] = members["database/users.jsonl"].replace(
            b"demo.ansm.example", b"evil.example"
        )

    tampered = rewrite(archive, tmp_path / "tampered.zip", tamper)
    empty_everything(app)
    result = restore(app, tampered)
    assert result.exit_code != 0
    assert "database/users.jsonl: SHA-256 mismatch" in result.output
    assert_nothing_written(app)


def test_a_failure_while_inserting_rolls_everything_back(app, archive, tmp_path):
    """Sums that match but a row the database refuses (a duplicate id), in the last table:
    the rows of the tables before it and the staged files are gone too."""
    last = [t.name for t in _db.metadata.sorted_tables if table_rows().get(t.name)][-1]
    member = f"database/{last}.jsonl"

    def duplicate(members):
        first_line = members[member].split(b"\n")[0] + b"\n"
        members[member] += first_line
        manifest = json.loads(members["manifest.json"])
        manifest["tables"][last] += 1
        manifest["members"][member] = hashlib.sha256(members[member]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()

    broken = rewrite(archive, tmp_path / "duplicate.zip", duplicate, reseal=app)
    empty_everything(app)
    result = restore(app, broken)
    assert result.exit_code != 0
    assert "The database refused the restore; nothing was written" in result.output
    assert_nothing_written(app)


def test_an_archive_of_another_revision_is_refused(app, archive, tmp_path):
    other = rewrite(
        archive,
        tmp_path / "other.zip",
        lambda m: edit_manifest(m, alembic_revision="0007_x"),
        reseal=app,
    )
    empty_everything(app)
    result = restore(app, other)
    assert result.exit_code != 0
    assert "made at Alembic revision 0007_x" in result.output
    assert "flask db upgrade" in result.output
    assert_nothing_written(app)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text\n", "is not a backup archive"),
        (None, "no manifest.json"),
        (b"{not json", "manifest.json cannot be read"),
        (json.dumps({"format": "other"}).encode(), "not a manifest of a committees backup"),
    ],
)
def test_what_is_not_a_backup_is_refused(app, at_head, tmp_path, content, message):
    path = tmp_path / "not-a-backup.zip"
    if content is None or content.startswith(b"{"):
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("database/users.jsonl", b"")
            if content is not None:
                zf.writestr("manifest.json", content)
                zf.writestr("manifest.hmac", seal(content, backup_key(app.config)))
    else:
        path.write_bytes(content)
    result = restore(app, path)
    assert result.exit_code != 0
    assert message in result.output
    assert_nothing_written(app)


def test_a_missing_member_is_refused(app, archive, tmp_path):
    def drop(members):
        del members[next(n for n in members if n.startswith("files/"))]

    partial = rewrite(archive, tmp_path / "partial.zip", drop)
    empty_everything(app)
    result = restore(app, partial)
    assert result.exit_code != 0
    assert "not those its manifest lists" in result.output
    assert_nothing_written(app)


def test_a_database_without_alembic_revision_is_not_backed_up(app, tmp_path):
    path = tmp_path / "never.zip"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert result.exit_code != 0
    assert "no Alembic revision" in result.output
    assert list(tmp_path.iterdir()) == []


class WriteDuringDump:
    """Progress that commits a new account, from another connection, once the first table
    is dumped: a consistent dump must not see it."""

    def __init__(self):
        self.written = False

    def start(self, phase, total):
        pass

    def advance(self, item):
        if not self.written:
            self.written = True
            with _db.engine.connect() as conn, conn.begin():
                conn.execute(
                    User.__table__.insert().values(
                        email="late@example.org", full_name="Late", password_hash="x", role="member"
                    )
                )

    def finish(self):
        pass


def test_the_dump_is_one_snapshot(app, at_head, tmp_path):
    seed(app)
    users = len(table_rows()["users"])
    progress = WriteDuringDump()
    create_backup(tmp_path / "snapshot.zip", progress=progress)
    assert progress.written
    assert len(table_rows()["users"]) == users + 1  # the write did happen meanwhile
    with zipfile.ZipFile(tmp_path / "snapshot.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["tables"]["users"] == users
        assert b"late@example.org" not in zf.read("database/users.jsonl")
