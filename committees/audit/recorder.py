"""Records audit entries from the ORM's flushes, so no service can forget to.

The listener (``register_listeners``, from the audit domain's ``init_app``) runs after
each flush, while attribute history is still available, and writes the entries with a
core INSERT on the same connection: they commit or roll back with the change they
describe.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, has_request_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ColumnProperty

from committees.audit.mixins import Audited
from committees.audit.models import AuditEntry
from committees.common.timeutils import utcnow


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _actor() -> tuple[int | None, str]:
    # Only a user Flask-Login already loaded: loading one here would query mid-flush.
    user = g.get("_login_user") if has_request_context() else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id, user.email
    return None, "système"


def _column_attrs(obj: Audited):
    excluded = type(obj).__audit_exclude__
    for attr in inspect(obj).mapper.column_attrs:
        if isinstance(attr, ColumnProperty) and attr.key not in excluded:
            yield attr.key


def _changes(obj: Audited, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for key in _column_attrs(obj):
        if key == "id":
            continue
        if action == "create":
            value = getattr(obj, key)
            if value is not None and value != "":
                changes[key] = [None, _plain(value)]
        elif action == "delete":
            changes[key] = [_plain(getattr(obj, key)), None]
        else:
            history = state.attrs[key].history
            if history.has_changes():
                before = history.deleted[0] if history.deleted else None
                after = history.added[0] if history.added else None
                if before != after:
                    changes[key] = [_plain(before), _plain(after)]
    return changes


def _record(session: Session, _flush_context) -> None:
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "action": action,
                    "entity_type": obj.__tablename__,
                    "entity_id": obj.id,
                    "changes": changes,
                }
            )
    if not rows:
        return
    actor_id, actor_label = _actor()
    now = utcnow()
    for row in rows:
        row.update(at=now, actor_user_id=actor_id, actor_label=actor_label)
    session.connection().execute(insert(AuditEntry.__table__), rows)


def register_listeners() -> None:
    """Record the changes of every session's flushes (once, however many applications)."""
    if not event.contains(Session, "after_flush", _record):
        event.listen(Session, "after_flush", _record)
