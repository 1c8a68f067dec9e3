"""Which sessions each calendar feed holds, and the feed's validators (ETag, Last-Modified).

Four feeds: one public session, one session as a member sees it, a committee's public
feed and a member's personal feed. Validators come without loading a single session:

- one session: one aggregate over that session and its few agenda items;
- a committee's feed and a personal feed: the committees' calendar stamps (bumped by
  committees.calendars.stamps on every change of a committee, session or item), plus,
  for a member, their mandates, which decide what they see; the token lookup and the
  fingerprint of a personal feed are one indexed query.

A session leaving the window as time passes is a change no row records: the latest end
among the sessions already out of the window is part of the fingerprint (one index seek
per committee on ``ix_meetings_committee_ends_at``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import Select, String, and_, false, func, or_, select, type_coerce
from sqlalchemy.orm import joinedload, subqueryload
from werkzeug.http import http_date, quote_etag

from committees.auth.models import User
from committees.auth.permissions import Permission, has_permission
from committees.bodies.models import Committee, Mandate, Person
from committees.calendars.models import CalendarStamp, CalendarSubscription
from committees.common.timeutils import PARIS, utcnow
from committees.extensions import db
from committees.meetings.models import AgendaItem, Meeting
from committees.meetings.queries import restrict_to_public as public_only

#: raise when the text of the feeds changes shape, so that every ETag changes with it
FORMAT_VERSION = "2"


class FeedKind(StrEnum):
    MEETING = "meeting"  # one public session
    MEMBER_MEETING = "member-meeting"  # one session with the members' details
    COMMITTEE = "committee"  # a committee's public sessions
    PERSONAL = "personal"  # a member's sessions, members' details included


#: feeds that carry the remote link, the closed items and the documents link
MEMBERS_KINDS = frozenset({FeedKind.MEMBER_MEETING, FeedKind.PERSONAL})


@dataclass(frozen=True)
class MandateWindow:
    """What a mandate decides in a personal feed: a committee, from one day to another."""

    committee_id: int
    start: date
    end: date | None


@dataclass(frozen=True)
class Feed:
    """What a request asks for: the kind, whose or which, and the language of the text.

    ``mandates`` (personal feeds) come with the fingerprint, so that listing the
    sessions needs no second look at them.
    """

    kind: FeedKind
    lang: str = "fr"
    meeting_id: int | None = None
    committee_id: int | None = None
    user_id: int | None = None
    mandates: tuple[MandateWindow, ...] = ()

    @property
    def for_members(self) -> bool:
        return self.kind in MEMBERS_KINDS

    @property
    def windowed(self) -> bool:
        """Feeds of many sessions keep a window; a single session is always served."""
        return self.kind in (FeedKind.COMMITTEE, FeedKind.PERSONAL)


@dataclass(frozen=True)
class Fingerprint:
    """The validators of a feed: a strong ETag (unquoted) and its Last-Modified."""

    etag: str
    last_modified: datetime | None
    sessions: int = 1

    # Remembered validators answer again and again: their header values are written once.
    @cached_property
    def quoted_etag(self) -> str:
        """The ETag header's value."""
        return quote_etag(self.etag)

    @cached_property
    def http_last_modified(self) -> str | None:
        """The Last-Modified header's value."""
        return http_date(self.last_modified) if self.last_modified is not None else None


@dataclass(frozen=True)
class EventKey:
    """What one session's VEVENT depends on, read without loading the session."""

    meeting_id: int
    starts_at: datetime
    ends_at: datetime
    parts: tuple


def window_start(now: datetime | None = None) -> datetime:
    """The oldest end of a session that feeds still list (CALENDAR_PAST_DAYS ago)."""
    return (now or utcnow()) - timedelta(days=_past_days())


def _past_days() -> int:
    return current_app.config["CALENDAR_PAST_DAYS"]


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=PARIS)


# --- which sessions -------------------------------------------------------------------


def _covered_by(mandates: Iterable[MandateWindow]):
    """The member-area rule in SQL: a mandate in the session's committee covers the
    session's day in Paris (both ends included), i.e. the session starts between the
    Paris midnights that open its first day and close its last one."""
    clauses = []
    for mandate in mandates:
        clause = [
            Meeting.committee_id == mandate.committee_id,
            Meeting.starts_at >= _paris_midnight(mandate.start),
        ]
        if mandate.end is not None:
            clause.append(Meeting.starts_at < _paris_midnight(mandate.end + timedelta(days=1)))
        clauses.append(and_(*clause))
    return or_(*clauses) if clauses else false()


def _scoped(feed: Feed, query: Select) -> Select:
    """``query`` (meetings in its FROM) narrowed to the sessions of ``feed``."""
    if feed.kind == FeedKind.MEETING:
        return public_only(query).where(Meeting.id == feed.meeting_id)
    if feed.kind == FeedKind.MEMBER_MEETING:
        return query.where(Meeting.id == feed.meeting_id)
    if feed.kind == FeedKind.COMMITTEE:
        query = public_only(query).where(Meeting.committee_id == feed.committee_id)
    else:
        query = query.where(_covered_by(feed.mandates))
    return query.where(Meeting.ends_at >= window_start())


def event_keys(feed: Feed) -> list[EventKey]:
    """The sessions of ``feed``, oldest first, as the keys of their cached VEVENTs (one
    query of plain rows: the session, its committee's latest change and the count and
    latest change of its agenda items)."""
    query = (
        select(
            Meeting.id,
            Meeting.starts_at,
            Meeting.ends_at,
            # Compared, never read: as the driver gives them, without conversion.
            type_coerce(Meeting.updated_at, String),
            func.max(type_coerce(Committee.updated_at, String)),
            func.count(AgendaItem.id),
            func.max(type_coerce(AgendaItem.updated_at, String)),
        )
        .select_from(Meeting)
        .outerjoin(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        # The other columns depend on the primary key (PostgreSQL accepts them so).
        .group_by(Meeting.id)
    )
    if feed.kind not in (FeedKind.MEETING, FeedKind.COMMITTEE):
        # The public feeds' filter joins the committee itself.
        query = query.join(Meeting.committee)
    rows = db.session.execute(_scoped(feed, query).order_by(Meeting.starts_at, Meeting.id)).all()
    return [EventKey(row[0], row[1], row[2], (row[3], row[4], row[5], row[6])) for row in rows]


def load_meetings(ids: Sequence[int]) -> dict[int, Meeting]:
    """The sessions ``ids`` with their committee and agenda items, by id (two queries,
    whatever their number: no IN lists cut into chunks)."""
    if not ids:
        return {}
    query = (
        select(Meeting)
        .where(Meeting.id.in_(list(ids)))
        .options(joinedload(Meeting.committee), subqueryload(Meeting.items))
    )
    return {m.id: m for m in db.session.execute(query).unique().scalars()}


# --- fingerprints ---------------------------------------------------------------------


def _left_window(committee_id) -> Select:
    """The latest end among the committee's sessions already out of the window."""
    return (
        select(func.max(Meeting.ends_at))
        .where(Meeting.committee_id == committee_id, Meeting.ends_at < window_start())
        .scalar_subquery()
    )


def _next_to_leave(committee_id) -> Select:
    """The earliest end among the committee's sessions still in the window: the next
    one to leave it, which changes the feed without any row changing."""
    return (
        select(func.min(Meeting.ends_at))
        .where(Meeting.committee_id == committee_id, Meeting.ends_at >= window_start())
        .scalar_subquery()
    )


def settings_key() -> tuple:
    """The settings that every feed's text depends on (part of each ETag)."""
    config = current_app.config
    return (
        _past_days(),
        config["PUBLIC_BASE_URL"],
        config["MAIL_DEFAULT_SENDER"],
        config["AGENCY_SHORT_NAME"],
    )


def _etag(feed: Feed, values: Iterable) -> str:
    parts = (
        FORMAT_VERSION,
        feed.kind.value,
        feed.lang,
        feed.meeting_id,
        feed.committee_id,
        feed.user_id,
        *settings_key(),
        *(value.isoformat() if isinstance(value, datetime | date) else value for value in values),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def _latest(instants: Iterable[datetime | None]) -> datetime | None:
    known = [value for value in instants if value is not None]
    # HTTP dates count whole seconds.
    return max(known).replace(microsecond=0) if known else None


def _left_at(ended: datetime | None) -> datetime | None:
    """When a session that ended at ``ended`` left the window."""
    return ended + timedelta(days=_past_days()) if ended is not None else None


@dataclass(frozen=True)
class ResolvedFeed:
    """A feed resolved from its address: what it shows, its validators, and the instant
    they stop holding even if no row changes (a session leaves the window), if any."""

    feed: Feed
    fingerprint: Fingerprint
    valid_until: datetime | None = None
    #: the calendar's name when the resolution reads it (one session: its title)
    name: str | None = None


def meeting_feed(feed: Feed) -> ResolvedFeed | None:
    """A one-session feed with its validators and the session's title (one aggregate
    query over that session and its agenda); None when the session is not there to show
    (404). Nothing in it depends on the time: it may be remembered under the revision."""
    shown = _scoped(
        feed, select(Meeting.id, Meeting.updated_at, Meeting.committee_id, Meeting.title)
    ).subquery()
    of_shown = AgendaItem.meeting_id.in_(select(shown.c.id))
    row = db.session.execute(
        select(
            select(func.count()).select_from(shown).scalar_subquery(),
            select(func.max(shown.c.updated_at)).scalar_subquery(),
            select(func.count(AgendaItem.id)).where(of_shown).scalar_subquery(),
            select(func.max(AgendaItem.updated_at)).where(of_shown).scalar_subquery(),
            select(func.max(Committee.updated_at))
            .where(Committee.id.in_(select(shown.c.committee_id)))
            .scalar_subquery(),
            select(func.max(shown.c.title)).scalar_subquery(),
        )
    ).one()
    if not row[0]:
        return None
    fingerprint = Fingerprint(
        # The title is not part of it: a new title comes with a new updated_at.
        etag=_etag(feed, row[:5]),
        last_modified=_latest([row[1], row[3], row[4]]),
        sessions=row[0],
    )
    return ResolvedFeed(feed, fingerprint, name=row[5])


def committee_feed(committee_id: int, lang: str) -> ResolvedFeed:
    """A committee's public feed with its validators: its calendar stamp (one query)."""
    feed = Feed(FeedKind.COMMITTEE, lang, committee_id=committee_id)
    stamp = CalendarStamp.committee_id == committee_id
    row = db.session.execute(
        select(
            select(CalendarStamp.counter).where(stamp).scalar_subquery(),
            select(CalendarStamp.changed_at).where(stamp).scalar_subquery(),
            _left_window(committee_id),
            _next_to_leave(committee_id),
        )
    ).one()
    fingerprint = Fingerprint(
        etag=_etag(feed, row[:3]),
        last_modified=_latest([row[1], _left_at(row[2])]),
    )
    return ResolvedFeed(feed, fingerprint, valid_until=_left_at(row[3]))


def personal_feed(token_hash: str, lang: str) -> ResolvedFeed | None:
    """The personal feed whose token hashes to ``token_hash``, with its validators, from
    one indexed query: subscription -> account -> persons -> mandates -> stamps.

    None for an unknown hash, a disabled account or one that left the member area. The
    ETag covers each mandate (dates, latest change), its committee's stamp and the
    latest end of that committee's sessions already out of the window.
    """
    rows = db.session.execute(
        select(
            User.id,
            User.role,
            User.is_enabled,
            Mandate.id,
            Mandate.committee_id,
            Mandate.start_date,
            Mandate.end_date,
            Mandate.updated_at,
            CalendarStamp.counter,
            CalendarStamp.changed_at,
            _left_window(Mandate.committee_id),
            _next_to_leave(Mandate.committee_id),
        )
        .select_from(CalendarSubscription)
        .join(User, User.id == CalendarSubscription.user_id)
        .outerjoin(Person, Person.user_id == User.id)
        .outerjoin(Mandate, Mandate.person_id == Person.id)
        .outerjoin(CalendarStamp, CalendarStamp.committee_id == Mandate.committee_id)
        .where(CalendarSubscription.token_hash == token_hash)
        .order_by(Mandate.id)
    ).all()
    if not rows:
        return None
    user_id, role, enabled = rows[0][:3]
    # The permission rule itself, on the two columns it reads.
    holder = SimpleNamespace(is_authenticated=True, role=role)
    if not enabled or not has_permission(holder, Permission.MEMBER_AREA):
        return None
    held = [row for row in rows if row[3] is not None]
    mandates = tuple(MandateWindow(row[4], row[5], row[6]) for row in held)
    feed = Feed(FeedKind.PERSONAL, lang, user_id=user_id, mandates=mandates)
    instants = [i for row in held for i in (row[7], row[9], _left_at(row[10]))]
    values = [value for row in held for value in row[3:11]]
    leaving = [_left_at(row[11]) for row in held if row[11] is not None]
    return ResolvedFeed(
        feed,
        Fingerprint(etag=_etag(feed, values), last_modified=_latest(instants)),
        valid_until=min(leaving, default=None),
    )
