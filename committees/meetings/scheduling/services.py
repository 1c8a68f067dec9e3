"""Scheduling sessions: create one or a series, change, cancel, postpone, mark as held,
and the warnings to read before confirming a schedule.

Conducting a session lives in ``conduct/``, its minutes in ``minutes/``. Functions add to
the session and flush; the caller commits (or rolls back on ``MeetingError``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee, Mandate, Person
from committees.common.timeutils import PARIS, to_paris
from committees.extensions import db
from committees.meetings.models import Meeting, MeetingStatus
from committees.meetings.rules import SeriesRule, has_started, overlaps, series_dates, within_period

#: Changes that calendar clients must hear about: they raise the iCalendar SEQUENCE.
SIGNIFICANT_FIELDS = frozenset({"starts_at", "ends_at", "place", "format", "remote_link", "status"})


class MeetingError(ValueError):
    """A rule about sessions was broken; the message is for the person.

    ``field`` names the form field the message belongs beside (None: the whole form).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- scheduling -----------------------------------------------------------------------


def next_number(committee: Committee) -> int:
    """The number the committee's next session gets."""
    current = db.session.execute(
        select(func.max(Meeting.number)).where(Meeting.committee_id == committee.id)
    ).scalar()
    return (current or 0) + 1


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise MeetingError(_("La fin de la séance doit suivre son début."))


def check_in_period(committee: Committee, starts_at: datetime) -> None:
    """Refuse a session dated outside its committee's period, as mandates are refused."""
    day = to_paris(starts_at).date()
    if not within_period(day, committee.start_date, committee.end_date):
        if committee.end_date is None:
            message = _(
                "La séance doit avoir lieu pendant la période du comité (à partir du %(start)s).",
                start=committee.start_date.strftime("%d/%m/%Y"),
            )
        else:
            message = _(
                "La séance doit avoir lieu pendant la période du comité (du %(start)s au %(end)s).",
                start=committee.start_date.strftime("%d/%m/%Y"),
                end=committee.end_date.strftime("%d/%m/%Y"),
            )
        raise MeetingError(message, field="day")


def check_started(meeting: Meeting, now: datetime) -> None:
    """Refuse attendance, votes, « held » and minutes for a session that has not started."""
    if not has_started(meeting.starts_at, now):
        raise MeetingError(_("La séance n'a pas encore eu lieu."))


def create_meeting(
    committee: Committee, *, title: str, starts_at: datetime, ends_at: datetime, **fields
) -> Meeting:
    """Schedule one session of ``committee``, numbered after the last one, in its period."""
    _check_times(starts_at, ends_at)
    check_in_period(committee, starts_at)
    meeting = Meeting(
        committee=committee,
        number=next_number(committee),
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def check_editable(meeting: Meeting) -> None:
    """Refuse to edit a cancelled or postponed session: it stays in calendars as it was
    cancelled, and a postponed one lives on in the session it was postponed to."""
    if meeting.is_cancelled:
        raise MeetingError(
            _("Une séance annulée ou reportée ne se modifie plus : planifiez-en une nouvelle.")
        )


def update_meeting(meeting: Meeting, **fields) -> bool:
    """Change a session; returns whether the change was significant (SEQUENCE raised)."""
    _check_times(fields.get("starts_at", meeting.starts_at), fields.get("ends_at", meeting.ends_at))
    if "starts_at" in fields and fields["starts_at"] != meeting.starts_at:
        check_in_period(meeting.committee, fields["starts_at"])
    significant = any(
        key in SIGNIFICANT_FIELDS and getattr(meeting, key) != value
        for key, value in fields.items()
    )
    for key, value in fields.items():
        setattr(meeting, key, value)
    if significant:
        meeting.sequence += 1
    db.session.flush()
    return significant


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Cancel a session; it stays in calendars as cancelled."""
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_ADOPTED):
        raise MeetingError(_("Une séance tenue ne peut pas être annulée."))
    if meeting.is_cancelled:
        raise MeetingError(_("Cette séance est déjà annulée ou reportée."))
    update_meeting(meeting, status=MeetingStatus.CANCELLED.value, status_reason=reason.strip())


def postpone_meeting(
    meeting: Meeting, starts_at: datetime, ends_at: datetime, reason: str
) -> Meeting:
    """Postpone a session to a new one (a new session, pointed to by the old)."""
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_ADOPTED):
        raise MeetingError(_("Une séance tenue ne peut pas être reportée."))
    if meeting.is_cancelled:
        raise MeetingError(_("Cette séance est déjà annulée ou reportée."))
    replacement = create_meeting(
        meeting.committee,
        title=meeting.title,
        starts_at=starts_at,
        ends_at=ends_at,
        format=meeting.format,
        place=meeting.place,
        remote_link=meeting.remote_link,
        is_public=meeting.is_public,
    )
    meeting.postponed_to = replacement
    update_meeting(meeting, status=MeetingStatus.POSTPONED.value, status_reason=reason.strip())
    return replacement


def mark_held(meeting: Meeting, now: datetime) -> None:
    """Record that a planned or convened session took place (only once it has started).

    The calendars need not hear of it: the SEQUENCE stays as it is.
    """
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CONVENED):
        raise MeetingError(
            _("Seule une séance programmée ou convoquée peut être marquée comme tenue.")
        )
    check_started(meeting, now)
    meeting.status = MeetingStatus.HELD.value
    db.session.flush()


@dataclass
class SchedulingWarning:
    """Something the secretariat should know before confirming a schedule."""

    message: str


def scheduling_warnings(
    committee: Committee,
    slots: Sequence[tuple[datetime, datetime]],
    *,
    exclude_id: int | None = None,
) -> list[SchedulingWarning]:
    """Two sessions of the committee on one day; members expected in overlapping sessions."""
    if not slots:
        return []
    low, high = min(s for s, _ in slots), max(e for _, e in slots)
    query = (
        select(Meeting)
        .where(
            Meeting.starts_at < high,
            Meeting.ends_at > low,
            Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
        )
        .options(selectinload(Meeting.committee))
    )
    if exclude_id is not None:
        query = query.where(Meeting.id != exclude_id)
    # Same-day clashes need the whole days around the slots, not only overlapping times.
    day_query = select(Meeting).where(
        Meeting.committee_id == committee.id,
        Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
    )
    if exclude_id is not None:
        day_query = day_query.where(Meeting.id != exclude_id)
    existing_days = {
        to_paris(m.starts_at).date(): m for m in db.session.execute(day_query).scalars()
    }
    others = db.session.execute(query).scalars().all()

    warnings: list[SchedulingWarning] = []
    seen_days: set[date] = set()
    for start, _end in slots:
        day = to_paris(start).date()
        if day in existing_days or day in seen_days:
            warnings.append(
                SchedulingWarning(
                    _("Le comité a déjà une séance le %(day)s.", day=day.strftime("%d/%m/%Y"))
                )
            )
        seen_days.add(day)
    warnings.extend(
        _member_clashes(committee, slots, [m for m in others if m.committee_id != committee.id])
    )
    return warnings


def _member_clashes(
    committee: Committee, slots: Sequence[tuple[datetime, datetime]], others: Sequence[Meeting]
) -> list[SchedulingWarning]:
    if not others:
        return []
    ours = persons_with_mandates([committee.id])
    theirs = persons_with_mandates({m.committee_id for m in others})
    warnings = []
    for slot in slots:
        for meeting in others:
            if not overlaps(slot, (meeting.starts_at, meeting.ends_at)):
                continue
            common = ours.get(committee.id, set()) & theirs.get(meeting.committee_id, set())
            for name in sorted(common):
                warnings.append(
                    SchedulingWarning(
                        _(
                            "%(person)s est aussi attendu·e à la séance « %(title)s » du %(when)s.",
                            person=name,
                            title=meeting.title,
                            when=to_paris(meeting.starts_at).strftime("%d/%m/%Y %H:%M"),
                        )
                    )
                )
    return warnings


def persons_with_mandates(committee_ids: Iterable[int]) -> dict[int, set[str]]:
    """Names of the persons holding an open or future mandate, per committee (one query)."""
    rows = db.session.execute(
        select(Mandate.committee_id, Person.first_name, Person.last_name)
        .join(Mandate.person)
        .where(Mandate.committee_id.in_(list(committee_ids)))
    ).all()
    result: dict[int, set[str]] = defaultdict(set)
    for committee_id, first, last in rows:
        result[committee_id].add(f"{first} {last}")
    return result


def plan_series(committee: Committee, rule: SeriesRule, *, title: str, **fields) -> list[Meeting]:
    """Create every session of a series (times kept in Paris time across DST changes)."""
    slots = series_dates(rule)
    if not slots:
        raise MeetingError(_("Cette règle ne produit aucune séance sur la période."))
    if rule.end_time <= rule.start_time:
        raise MeetingError(_("La fin de la séance doit suivre son début."))
    meetings = []
    for start, end in slots:
        label = to_paris(start).strftime("%d/%m/%Y")
        meetings.append(
            create_meeting(
                committee,
                title=title.replace("{date}", label),
                starts_at=start,
                ends_at=end,
                **fields,
            )
        )
    return meetings


# --- the session's day -----------------------------------------------------------------


def meeting_day(meeting: Meeting) -> date:
    """The session's date in Paris, against which mandates and declarations are read."""
    return meeting.starts_at.astimezone(PARIS).date()
