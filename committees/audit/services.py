"""Reading the audit trail, and rewriting the values it keeps once they are erased."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from committees.audit.models import AuditEntry
from committees.common.personal_data import ANONYMISED_CONTRIBUTOR, ERASED
from committees.extensions import db

# Values that reveal nothing: kept as they are when the audit trail is scrubbed.
_HARMLESS = (None, "", ERASED, ANONYMISED_CONTRIBUTOR)


def entries_for(obj, limit: int = 100) -> Sequence[AuditEntry]:
    """The latest changes recorded for one audited object, newest first."""
    return (
        db.session.execute(
            select(AuditEntry)
            .where(AuditEntry.entity_type == obj.__tablename__, AuditEntry.entity_id == obj.id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def scrub_audit(entity_type: str, ids: list[int], keys: set[str]) -> int:
    """Replace by ERASED the values of ``keys`` in the audit entries of these rows (flushed
    first, so that the change being made is scrubbed too); the number of entries changed."""
    if not ids:
        return 0
    db.session.flush()
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(ids)
        )
    ).all()
    changed = 0
    for entry in entries:
        scrubbed = {
            key: [v if v in _HARMLESS else ERASED for v in values]
            if key in keys and isinstance(values, list)
            else values
            for key, values in entry.changes.items()
        }
        if scrubbed != entry.changes:
            entry.changes = scrubbed
            changed += 1
    return changed
