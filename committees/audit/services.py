"""Reading the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from committees.audit.models import AuditEntry
from committees.extensions import db


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
