"""Keeps the calendar change stamps and the calendar revision current, from the ORM's flushes.

Whatever changes a committee, one of its sessions or one of their agenda items bumps
the committee's CalendarStamp in the same transaction (a core upsert on the flush's
connection), so no service can forget to and the stamp commits or rolls back with the
change. ORM bulk statements (``session.execute(update(Meeting)...)``, bulk inserts)
carry no objects to read a committee from: they bump every committee's stamp, unless they
changed no row.
The same flushes and statements bump the one CalendarRevision row, and so do those that
change what decides a personal feed (an account's role or status, a person's account, a
mandate, a calendar address): the feeds' per-process memo of validators holds while that
row has not moved.
Writes that bypass the ORM session altogether (raw SQL) are not seen.
A removed agenda item also touches its session's ``updated_at`` before the flush, so that
the calendar entry's LAST-MODIFIED moves forward.

The listeners are installed by ``register_listeners()``, from ``committees.calendars.init_app``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, event, inspect, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from committees.auth.models import User
from committees.bodies.models import Committee, Mandate, Person
from committees.calendars.models import CalendarRevision, CalendarStamp, CalendarSubscription
from committees.common.revisions import bump_row
from committees.common.timeutils import utcnow
from committees.meetings.models import AgendaItem, Meeting

#: the rows whose changes reach a feed's text (content.py reads nothing else)
WATCHED = (Committee, Meeting, AgendaItem)
#: the rows that decide whose personal feed shows what, and the columns read of them
#: (None: every column)
PERSONAL = {
    User: ("role", "is_enabled"),
    Person: ("user_id",),
    Mandate: None,
    CalendarSubscription: None,
}

_TABLE = CalendarStamp.__table__
_REVISION = CalendarRevision.__table__
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _upsert(connection: Connection):
    insert = _UPSERTS[connection.dialect.name](_TABLE)
    return insert.on_conflict_do_update(
        index_elements=[_TABLE.c.committee_id],
        set_={"counter": _TABLE.c.counter + 1, "changed_at": insert.excluded.changed_at},
    )


def bump(connection: Connection, committee_ids: Iterable[int]) -> None:
    """Raise the stamps of ``committee_ids`` (creating them at 1) on ``connection``."""
    ids = sorted({cid for cid in committee_ids if cid is not None})
    if not ids:
        return
    now = utcnow()
    # Sorted, so that two transactions bumping the same committees lock them in one order.
    rows = [{"committee_id": cid, "changed_at": now, "counter": 1} for cid in ids]
    connection.execute(_upsert(connection), rows)


def bump_all(connection: Connection) -> None:
    """Raise the stamp of every committee (after a bulk statement on watched rows)."""
    statement = _upsert(connection).from_select(
        ["committee_id", "changed_at", "counter"],
        # WHERE true: SQLite needs it to read ON CONFLICT after INSERT ... SELECT.
        select(Committee.id, literal(utcnow(), CalendarStamp.changed_at.type), literal(1))
        .where(true())
        .order_by(Committee.id),
    )
    connection.execute(statement)


def bump_revision(connection: Connection) -> None:
    """Raise the calendar revision (creating its row) on ``connection``."""
    bump_row(connection, _REVISION)


def _previous(obj, key: str) -> list:
    return list(inspect(obj).attrs[key].history.deleted or ())


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """(committee ids, meeting ids whose committee is still to be read) of this flush."""
    committees: set[int] = set()
    meetings: set[int] = set()
    for objects, updated in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in objects:
            if not isinstance(obj, WATCHED):
                continue
            if updated and not session.is_modified(obj, include_collections=False):
                continue
            if isinstance(obj, Committee):
                committees.add(obj.id)
            elif isinstance(obj, Meeting):
                committees.update([obj.committee_id, *_previous(obj, "committee_id")])
            else:
                meetings.update([obj.meeting_id, *_previous(obj, "meeting_id")])
    return committees, meetings


def _personal_touched(session: Session) -> bool:
    """Whether this flush changes what decides a personal feed."""
    for objects, updated in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in objects:
            columns = PERSONAL.get(type(obj), False)
            if columns is False:
                continue
            if not updated:
                return True
            state = inspect(obj)
            keys = columns or [attr.key for attr in state.mapper.column_attrs]
            if any(state.attrs[key].history.has_changes() for key in keys):
                return True
    return False


def _touch_meetings_of_removed_items(session: Session, _context, _instances) -> None:
    """A removed agenda item changes its session's calendar entry: touch the session,
    so that the entry's LAST-MODIFIED moves forward too."""
    touched: set[Meeting] = set()
    for obj in session.deleted:
        if isinstance(obj, AgendaItem) and obj.meeting is not None:
            touched.add(obj.meeting)
    for obj in session.dirty:
        if isinstance(obj, Meeting) and inspect(obj).attrs["items"].history.deleted:
            touched.add(obj)
    for meeting in touched:
        if meeting not in session.deleted:
            meeting.updated_at = utcnow()


def _bump_after_flush(session: Session, _flush_context) -> None:
    committees, meetings = _touched(session)
    meetings.discard(None)  # type: ignore[arg-type]
    if not committees and not meetings:
        if _personal_touched(session):
            bump_revision(session.connection())
        return
    connection = session.connection()
    bump_revision(connection)
    if meetings:
        committees.update(
            connection.execute(
                select(Meeting.committee_id).where(Meeting.id.in_(sorted(meetings)))
            ).scalars()
        )
    bump(connection, committees)


def _bump_after_bulk(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    if mapper is None or (mapper.class_ not in WATCHED and mapper.class_ not in PERSONAL):
        return None
    result = state.invoke_statement()
    # A statement that changed no row changes no feed: re-running an idempotent step (the
    # demo seed) must not make every subscriber download again.
    if getattr(result, "rowcount", -1) != 0:
        connection = state.session.connection()
        if mapper.class_ in WATCHED:
            bump_all(connection)
        bump_revision(connection)
    return result


#: the Session events listened to, and what answers each
LISTENERS = (
    ("before_flush", _touch_meetings_of_removed_items),
    ("after_flush", _bump_after_flush),
    ("do_orm_execute", _bump_after_bulk),
)


def register_listeners() -> None:
    """Listen to every ORM session's flushes and bulk statements, once per process
    (``create_app`` may run many times: the tests build an application each)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
