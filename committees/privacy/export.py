"""Everything held about someone, as a ZIP: ``donnees.json`` and the files they sent.

Each domain registers what it holds (``committees.common.personal_data``); this module adds
the account, the audit entries and the e-mails (lower layers), puts the sections in the
document's order and the files in the archive.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from sqlalchemy import or_, select, tuple_

from committees.audit.models import AuditEntry
from committees.auth.models import User
from committees.common import filestore
from committees.common.personal_data import DataSubject, Found, plain, row_of, sections
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.mail.models import OutboxMessage
from committees.privacy import journal
from committees.privacy.subjects import Subject

#: name of the JSON document inside the archive
DOCUMENT_NAME = "donnees.json"
#: the sections of the document, in order (a registered section not named here follows)
SECTIONS = (
    "account",
    "person",
    "mandates",
    "declarations_of_interests",
    "attendances",
    "recusals",
    "ballots",
    "contributions",
    "minutes_comments",
    "minutes_revisions",
    "follows",
    "calendar_subscription",
    "audit_entries",
    "outbox_messages",
)


def _account(subject: DataSubject, _found: Found) -> dict[str, Any] | None:
    # Never the password hash nor the session token: secrets, not data about the person.
    if subject.user is None:
        return None
    return row_of(
        subject.user,
        "id",
        "email",
        "full_name",
        "role",
        "is_enabled",
        "email_confirmed_at",
        "locale",
        "last_login_at",
        "created_at",
        "updated_at",
    )


def _outbox(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient.in_(subject.emails))
        .order_by(OutboxMessage.id)
    )
    return [
        row_of(m, "recipient", "subject", "kind", "status", "created_at", "sent_at", "body_text")
        for m in rows
    ]


def audit_condition(subject: DataSubject, audited: list[tuple[str, int]]):
    """SQL condition: the audit entries about the person's records (``audited``, found by
    the other sections, and the account) or made by the account."""
    entities = list(audited)
    if subject.user is not None:
        entities.append(("users", subject.user.id))
    conditions = []
    if entities:
        conditions.append(tuple_(AuditEntry.entity_type, AuditEntry.entity_id).in_(entities))
    if subject.user is not None:
        conditions.append(AuditEntry.actor_user_id == subject.user.id)
    return or_(*conditions) if conditions else None


def _audit(subject: DataSubject, audited: list[tuple[str, int]]) -> list[dict[str, Any]]:
    condition = audit_condition(subject, audited)
    if condition is None:
        return []
    rows = db.session.scalars(select(AuditEntry).where(condition).order_by(AuditEntry.id))
    return [
        row_of(e, "at", "actor_label", "action", "entity_type", "entity_id", "changes")
        for e in rows
    ]


def personal_data(subject: Subject) -> tuple[dict[str, Any], Found]:
    """The JSON document of everything held about ``subject``, and the files and audited
    rows its sections found."""
    found = Found()
    exporters = {"account": _account, **sections(), "outbox_messages": _outbox}
    values = {name: export(subject, found) for name, export in exporters.items()}
    # Last: the audit entries of every row the other sections found.
    values["audit_entries"] = _audit(subject, found.audited)
    document = {"generated_at": plain(utcnow())}
    document.update((name, values[name]) for name in SECTIONS if name in values)
    document.update((name, value) for name, value in values.items() if name not in document)
    return document, found


def export_archive(subject: Subject, actor: User | None) -> bytes:
    """The ZIP of ``subject``'s data and files; records the export in the audit trail
    (not committed: the caller commits before sending the file)."""
    document, found = personal_data(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT_NAME, json.dumps(document, ensure_ascii=False, indent=2))
        for path, sha256 in found.files:
            try:
                data = filestore.read_bytes(sha256)
            except filestore.FileStoreError:
                continue  # erased from disk: the JSON still lists it
            archive.writestr(path, data)
    journal.record("export", subject, actor, {"files": len(found.files)})
    return buffer.getvalue()
