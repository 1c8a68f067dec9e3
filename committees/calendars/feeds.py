"""Which sessions each calendar feed holds, and the feed's fingerprint.

Four feeds: one public session, one session as a member sees it, a committee's public
feed and a member's personal feed. The fingerprint is one aggregate query (counts and
latest ``updated_at`` of the sessions, their agenda items, their committees and, for
members, the mandates that decide what they see) that gives a strong ETag and a
Last-Modified without loading a single session: a calendar client revalidating every
hour costs the server that query only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import Select, event, func, inspect, select
from sqlalchemy.orm import Session, selectinload

from committees.bodies.models import Committee, Mandate, Person
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.models import AgendaItem, Meeting
from committees.meetings.queries import _public as public_only
from committees.meetings.services import meeting_day

#: raise when the text of the feeds changes shape, so that every ETag changes with it
FORMAT_VERSION = "1"

#: how far back feeds go when CALENDAR_PAST_DAYS is not set
DEFAULT_PAST_DAYS = 365


class FeedKind(StrEnum):
    MEETING = "meeting"  # one public session
    MEMBER_MEETING = "member-meeting"  # one session with the members' details
    COMMITTEE = "committee"  # a committee's public sessions
    PERSONAL = "personal"  # a member's sessions, members' details included


#: feeds that carry the remote link, the closed items and the documents link
MEMBERS_KINDS = frozenset({FeedKind.MEMBER_MEETING, FeedKind.PERSONAL})


@dataclass(frozen=True)
class Feed:
    """What a request asks for: the kind, whose or which, and the language of the text."""

    kind: FeedKind
    lang: str = "fr"
    meeting_id: int | None = None
    committee_id: int | None = None
    user_id: int | None = None

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
    sessions: int


def window_start(now: datetime | None = None) -> datetime:
    """The oldest end of a session that feeds still list (CALENDAR_PAST_DAYS ago)."""
    days = current_app.config.get("CALENDAR_PAST_DAYS", DEFAULT_PAST_DAYS)
    return (now or utcnow()) - timedelta(days=days)


# --- which sessions -------------------------------------------------------------------


def _user_person_ids(user_id: int) -> Select:
    return select(Person.id).where(Person.user_id == user_id)


def _user_committee_ids(user_id: int) -> Select:
    return select(Mandate.committee_id).where(Mandate.person_id.in_(_user_person_ids(user_id)))


def _scope(feed: Feed) -> Callable[[Select], Select]:
    """The feed's filter on any query that has the meetings in its FROM."""

    def scoped(query: Select) -> Select:
        if feed.kind == FeedKind.MEETING:
            return public_only(query).where(Meeting.id == feed.meeting_id)
        if feed.kind == FeedKind.COMMITTEE:
            return public_only(query).where(Meeting.committee_id == feed.committee_id)
        if feed.kind == FeedKind.MEMBER_MEETING:
            return query.where(Meeting.id == feed.meeting_id)
        # Every session of the member's committees; the mandates narrow it in Python
        # (a session's day in Paris against mandate dates), the fingerprint needs no more.
        return query.where(Meeting.committee_id.in_(_user_committee_ids(feed.user_id or 0)))

    return scoped


def _in_window(feed: Feed, cutoff: datetime) -> list:
    return [Meeting.ends_at >= cutoff] if feed.windowed else []


def feed_meetings(feed: Feed, now: datetime | None = None) -> list[Meeting]:
    """The sessions of ``feed``, oldest first, committee and agenda loaded (three queries,
    four for a personal feed, whatever the number of sessions)."""
    query = (
        _scope(feed)(select(Meeting))
        .where(*_in_window(feed, window_start(now)))
        .options(selectinload(Meeting.committee), selectinload(Meeting.items))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    meetings = list(db.session.execute(query).scalars())
    if feed.kind != FeedKind.PERSONAL:
        return meetings
    mandates = _mandates_of(feed.user_id or 0)
    return [m for m in meetings if _covered(m, mandates)]


def _mandates_of(user_id: int) -> list[Mandate]:
    return list(
        db.session.execute(
            select(Mandate).where(Mandate.person_id.in_(_user_person_ids(user_id)))
        ).scalars()
    )


def _covered(meeting: Meeting, mandates: Sequence[Mandate]) -> bool:
    """The member-area rule: a mandate in the committee covers the session's day."""
    day = meeting_day(meeting)
    return any(m.committee_id == meeting.committee_id and m.is_current_on(day) for m in mandates)


# --- fingerprint ----------------------------------------------------------------------


def fingerprint(feed: Feed, now: datetime | None = None) -> Fingerprint:
    """The ETag and Last-Modified of ``feed``, from one aggregate query.

    Any change that alters the feed's bytes changes a count or a latest ``updated_at``
    here: an edited session, committee, item or mandate; an item or session added or
    removed; a session leaving the window (the count drops, and Last-Modified becomes
    the moment it left). ``sessions`` is 0 when a single-session feed has nothing to
    show, which the views answer with 404.
    """
    scoped = _scope(feed)
    cutoff = window_start(now)
    window = _in_window(feed, cutoff)
    columns = [
        scoped(select(func.count(Meeting.id))).where(*window).scalar_subquery(),
        scoped(select(func.max(Meeting.updated_at))).where(*window).scalar_subquery(),
        scoped(select(func.count(AgendaItem.id)).join(AgendaItem.meeting))
        .where(*window)
        .scalar_subquery(),
        scoped(select(func.max(AgendaItem.updated_at)).join(AgendaItem.meeting))
        .where(*window)
        .scalar_subquery(),
        select(func.max(Committee.updated_at))
        .where(Committee.id.in_(scoped(select(Meeting.committee_id)).where(*window)))
        .scalar_subquery(),
    ]
    if feed.windowed:
        # The latest end among the sessions that already left the window.
        columns.append(
            scoped(select(func.max(Meeting.ends_at)))
            .where(Meeting.ends_at < cutoff)
            .scalar_subquery()
        )
    if feed.kind == FeedKind.PERSONAL:
        mine = Mandate.person_id.in_(_user_person_ids(feed.user_id or 0))
        columns.append(select(func.count(Mandate.id)).where(mine).scalar_subquery())
        columns.append(select(func.max(Mandate.updated_at)).where(mine).scalar_subquery())
    row = tuple(db.session.execute(select(*columns)).one())
    return Fingerprint(
        etag=_etag(feed, row),
        last_modified=_last_modified(feed, row),
        sessions=row[0],
    )


def _etag(feed: Feed, row: tuple) -> str:
    config = current_app.config
    parts = (
        FORMAT_VERSION,
        feed.kind.value,
        feed.lang,
        feed.meeting_id,
        feed.committee_id,
        feed.user_id,
        config.get("CALENDAR_PAST_DAYS", DEFAULT_PAST_DAYS),
        config["PUBLIC_BASE_URL"],
        config["MAIL_DEFAULT_SENDER"],
        *(value.isoformat() if isinstance(value, datetime) else value for value in row),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def _last_modified(feed: Feed, row: tuple) -> datetime | None:
    instants = [row[1], row[3], row[4]]
    if feed.windowed and row[5] is not None:
        instants.append(
            row[5] + timedelta(days=current_app.config.get("CALENDAR_PAST_DAYS", DEFAULT_PAST_DAYS))
        )
    if feed.kind == FeedKind.PERSONAL:
        instants.append(row[7])
    known = [value for value in instants if value is not None]
    # HTTP dates count whole seconds.
    return max(known).replace(microsecond=0) if known else None


# --- keeping updated_at honest ----------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _touch_meetings_of_removed_items(session: Session, _context, _instances) -> None:
    """A removed agenda item changes its session's calendar entry: touch the session.

    Counts already change the ETag; this moves Last-Modified too, for the clients that
    revalidate with If-Modified-Since only.
    """
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
