"""Keeps the committees' calendar change stamps current, from the ORM's flushes.

Whatever changes a committee, one of its sessions or one of their agenda items bumps
the committee's CalendarStamp in the same transaction (a core upsert on the flush's
connection), so no service can forget to and the stamp commits or rolls back with the
change. ORM bulk statements (``session.execute(update(Meeting)...)``, bulk inserts)
carry no objects to read a committee from: they bump every committee's stamp, unless they
changed no row.
Writes that bypass the ORM session altogether (raw SQL) are not seen.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, event, inspect, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from committees.bodies.models import Committee
from committees.calendars.models import CalendarStamp
from committees.common.timeutils import utcnow
from committees.meetings.models import AgendaItem, Meeting

#: the rows whose changes reach a feed's text (content.py reads nothing else)
WATCHED = (Committee, Meeting, AgendaItem)

_TABLE = CalendarStamp.__table__
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


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, _flush_context) -> None:
    committees, meetings = _touched(session)
    meetings.discard(None)  # type: ignore[arg-type]
    if not committees and not meetings:
        return
    connection = session.connection()
    if meetings:
        committees.update(
            connection.execute(
                select(Meeting.committee_id).where(Meeting.id.in_(sorted(meetings)))
            ).scalars()
        )
    bump(connection, committees)


@event.listens_for(Session, "do_orm_execute")
def _bump_after_bulk(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ not in WATCHED:
        return None
    result = state.invoke_statement()
    # A statement that changed no row changes no feed: re-running an idempotent step (the
    # demo seed) must not make every subscriber download again.
    if getattr(result, "rowcount", -1) != 0:
        bump_all(state.session.connection())
    return result
