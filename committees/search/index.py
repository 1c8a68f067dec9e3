"""Keeps the search index in step with the data, so that no service has to remember to.

After each flush, the listener notes which public objects changed (their kind and id);
just before the transaction commits, it rebuilds their documents from their current
state, in the same transaction: the index commits or rolls back with the change. A
committee's publication carries its sessions, minutes, calls and reports (and a call its
synthesis); a session's agenda items and minutes revisions carry their session and minutes.

Writes that bypass the ORM (bulk UPDATE statements) are not seen: ``reindex_all()``
(``flask search reindex``) rebuilds everything.
"""

from __future__ import annotations

from flask_sqlalchemy.session import Session
from sqlalchemy import event

from committees.search.documents import expand, rebuild
from committees.search.registry import Key, key_of

_PENDING = "search_pending"


def _note_changes(session: Session, _flush_context) -> None:
    pending: set[Key] = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        key = key_of(obj)
        if key is not None and key[1] is not None:
            pending.add(key)


def _reindex_changes(session: Session) -> None:
    # The commit's own flush comes after this hook: flush now to see the final state.
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        rebuild(session, expand(session, pending))


def _forget_changes(session: Session, previous_transaction) -> None:
    # A savepoint's rollback leaves the outer transaction's changes to index.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


_LISTENERS = (
    ("after_flush", _note_changes),
    ("before_commit", _reindex_changes),
    ("after_soft_rollback", _forget_changes),
)


def register_listeners() -> None:
    """Listen to every session's flushes and commits (once, however many applications)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
