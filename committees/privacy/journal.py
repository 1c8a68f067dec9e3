"""The privacy operations' own entries in the audit trail (export, erasure)."""

from __future__ import annotations

from typing import Any

from committees.audit.models import AuditEntry
from committees.auth.models import User
from committees.extensions import db
from committees.privacy.subjects import Subject


def record(action: str, subject: Subject, actor: User | None, details: dict[str, Any]) -> None:
    """Write one audit entry per record of ``subject`` (account, person) for ``action``."""
    label = actor.email if actor is not None else "système"
    targets = [("users", subject.user), ("persons", subject.person)]
    for entity_type, obj in targets:
        if obj is None:
            continue
        db.session.add(
            AuditEntry(
                actor_user_id=actor.id if actor is not None else None,
                actor_label=label,
                action=action,
                entity_type=entity_type,
                entity_id=obj.id,
                changes={key: [None, value] for key, value in details.items()},
            )
        )
