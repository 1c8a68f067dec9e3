"""Files outside the database, addressed by their SHA-256.

A file is written once under ``UPLOAD_FOLDER/ab/cd/<sha256>`` (atomically: temporary
file, then rename) and never by a name a person chose. ``staged_files`` removes the
files a failed operation wrote, so that no file outlives a rolled-back row. A folder that
refuses the file (full, read-only, missing) raises ``StoreUnavailable`` with nothing left
behind: the caller keeps the form and says so (the error pages answer 507 otherwise).
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

from flask import Response, abort, current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import exists as exists_clause
from sqlalchemy import or_, select, union
from sqlalchemy.orm import InstrumentedAttribute

from committees.extensions import db

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStoreError(ValueError):
    """A file could not be stored or found."""


class StoreUnavailable(Exception):  # noqa: N818 - named for what the person is told
    """The upload folder refused a file (disk full, read-only, missing); nothing was kept.

    ``cause`` is the operating system's error, for the log; ``str()`` is the message for
    the person, in their language.
    """

    #: HTTP status of a request that failed on it (507 Insufficient Storage)
    status = 507

    def __init__(self, cause: OSError):
        super().__init__(cause)
        self.cause = cause

    def __str__(self) -> str:
        return _(
            "Les fichiers ne peuvent pas être enregistrés pour le moment (espace de stockage "
            "indisponible). Rien n'a été enregistré ; votre saisie est conservée : "
            "réessayez dans quelques minutes."
        )


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


def send_stored(
    sha256: str | None,
    filename: str,
    content_type: str | None = None,
    *,
    private: bool = False,
    inline: bool = False,
) -> Response:
    """The download of a stored file under ``filename`` (ETag: its digest); a 404 page when
    there is none or the store lost it. ``private`` keeps it out of shared caches (a
    member's or the secretariat's paper), ``inline`` lets the browser show it."""
    if not sha256 or not exists(sha256):
        abort(404)
    response = send_file(
        path_for(sha256),
        mimetype=content_type,
        as_attachment=not inline,
        download_name=filename,
        etag=sha256,
    )
    if private:
        response.headers["Cache-Control"] = "private, no-cache"
    return response


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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    except OSError as error:
        raise StoreUnavailable(error) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise StoreUnavailable(error) from error
        raise
    stack = _staging.get()
    if stack:
        stack[-1].append(target)
    return digest


def store_path(source: Path) -> str:
    """Move the file at ``source`` (a temporary file on the same disk, read in chunks:
    never whole in memory) into the store and return its SHA-256; ``source`` is gone."""
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    name = digest.hexdigest()
    target = path_for(name)
    try:
        if target.is_file():
            source.unlink()
            return name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    except OSError as error:
        Path(source).unlink(missing_ok=True)
        raise StoreUnavailable(error) from error
    stack = _staging.get()
    if stack:
        stack[-1].append(target)
    return name


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
