"""The backup archive: a ZIP file whose ``manifest.json`` lists and fingerprints the rest.

Layout::

    manifest.json               format, Alembic revision, date, engine, tables, SHA-256s
    manifest.hmac               HMAC-SHA-256 of manifest.json under the backup key (seal.py)
    database/<table>.jsonl      one JSON object per row, in primary-key order
    files/ab/cd/<sha256>        every file of the upload folder, under its store path

ZIP rather than tar.gz: members can be read in any order without decompressing the
archive from its start, which restore needs (it verifies, then reads again).

A restore checks, before anything else, the seal, then every member's size (declared,
then counted while its SHA-256 is computed: never more than the limits are inflated)
and, in table dumps, every line's length, so that neither a decompression bomb nor one
huge row is ever held in memory or written to disk.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from committees.operations.seal import SEAL, SEAL_MAX_BYTES, BackupKey, SealError, check_seal

FORMAT = "committees-backup"
FORMAT_VERSION = 2  # 2: sealed (manifest.hmac)
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024
#: the manifest is read whole: a few hundred bytes per file, far below this
MANIFEST_MAX_BYTES = 64 * _CHUNK
_FILE_MEMBER = re.compile(r"files/[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})")
_STORE_PATH = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


class ArchiveError(ValueError):
    """The archive is not a backup of this application, or it was altered."""


@dataclass(frozen=True)
class Limits:
    """What a restore accepts, decompressed (``BACKUP_MAX_*`` settings)."""

    member_bytes: int
    total_bytes: int
    line_bytes: int

    @classmethod
    def from_config(cls, config: Any) -> Limits:
        """The limits the settings give."""
        return cls(
            config["BACKUP_MAX_MEMBER_BYTES"],
            config["BACKUP_MAX_TOTAL_BYTES"],
            config["BACKUP_MAX_LINE_BYTES"],
        )


def table_member(table_name: str) -> str:
    """The archive member holding a table's rows."""
    return f"database/{table_name}.jsonl"


def file_member(relative: str) -> str:
    """The archive member holding a stored file, from its path under the upload folder."""
    return f"files/{relative}"


def member_info(name: str) -> zipfile.ZipInfo:
    """A compressed member dated now (``ZipFile.open`` would date it 1980)."""
    info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def stored_files(root: Path) -> list[str]:
    """Paths (``ab/cd/<sha256>``, sorted) of the files the store holds under ``root``.

    Only names the store writes count: a half-written ``.incoming-`` file or anything
    an operator left there is not application data.
    """
    if not root.is_dir():
        return []
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        match = _STORE_PATH.fullmatch(relative)
        if match and match[3].startswith(match[1] + match[2]) and path.is_file():
            found.append(relative)
    return sorted(found)


class HashingWriter:
    """Writes to a member of the archive and hashes what went through."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.handle.write(data)


def copy_hashed(source: IO[bytes], target: IO[bytes]) -> str:
    """Copy a stream and return the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says, checked for shape."""

    revision: str
    engine: str
    created_at: str
    #: table name -> row count, in the order the tables were dumped
    tables: dict[str, int]
    #: member name -> SHA-256, every member but the manifest
    members: dict[str, str]

    @property
    def files(self) -> dict[str, str]:
        """Stored files: member name -> SHA-256 (which is also its name in the store)."""
        return {name: digest for name, digest in self.members.items() if name.startswith("files/")}

    def to_json(self) -> bytes:
        """The manifest as written in the archive."""
        document: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "alembic_revision": self.revision,
            "created_at": self.created_at,
            "engine": self.engine,
            "tables": self.tables,
            "files": len(self.files),
            "members": self.members,
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def _manifest_from(document: Any) -> Manifest:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError("manifest.json is not a manifest of a committees backup.")
    if document.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"Backup format version {document.get('format_version')!r} is not supported "
            f"(this version reads {FORMAT_VERSION})."
        )
    tables, members = document.get("tables"), document.get("members")
    fields = (document.get("alembic_revision"), document.get("engine"), document.get("created_at"))
    well_formed = (
        all(isinstance(value, str) for value in fields)
        and isinstance(tables, dict)
        and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in tables.values())
        and isinstance(members, dict)
        and all(isinstance(v, str) for v in members.values())
    )
    if not well_formed:
        raise ArchiveError("manifest.json is malformed.")
    return Manifest(fields[0], fields[1], fields[2], tables, members)


def _read_capped(archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    """A small member read whole, refused beyond ``cap`` bytes (never inflating more)."""
    with archive.open(name) as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise ArchiveError(f"{name} is larger than {cap} bytes: not a backup's {name}.")
    return data


def open_archive(path: Path, key: BackupKey) -> tuple[zipfile.ZipFile, Manifest]:
    """Open a backup archive, check its seal under ``key`` and only then read its manifest."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no such file.") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{path} is not a backup archive ({exc}).") from None
    try:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ArchiveError(f"{path} is not a backup archive (no manifest.json).")
        if SEAL not in names:
            raise ArchiveError(
                f"{path} carries no seal ({SEAL}): it was altered, or made by a version that "
                "did not authenticate backups; it cannot be restored."
            )
        try:
            sealed = _read_capped(archive, SEAL, SEAL_MAX_BYTES)
            content = _read_capped(archive, MANIFEST, MANIFEST_MAX_BYTES)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
            if isinstance(exc, ArchiveError):
                raise
            raise ArchiveError(f"manifest.json cannot be read ({exc}).") from None
        try:
            check_seal(sealed, content, key)
        except SealError as exc:
            raise ArchiveError(str(exc)) from None
        try:
            document = json.loads(content)
        except ValueError as exc:
            raise ArchiveError(f"manifest.json cannot be read ({exc}).") from None
        return archive, _manifest_from(document)
    except ArchiveError:
        archive.close()
        raise


def check_layout(archive: zipfile.ZipFile, manifest: Manifest, table_names: list[str]) -> None:
    """The archive holds exactly the members the manifest lists, one per table of the schema."""
    names = [info.filename for info in archive.infolist()]
    if len(names) != len(set(names)):
        raise ArchiveError("The archive holds the same member twice.")
    if set(names) != set(manifest.members) | {MANIFEST, SEAL}:
        raise ArchiveError("The archive's members are not those its manifest lists.")
    if set(manifest.tables) != set(table_names):
        raise ArchiveError("The archive's tables are not those of this application's schema.")
    expected = {table_member(name) for name in table_names} | set(manifest.files)
    if set(manifest.members) != expected:
        raise ArchiveError("The archive holds members that are neither tables nor stored files.")
    for name, digest in manifest.files.items():
        match = _FILE_MEMBER.fullmatch(name)
        in_place = name.startswith(f"files/{digest[:2]}/{digest[2:4]}/")
        if not match or match[1] != digest or not in_place:
            raise ArchiveError(f"{name}: not a stored file's name.")


def check_sizes(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse at once a member, or an archive, whose declared size exceeds the limits
    (``verify_members`` counts again what is actually inflated)."""
    total = 0
    for info in archive.infolist():
        if info.file_size > limits.member_bytes:
            raise ArchiveError(_too_large(info.filename, info.file_size, limits.member_bytes))
        total += info.file_size
    if total > limits.total_bytes:
        raise ArchiveError(_total_too_large(total, limits.total_bytes))


def _too_large(name: str, size: int, limit: int) -> str:
    return (
        f"{name}: {size} bytes once decompressed, more than the {limit} bytes a member may "
        "hold (BACKUP_MAX_MEMBER_BYTES); nothing was restored."
    )


def _total_too_large(size: int, limit: int) -> str:
    return (
        f"The archive holds more than {limit} bytes once decompressed ({size}; "
        "BACKUP_MAX_TOTAL_BYTES); nothing was restored."
    )


class _LineMeter:
    """The longest line seen across chunks, refused beyond ``limit`` bytes."""

    def __init__(self, name: str, limit: int):
        self.name, self.limit, self.current = name, limit, 0

    def feed(self, chunk: bytes) -> None:
        parts = chunk.split(b"\n")
        longest = max(self.current + len(parts[0]), *(len(p) for p in parts[1:-1]), 0)
        self.current = len(parts[-1]) if len(parts) > 1 else self.current + len(parts[0])
        if max(longest, self.current) > self.limit:
            raise ArchiveError(
                f"{self.name}: a line longer than {self.limit} bytes (BACKUP_MAX_LINE_BYTES); "
                "nothing was restored."
            )


def _checked_digest(handle: IO[bytes], name: str, limits: Limits, total: list[int]) -> str:
    digest, size = hashlib.sha256(), 0
    lines = _LineMeter(name, limits.line_bytes) if name.startswith("database/") else None
    while chunk := handle.read(_CHUNK):
        size += len(chunk)
        total[0] += len(chunk)
        if size > limits.member_bytes:
            raise ArchiveError(_too_large(name, size, limits.member_bytes))
        if total[0] > limits.total_bytes:
            raise ArchiveError(_total_too_large(total[0], limits.total_bytes))
        if lines is not None:
            lines.feed(chunk)
        digest.update(chunk)
    return digest.hexdigest()


def verify_members(archive: zipfile.ZipFile, manifest: Manifest, limits: Limits) -> Iterator[str]:
    """Check the size, lines and SHA-256 of every member, reading each as a stream;
    yields each name once checked."""
    check_sizes(archive, limits)
    total = [0]
    for name, expected in manifest.members.items():
        try:
            with archive.open(name) as handle:
                actual = _checked_digest(handle, name, limits, total)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            if isinstance(exc, ArchiveError):
                raise
            raise ArchiveError(f"{name} cannot be read ({exc}).") from None
        if actual != expected:
            raise ArchiveError(
                f"{name}: SHA-256 mismatch (manifest {expected[:12]}…, content {actual[:12]}…); "
                "the archive was altered or damaged."
            )
        yield name
