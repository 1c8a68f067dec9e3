"""Authenticated backups: an archive altered without the key, even with its manifest's sums
recomputed, is refused; so are a member that inflates beyond its limit, an archive beyond
the total limit and an over-long row, each before anything is written (issue 19, row 8)."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import text

from committees.extensions import db as _db
from committees.operations.seal import backup_key
from tests.support.backups import (
    assert_nothing_written,
    backup,
    empty_everything,
    restore,
    rewrite,
    seed,
    table_rows,
)

MIB = 1024 * 1024


@pytest.fixture
def archive(app, db, tmp_path) -> Iterator[Path]:
    """A backup of the demo (the suite's database recorded at Alembic's head)."""
    flask_migrate.stamp()
    seed(app)
    path = tmp_path / "backup.zip"
    backup(app, path)
    yield path
    _db.session.remove()
    with _db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _sum(members: dict[str, bytes], name: str) -> None:
    """Recompute a member's SHA-256 in the manifest, as a forger would."""
    manifest = json.loads(members["manifest.json"])
    manifest["members"][name] = hashlib.sha256(members[name]).hexdigest()
    members["manifest.json"] = json.dumps(manifest, indent=2).encode()


def _promote_members(members: dict[str, bytes]) -> None:
    dump = "database/users.jsonl"
    assert b'"role": "member"' in members[dump] or b'"role":"member"' in members[dump]
    members[dump] = (
        members[dump]
        .replace(b'"role": "member"', b'"role": "admin"')
        .replace(b'"role":"member"', b'"role":"admin"')
    )
    _sum(members, dump)


def test_the_archive_is_sealed_with_the_configured_key(app, archive, monkeypatch):
    with zipfile.ZipFile(archive) as zf:
        sealed = json.loads(zf.read("manifest.hmac"))
    key = backup_key(app.config)
    assert sealed["algorithm"] == "HMAC-SHA-256"
    assert sealed["key"] == "SECRET_KEY"  # BACKUP_KEY unset: derived from SECRET_KEY
    assert sealed["key_fingerprint"] == key.fingerprint
    monkeypatch.setitem(app.config, "BACKUP_KEY", "k" * 40)
    assert backup_key(app.config).fingerprint != key.fingerprint


def test_members_promoted_to_admin_with_sums_recomputed_are_refused(app, archive, tmp_path):
    forged = rewrite(archive, tmp_path / "forged.zip", _promote_members)
    empty_everything(app)

    result = restore(app, forged)

    assert result.exit_code != 0
    assert "seal (HMAC-SHA-256 of manifest.json) does not match" in result.output
    assert "nothing was restored" in result.output
    assert_nothing_written(app)


def test_the_same_archive_resealed_with_the_key_is_restored(app, archive, tmp_path):
    """The control: with the key, the very same change goes through (the seal is what
    refused it above, not the sums)."""
    resealed = rewrite(archive, tmp_path / "resealed.zip", _promote_members, reseal=app)
    empty_everything(app)
    result = restore(app, resealed)
    assert result.exit_code == 0, result.output
    assert {row.role for row in _db.session.execute(text("SELECT role FROM users"))} >= {"admin"}


def test_an_archive_sealed_under_another_key_is_refused_with_both_fingerprints(
    app, archive, tmp_path, monkeypatch
):
    made_here = backup_key(app.config).fingerprint
    monkeypatch.setitem(app.config, "BACKUP_KEY", "another installation's key, 32+ characters long")
    empty_everything(app)
    result = restore(app, archive)
    assert result.exit_code != 0
    assert made_here in result.output
    assert backup_key(app.config).fingerprint in result.output
    assert "set BACKUP_KEY" in result.output
    assert_nothing_written(app)


def test_an_archive_without_seal_is_refused(app, archive, tmp_path):
    unsealed = rewrite(archive, tmp_path / "unsealed.zip", lambda m: m.pop("manifest.hmac"))
    empty_everything(app)
    result = restore(app, unsealed)
    assert result.exit_code != 0
    assert "carries no seal (manifest.hmac)" in result.output
    assert_nothing_written(app)


def _add_stored_file(data: bytes):
    def change(members: dict[str, bytes]) -> None:
        digest = hashlib.sha256(data).hexdigest()
        name = f"files/{digest[:2]}/{digest[2:4]}/{digest}"
        members[name] = data
        _sum(members, name)

    return change


def test_a_member_inflating_beyond_the_limit_is_refused_before_writing(
    app, archive, tmp_path, monkeypatch
):
    """A small archive whose one file inflates to 8 MiB (the 1 GiB of the review, scaled
    down by the limit): refused from its size, nothing staged."""
    bomb = rewrite(archive, tmp_path / "bomb.zip", _add_stored_file(b"\0" * (8 * MIB)), reseal=app)
    assert bomb.stat().st_size < archive.stat().st_size + 64 * 1024
    monkeypatch.setitem(app.config, "BACKUP_MAX_MEMBER_BYTES", 1 * MIB)
    empty_everything(app)

    result = restore(app, bomb)

    assert result.exit_code != 0
    assert "8388608 bytes once decompressed" in result.output
    assert "BACKUP_MAX_MEMBER_BYTES" in result.output
    assert_nothing_written(app)


def test_an_archive_beyond_the_total_limit_is_refused(app, archive, tmp_path, monkeypatch):
    with zipfile.ZipFile(archive) as zf:
        total = sum(info.file_size for info in zf.infolist())
    monkeypatch.setitem(app.config, "BACKUP_MAX_TOTAL_BYTES", total - 1)
    empty_everything(app)
    result = restore(app, archive)
    assert result.exit_code != 0
    assert "BACKUP_MAX_TOTAL_BYTES" in result.output
    assert_nothing_written(app)


def test_a_line_beyond_the_limit_is_refused_without_reading_it_whole(
    app, archive, tmp_path, monkeypatch
):
    """One 8 MiB row (the 300 MB line of the review, scaled down by the limit): refused
    while the memory the restore allocates stays well below the line's size."""
    long_line = b'{"id": 999999, "email": "' + b"x" * (8 * MIB) + b'"}\n'

    def add_row(members: dict[str, bytes]) -> None:
        members["database/users.jsonl"] += long_line
        _sum(members, "database/users.jsonl")

    huge = rewrite(archive, tmp_path / "long-line.zip", add_row, reseal=app)
    monkeypatch.setitem(app.config, "BACKUP_MAX_LINE_BYTES", 1 * MIB)
    empty_everything(app)
    rows_before = table_rows()

    tracemalloc.start()
    try:
        result = restore(app, huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.exit_code != 0
    assert "database/users.jsonl: a line longer than 1048576 bytes" in result.output
    assert "BACKUP_MAX_LINE_BYTES" in result.output
    assert peak < 6 * MIB, peak
    assert table_rows() == rows_before
    assert_nothing_written(app)
