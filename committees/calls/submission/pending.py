"""Files attached to a submission form that was sent back with an error: kept, so that the
contributor does not have to attach them again.

Each acceptable file is stored (under its SHA-256, like every upload) and the form carries
a signed list of them in a hidden field, valid a day, for this account and this call only.
A file that no contribution ends up naming is deleted by the retention rule on orphan files.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from committees.auth.models import User
from committees.calls.models import Call
from committees.calls.rules import CallError, is_open
from committees.calls.submission.attachments import Upload, check_attachments, download_name
from committees.common import filestore

#: seconds a kept file stays usable by the form
PENDING_MAX_AGE = 24 * 3600
_SALT = "calls.pending-uploads"


@dataclass(frozen=True)
class PendingFile:
    """A kept file: its digest in the store, its download name and size."""

    sha256: str
    filename: str
    size: int


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def keep_uploads(call: Call, uploads: list[Upload]) -> list[PendingFile]:
    """Store the files that the call accepts (each on its own, up to its count) and
    return them, while the call is open; a refused file is left out (the form's error
    says why)."""
    kept: list[PendingFile] = []
    if not is_open(call):
        return kept  # past the deadline the form cannot be sent again: nothing to keep
    for upload in uploads:
        if len(kept) >= call.max_attachments:
            break
        try:
            check_attachments(call, [upload])
            digest = filestore.store_bytes(upload.data)
        except (CallError, filestore.FileStoreError, filestore.StoreUnavailable):
            continue
        kept.append(PendingFile(digest, download_name(upload.filename), len(upload.data)))
    return kept


def sign_pending(files: list[PendingFile], user: User, call: Call) -> str:
    """The hidden field's value naming ``files`` ("" when there are none)."""
    if not files:
        return ""
    payload = {"u": user.id, "c": call.id, "f": [[f.sha256, f.filename, f.size] for f in files]}
    return _serializer().dumps(payload)


def load_pending(token: str | None, user: User, call: Call) -> list[PendingFile]:
    """The kept files a form names, if its signature is valid, recent and for this account
    and call, and the files are still stored; otherwise none."""
    if not token or len(token) > 20_000:
        return []
    try:
        payload = _serializer().loads(token, max_age=PENDING_MAX_AGE)
    except BadData:
        return []
    if not isinstance(payload, dict) or payload.get("u") != user.id or payload.get("c") != call.id:
        return []
    return [
        PendingFile(sha, name, size)
        for sha, name, size in payload.get("f", [])
        if filestore.exists(sha)
    ]


def as_uploads(files: list[PendingFile]) -> list[Upload]:
    """The kept files as uploads, for the submission."""
    uploads = []
    for pending in files:
        try:
            uploads.append(Upload(pending.filename, filestore.read_bytes(pending.sha256)))
        except filestore.FileStoreError:
            continue
    return uploads
