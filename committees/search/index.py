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

from committees.search import schema  # noqa: F401 - the engine-specific DDL listeners
from committees.search.documents import Key, expand, rebuild

_PENDING = "search_pending"


def _key_of(obj) -> Key | None:
    from committees.bodies.models import Committee
    from committees.calls.models import Call, CallSynthesis, SynthesisExcerpt
    from committees.decisions.models import Decision
    from committees.meetings.models import AgendaItem, Meeting, Minutes, MinutesRevision
    from committees.reports.models import ActivityReport

    if isinstance(obj, Committee):
        return ("committee", obj.id)
    if isinstance(obj, Decision):
        return ("decision", obj.id)
    if isinstance(obj, Meeting):
        return ("meeting", obj.id)
    if isinstance(obj, AgendaItem):
        return ("meeting", obj.meeting_id)
    if isinstance(obj, Minutes):
        return ("minutes", obj.id)
    if isinstance(obj, MinutesRevision):
        return ("minutes", obj.minutes_id)
    if isinstance(obj, Call):
        return ("call", obj.id)
    if isinstance(obj, ActivityReport):
        return ("report", obj.id)
    if isinstance(obj, CallSynthesis):
        return ("synthesis", obj.id)
    if isinstance(obj, SynthesisExcerpt):
        return ("synthesis", obj.synthesis_id)
    return None


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _flush_context) -> None:
    pending: set[Key] = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        key = _key_of(obj)
        if key is not None and key[1] is not None:
            pending.add(key)


@event.listens_for(Session, "before_commit")
def _reindex_changes(session: Session) -> None:
    # The commit's own flush comes after this hook: flush now to see the final state.
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        rebuild(session, expand(session, pending))


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    # A savepoint's rollback leaves the outer transaction's changes to index.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
