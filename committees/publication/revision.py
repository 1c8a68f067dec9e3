"""The publication revision: bumped with every change a public page may show, read by
every anonymous request the page cache answers.

Whatever the ORM writes bumps the one ``publication_revision`` row in the same
transaction (an ``after_flush`` listener, and ``do_orm_execute`` for bulk statements that
changed rows), unless every row it touched is of a kind no public page, feed or API
answer reads (``PRIVATE``: the outbox, the audit trail, the calendars' own stamps...).
That list names what may be skipped, not what must be seen: a new model is watched
until someone decides otherwise. ``flask backup restore`` bumps it at the end of its
transaction, and ``flask pages forget`` bumps it by hand after a change made outside
the application (raw SQL). Writes that bypass the ORM session (raw SQL) are not seen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import ORMExecuteState, Session

from committees.common.revisions import RowReader, bump_row
from committees.extensions import db
from committees.publication.models import PublicationRevision

_TABLE = PublicationRevision.__table__

#: tables whose rows no public page, feed or API answer reads
PRIVATE: set[str] = {
    "publication_revision",
    "audit_entries",
    "calendar_stamps",
    "calendar_subscriptions",
    "calendar_revision",
    "calendar_event_pieces",
    "dashboard_visits",
    "followers",
    "follow_events",
    "outbox_messages",
    "outbox_attachments",
    "minutes_comments",
    "pack_deliveries",
    "pack_builds",
    "sent_reminders",
    "reminder_opt_outs",
}

#: what a database whose revision row does not exist yet reads as
NEVER: tuple[Any, Any] = (0, None)

_reader = RowReader(
    select(PublicationRevision.counter, PublicationRevision.changed_at).where(
        PublicationRevision.id == 1
    ),
    NEVER,
)


def current() -> tuple[Any, Any]:
    """The committed publication revision: (counter, when it last moved), as the driver
    gives them, read on this thread's own connection (one primary-key lookup)."""
    return _reader.read()


def seen_by_session() -> tuple[Any, Any]:
    """The publication revision as the ORM session's transaction sees it: the same
    snapshot as the rows the request reads next (or, on SQLite, already read). The
    values are the driver's, as ``current`` reads them."""
    return _reader.read_on(db.session.connection())


def reads() -> int:
    """How many revision reads this thread has made (tests and benchmarks count them)."""
    return _reader.reads()


def bump(connection: Connection) -> None:
    """Raise the publication revision (creating its row) on ``connection``, in its
    transaction."""
    bump_row(connection, _TABLE)


def _public(obj: object) -> bool:
    table = getattr(type(obj), "__tablename__", None)
    return table is not None and table not in PRIVATE


def _changes_public_rows(session: Session) -> bool:
    if any(_public(obj) for obj in session.new) or any(_public(obj) for obj in session.deleted):
        return True
    return any(
        _public(obj) and session.is_modified(obj, include_collections=False)
        for obj in session.dirty
    )


def _bump_after_flush(session: Session, _flush_context) -> None:
    if _changes_public_rows(session):
        bump(session.connection())


def _bump_after_bulk(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    if mapper is None or mapper.local_table.name in PRIVATE:
        return None
    result = state.invoke_statement()
    # A statement that changed no row changes no page (the demo seed re-run, say).
    if getattr(result, "rowcount", -1) != 0:
        bump(state.session.connection())
    return result


#: the Session events listened to, and what answers each
LISTENERS = (
    ("after_flush", _bump_after_flush),
    ("do_orm_execute", _bump_after_bulk),
)


def register_listeners() -> None:
    """Listen to every ORM session's flushes and bulk statements, once per process."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
