"""VEVENTs kept in the database, so that every worker and a restarted server find them.

Each worker keeps the VEVENTs it wrote (cache.events), but a new worker, or the first
request after a change of many sessions, would build hundreds of them again with
icalendar (0.3-0.5 s for 600). The bytes are therefore also kept in
``calendar_event_pieces``, one row per session and variant (language, public or members'
view), under a digest of everything they were written from: the session's dependency
key (the same one the worker's cache uses), the feed's texts in that language, the
format version and icalendar's version. A feed reads, in one query, the pieces of the
sessions its worker does not hold, keeps those whose digest is still the one computed
now, and writes back what it had to build.

The write goes through a connection of its own, committed at once: the pieces are a
cache beside the request, which writes nothing else; a concurrent duplicate is ignored
and a stale piece replaced (one upsert on SQLite and PostgreSQL). A failed write only
means the next worker builds the VEVENT again. Switched off with the worker's cache
(CALENDAR_EVENT_CACHE_BYTES = 0: nothing kept anywhere).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from committees.calendars.models import CalendarEventPiece
from committees.extensions import db

log = logging.getLogger(__name__)

_TABLE = CalendarEventPiece.__table__
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def enabled() -> bool:
    """Whether VEVENTs are kept at all (the same switch as the worker's cache)."""
    return current_app.config["CALENDAR_EVENT_CACHE_BYTES"] > 0


def variant(lang: str, members: bool) -> str:
    """The variant of a feed's VEVENTs: its language and view."""
    return f"{lang}:{'members' if members else 'public'}"


def digest(context: str, parts: tuple) -> str:
    """The digest a piece is kept under: ``context`` (what every VEVENT of a variant is
    written from, see content.written_from) and the session's dependency key."""
    return hashlib.sha256(repr((context, parts)).encode()).hexdigest()


def read(of_variant: str, digests: Mapping[int, str]) -> dict[int, bytes]:
    """The kept bytes of the sessions ``digests`` names (meeting id -> digest wanted),
    in one query; a piece kept under another digest is stale and left out."""
    if not digests:
        return {}
    rows = db.session.execute(
        select(
            CalendarEventPiece.meeting_id, CalendarEventPiece.key, CalendarEventPiece.body
        ).where(
            CalendarEventPiece.variant == of_variant,
            CalendarEventPiece.meeting_id.in_(list(digests)),
        )
    ).all()
    # bytes(): PostgreSQL's driver hands back a memoryview.
    return {mid: bytes(body) for mid, key, body in rows if digests.get(mid) == key}


def write(of_variant: str, built: Iterable[tuple[int, str, bytes]]) -> None:
    """Keep ``built`` (meeting id, digest, bytes), replacing stale pieces, in one
    statement on a connection of its own, committed at once."""
    rows = [
        {"meeting_id": mid, "variant": of_variant, "key": key, "body": body}
        for mid, key, body in sorted(built)
    ]
    if not rows:
        return
    engine = db.engine
    insert = _INSERTS[engine.dialect.name](_TABLE)
    statement = insert.on_conflict_do_update(
        index_elements=[_TABLE.c.meeting_id, _TABLE.c.variant],
        set_={"key": insert.excluded.key, "body": insert.excluded.body},
        # The same piece written by another worker meanwhile: nothing to do.
        where=_TABLE.c.key != insert.excluded.key,
    )
    try:
        with engine.begin() as connection:
            connection.execute(statement, rows)
    except SQLAlchemyError as exc:
        # A session deleted meanwhile, a busy database: the next build writes them.
        log.warning("calendar event pieces not kept: %s", exc)
