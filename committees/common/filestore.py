"""Files outside the database, addressed by their SHA-256.

A file is written once under ``UPLOAD_FOLDER/ab/cd/<sha256>`` (atomically: temporary
file, then rename) and never by a name a person chose. ``staged_files`` removes the
files a failed operation wrote, so that no file outlives a rolled-back row.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import exists as exists_clause
from sqlalchemy import or_, select, union
from sqlalchemy.orm import InstrumentedAttribute

from committees.extensions import db

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStoreError(ValueError):
    """A file could not be stored or found."""


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def path_for(sha256: str) -> Path:
    """Where the file with this digest lives; refuses anything but a hex digest."""
    if not _SHA256.fullmatch(sha256 or ""):
        raise FileStoreError("not a SHA-256 digest")
    return _root() / sha256[:2] / sha256[2:4] / sha256


def exists(sha256: str) -> bool:
    """Whether the store holds this file."""
    return path_for(sha256).is_file()


# Per request (thread or task), the stack of open staged_files() blocks.
_staging: ContextVar[tuple[list[Path], ...]] = ContextVar("filestore_staging", default=())
# The columns naming a stored file, by "Model.attribute" (see register_reference).
_references: dict[str, InstrumentedAttribute[Any]] = {}


def register_reference(column: InstrumentedAttribute[Any]) -> None:
    """Declare a model column that holds the digest of a stored file (each domain declares
    its own from its ``init_app``; declaring one twice changes nothing).

    A file no such column names is an orphan (``digests_in_use``), and cleanup after a
    failure never deletes a file another request has meanwhile committed a row for (the
    same bytes uploaded twice share one file).
    """
    _references[f"{column.class_.__name__}.{column.key}"] = column


def digest_in_use(sha256: str) -> bool:
    """Whether a committed row names this stored file (own connection: the caller's
    transaction may be the one that failed)."""
    if not _references:
        return False
    checks = [exists_clause().where(column == sha256) for column in _references.values()]
    with db.engine.connect() as connection:
        return bool(connection.execute(select(or_(*checks))).scalar())


def digests_in_use() -> set[str]:
    """Every stored file that a row names (one query)."""
    if not _references:
        return set()
    query = union(*(select(column).where(column.is_not(None)) for column in _references.values()))
    return set(db.session.execute(query).scalars())


def store_bytes(data: bytes) -> str:
    """Store ``data`` (deduplicated) and return its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(digest)
    if target.is_file():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    stack = _staging.get()
    if stack:
        stack[-1].append(target)
    return digest


def stored_files() -> Iterator[Path]:
    """Every file of the store (named by its digest, two folder levels down)."""
    root = _root()
    if not root.is_dir():
        return
    for path in root.glob("??/??/*"):
        if _SHA256.fullmatch(path.name) and path.is_file():
            yield path


def read_bytes(sha256: str) -> bytes:
    """The content of a stored file."""
    try:
        return path_for(sha256).read_bytes()
    except FileNotFoundError:
        raise FileStoreError("file not found in the store") from None


@contextmanager
def staged_files() -> Iterator[list[Path]]:
    """Files first written inside the block are deleted if the block raises."""
    created: list[Path] = []
    token = _staging.set((*_staging.get(), created))
    try:
        yield created
    except BaseException:
        for path in created:
            if not digest_in_use(path.name):
                path.unlink(missing_ok=True)
        raise
    finally:
        _staging.reset(token)
