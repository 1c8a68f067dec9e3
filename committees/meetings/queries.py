"""Read-side helpers of the session pages: lists, one session with its agenda, who sees what.

Every function loads what its page shows in a bounded number of queries, whatever the
number of sessions, items or hearings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from committees.auth.models import User
from committees.bodies.models import Committee, Mandate, Person
from committees.common.memo import memoized
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.models import AgendaItem, Attendance, Meeting
from committees.meetings.scheduling.services import meeting_day

#: rows per page of the session lists
PER_PAGE = 25

#: how far back a member's "recent sessions" go
RECENT_WINDOW = timedelta(days=365)

#: the values of the upcoming / past filter of the lists
WHEN_UPCOMING = "upcoming"
WHEN_PAST = "past"


def _ordered_by_when(query: Select, when: str, now: datetime) -> Select:
    """Upcoming sessions soonest first (a session under way is still upcoming); past ones
    latest first; without a filter, latest first."""
    if when == WHEN_UPCOMING:
        return query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id)
    if when == WHEN_PAST:
        query = query.where(Meeting.ends_at < now)
    return query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())


# --- secretariat ----------------------------------------------------------------------


def meetings_page(
    *,
    committee_id: int | None = None,
    status: str | None = None,
    when: str = "",
    page: int = 1,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
) -> Pagination:
    """One page of every session, filtered by committee, status and upcoming/past
    (a count, a page and the committees: three queries)."""
    query = select(Meeting).options(selectinload(Meeting.committee))
    if committee_id:
        query = query.where(Meeting.committee_id == committee_id)
    if status:
        query = query.where(Meeting.status == status)
    query = _ordered_by_when(query, when, now or utcnow())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def meeting_with_agenda(meeting_id: int) -> Meeting | None:
    """A session with its committee, agenda items, organisations, documents, hearings,
    minutes and replacement loaded (a fixed number of queries)."""
    return db.session.execute(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.committee),
            selectinload(Meeting.postponed_to),
            selectinload(Meeting.minutes),
            selectinload(Meeting.items).selectinload(AgendaItem.organisations),
            selectinload(Meeting.items).selectinload(AgendaItem.documents),
            selectinload(Meeting.items).selectinload(AgendaItem.hearings),
        )
    ).scalar_one_or_none()


def meeting_with_committee(meeting_id: int) -> Meeting | None:
    """A session with its committee loaded (one query), or None."""
    return db.session.execute(
        select(Meeting).where(Meeting.id == meeting_id).options(selectinload(Meeting.committee))
    ).scalar_one_or_none()


def item_of(meeting_id: int, item_id: int) -> AgendaItem | None:
    """The agenda item ``item_id`` if it belongs to session ``meeting_id``, else None."""
    item = db.session.get(AgendaItem, item_id)
    return item if item is not None and item.meeting_id == meeting_id else None


def postponed_from(meeting: Meeting) -> Meeting | None:
    """The session that was postponed to ``meeting``, if any."""
    return db.session.execute(
        select(Meeting).where(Meeting.postponed_to_id == meeting.id).limit(1)
    ).scalar_one_or_none()


def upcoming_meetings(limit: int = 5, now: datetime | None = None) -> Sequence[Meeting]:
    """The next sessions across committees (those not over yet, soonest first), cancelled
    ones included, committees loaded (two queries).

    Asked as one query ordered by start, both engines walked the start index through ten
    years of past sessions looking for ends to come. Instead: the sessions under way (a
    range of the end index: begun, not over) and the next ones by start (a range of the
    start index); every session under way starts before every session to come."""
    now = now or utcnow()
    under_way = db.session.execute(
        select(Meeting)
        .where(Meeting.ends_at >= now, Meeting.starts_at < now)
        .options(joinedload(Meeting.committee))
    ).scalars()
    to_come = db.session.execute(
        select(Meeting)
        .where(Meeting.starts_at >= now)
        .options(joinedload(Meeting.committee))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    ).scalars()
    return [*sorted(under_way, key=lambda m: (m.starts_at, m.id)), *to_come][:limit]


def committee_choices() -> list[tuple[int, str]]:
    """(id, name) of every committee, for the session forms and filters."""
    rows = db.session.execute(
        select(Committee.id, Committee.name_fr, Committee.acronym).order_by(Committee.name_fr)
    ).all()
    return [(cid, f"{name} ({acronym})" if acronym else name) for cid, name, acronym in rows]


# --- public ---------------------------------------------------------------------------


def restrict_to_public(query: Select) -> Select:
    """Only public sessions of published committees."""
    return query.join(Meeting.committee).where(
        Meeting.is_public.is_(True), Committee.published_at.is_not(None)
    )


def public_meetings_page(
    *,
    committee_id: int | None = None,
    when: str = WHEN_UPCOMING,
    page: int = 1,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
) -> Pagination:
    """One page of the public sessions of published committees (three queries)."""
    query = restrict_to_public(select(Meeting)).options(selectinload(Meeting.committee))
    if committee_id:
        query = query.where(Meeting.committee_id == committee_id)
    query = _ordered_by_when(query, when, now or utcnow())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def public_meeting(meeting_id: int) -> Meeting | None:
    """The session if the public may see it (public, committee published), agenda loaded."""
    meeting = meeting_with_agenda(meeting_id)
    if meeting is None or not is_publicly_visible(meeting):
        return None
    return meeting


def is_publicly_visible(meeting: Meeting) -> bool:
    """The one rule for the public: a public session of a published committee."""
    return meeting.is_public and meeting.committee.published_at is not None


def upcoming_public_meetings(committee: Committee, limit: int = 5) -> Sequence[Meeting]:
    """The committee's next public sessions, for its public page (empty if unpublished)."""
    if committee.published_at is None:
        return []
    return (
        db.session.execute(
            select(Meeting)
            .where(
                Meeting.committee_id == committee.id,
                Meeting.is_public.is_(True),
                Meeting.ends_at >= utcnow(),
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )


def published_committee_choices() -> list[tuple[int, str]]:
    """(id, name) of the published committees, for the public filter."""
    rows = db.session.execute(
        select(Committee.id, Committee.name_fr)
        .where(Committee.published_at.is_not(None))
        .order_by(Committee.name_fr)
    ).all()
    return [(cid, name) for cid, name in rows]


# --- members --------------------------------------------------------------------------


def user_mandates(user: User) -> list[Mandate]:
    """Every mandate of the person tied to ``user``, committees loaded (one query, asked
    once per ``memo_scope``: the dashboard's panels share it)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return memoized(
        ("user_mandates", user.id),
        lambda: list(
            db.session.execute(
                select(Mandate)
                .join(Mandate.person)
                .where(Person.user_id == user.id)
                .options(joinedload(Mandate.committee))
            ).scalars()
        ),
    )


def _covering(mandates: Sequence[Mandate], meeting: Meeting) -> Mandate | None:
    day = meeting_day(meeting)
    for mandate in mandates:
        if mandate.committee_id == meeting.committee_id and mandate.is_current_on(day):
            return mandate
    return None


def member_mandate(meeting: Meeting, user: User) -> Mandate | None:
    """The mandate under which ``user`` takes part in ``meeting``: same committee,
    covering the session's day in Paris. None means the member may not see it."""
    return _covering(user_mandates(user), meeting)


def member_can_see(meeting: Meeting, user: User) -> bool:
    """The one rule of the member area: a mandate in the committee covers the session's day."""
    return member_mandate(meeting, user) is not None


@dataclass(frozen=True)
class MemberMeeting:
    """A session as one member sees it: under which mandate, with their convocation row."""

    meeting: Meeting
    mandate: Mandate
    attendance: Attendance | None


def _with_attendance(pairs: list[tuple[Meeting, Mandate]]) -> list[MemberMeeting]:
    if not pairs:
        return []
    rows = db.session.execute(
        select(Attendance).where(
            Attendance.meeting_id.in_([m.id for m, _ in pairs]),
            Attendance.mandate_id.in_({mandate.id for _, mandate in pairs}),
        )
    ).scalars()
    by_key = {(a.meeting_id, a.mandate_id): a for a in rows}
    return [MemberMeeting(m, mandate, by_key.get((m.id, mandate.id))) for m, mandate in pairs]


def member_meetings(
    user: User, *, now: datetime | None = None, upcoming_limit: int | None = None
) -> tuple[list[MemberMeeting], list[MemberMeeting]]:
    """(upcoming, recent) sessions of the committees where ``user`` holds a mandate
    covering the session's day; recent ones go back a year, latest first (four queries)."""
    now = now or utcnow()
    mandates = user_mandates(user)
    if not mandates:
        return [], []
    meetings = (
        db.session.execute(
            select(Meeting)
            .where(
                Meeting.committee_id.in_({m.committee_id for m in mandates}),
                Meeting.ends_at >= now - RECENT_WINDOW,
            )
            .options(selectinload(Meeting.committee))
            .order_by(Meeting.starts_at, Meeting.id)
        )
        .scalars()
        .all()
    )
    pairs = [(m, mandate) for m in meetings if (mandate := _covering(mandates, m)) is not None]
    upcoming = [p for p in pairs if p[0].ends_at >= now][:upcoming_limit]
    recent = [p for p in reversed(pairs) if p[0].ends_at < now]
    return _with_attendance(upcoming), _with_attendance(recent)


def member_upcoming_meetings(
    user: User, *, limit: int, now: datetime | None = None
) -> list[Meeting]:
    """The next ``limit`` sessions of the committees where ``user`` holds a mandate covering
    the session's day, soonest first, committees loaded (two queries: mandates with their
    committees, then only the sessions not over yet, with theirs)."""
    mandates = user_mandates(user)
    if not mandates:
        return []
    meetings = db.session.execute(
        select(Meeting)
        .where(
            Meeting.committee_id.in_({m.committee_id for m in mandates}),
            Meeting.ends_at >= (now or utcnow()),
        )
        .options(joinedload(Meeting.committee))
        .order_by(Meeting.starts_at, Meeting.id)
    ).scalars()
    return [m for m in meetings if _covering(mandates, m) is not None][:limit]


def member_meeting(user: User, meeting_id: int) -> MemberMeeting | None:
    """The session with its agenda as ``user`` may see it, or None (not theirs, or unknown)."""
    meeting = meeting_with_agenda(meeting_id)
    mandate = member_mandate(meeting, user) if meeting is not None else None
    if meeting is None or mandate is None:
        return None
    return _with_attendance([(meeting, mandate)])[0]
