"""The rules of attendance certificates and experts' fees.

A session counts when the member's presence was recorded as present or remote
(``COUNTS_AS_PRESENT``) and the session was not cancelled. Its kind of fee: a session of
at most ``HALF_DAY_HOURS`` hours is a half day (whatever the mode); a longer one is paid in
person or remote after the recorded presence. Amounts are Decimal euros, never floats; a
session whose committee has no rate for its kind is listed with no amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.bodies.models import Committee, Mandate, Person
from committees.common.timeutils import to_paris
from committees.extensions import db
from committees.meetings.certificates import codes
from committees.meetings.models import (
    COUNTS_AS_PRESENT,
    Attendance,
    FeeKind,
    FeeRate,
    Meeting,
    MeetingStatus,
    Presence,
)
from committees.meetings.rules import paris_to_utc

#: a session this long or shorter is paid as a half day
HALF_DAY_HOURS = 4
CENT = Decimal("0.01")


class RateError(ValueError):
    """A rate refused (negative, too large), with the reason shown beside its field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _counted() -> Select:
    """Attendances that count, with their session, committee and person loaded."""
    return (
        select(Attendance)
        .join(Attendance.meeting)
        .join(Attendance.mandate)
        .join(Mandate.person)
        .where(
            Attendance.presence.in_([p.value for p in COUNTS_AS_PRESENT]),
            Meeting.status.not_in([MeetingStatus.CANCELLED.value, MeetingStatus.POSTPONED.value]),
        )
        .options(
            selectinload(Attendance.meeting).selectinload(Meeting.committee),
            selectinload(Attendance.mandate).selectinload(Mandate.person),
        )
        .order_by(Meeting.starts_at, Person.last_name, Person.first_name, Attendance.id)
    )


def _in_year(query: Select, year: int) -> Select:
    start = paris_to_utc(date(year, 1, 1), time())
    end = paris_to_utc(date(year + 1, 1, 1), time())
    return query.where(Meeting.starts_at >= start, Meeting.starts_at < end)


def fee_kind(attendance: Attendance) -> FeeKind:
    """The kind of fee a counted attendance is paid at (see the module's rule)."""
    meeting = attendance.meeting
    if meeting.ends_at - meeting.starts_at <= timedelta(hours=HALF_DAY_HOURS):
        return FeeKind.HALF_DAY
    return FeeKind.REMOTE if attendance.presence == Presence.REMOTE else FeeKind.IN_PERSON


# --- certificates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    """What an attendance certificate states, and its verification code."""

    attendance: Attendance
    person_name: str
    committee_name: str
    day: date
    presence: str
    code: str


def facts_of(attendance: Attendance) -> tuple[str, ...]:
    """The facts a certificate states, as signed by its code."""
    meeting = attendance.meeting
    return (
        attendance.mandate.person.display_name,
        meeting.committee.name_fr,
        to_paris(meeting.starts_at).date().isoformat(),
        attendance.presence or "",
    )


def certificate_of(attendance: Attendance) -> Certificate:
    """The certificate of a counted attendance."""
    facts = facts_of(attendance)
    return Certificate(
        attendance=attendance,
        person_name=facts[0],
        committee_name=facts[1],
        day=to_paris(attendance.meeting.starts_at).date(),
        presence=attendance.presence or "",
        code=codes.sign(attendance.id, facts),
    )


def counted_attendance(attendance_id: int) -> Attendance | None:
    """The attendance if it counts (a certificate exists for it), else None."""
    return db.session.scalars(_counted().where(Attendance.id == attendance_id)).first()


def user_attendance(user: User, attendance_id: int) -> Attendance | None:
    """The counted attendance if it is ``user``'s own, else None (another's answers 404)."""
    attendance = counted_attendance(attendance_id)
    if attendance is None or attendance.mandate.person.user_id != user.id:
        return None
    return attendance


def user_certificates(user: User) -> list[Certificate]:
    """Every certificate of the member tied to ``user``, oldest session first."""
    query = _counted().where(Person.user_id == user.id)
    return [certificate_of(a) for a in db.session.scalars(query)]


def verify(code: str) -> Certificate | None:
    """The certificate a code proves, or None when the code is malformed, altered, or the
    facts it signed have changed since it was printed."""
    attendance_id = codes.parse(code)
    if attendance_id is None:
        return None
    attendance = counted_attendance(attendance_id)
    if attendance is None or not codes.matches(code, attendance_id, facts_of(attendance)):
        return None
    return certificate_of(attendance)


# --- rates and statements -------------------------------------------------------------


def rates_of(committee_ids: set[int]) -> dict[tuple[int, str], Decimal]:
    """The rates of these committees, by (committee id, fee kind) (one query)."""
    if not committee_ids:
        return {}
    rows = db.session.scalars(select(FeeRate).where(FeeRate.committee_id.in_(committee_ids)))
    return {(r.committee_id, r.kind): r.amount for r in rows}


def set_rates(committee: Committee, amounts: dict[str, Decimal | None]) -> None:
    """Set the committee's rate of each kind (None removes it); flushed, not committed."""
    existing = {
        r.kind: r
        for r in db.session.scalars(select(FeeRate).where(FeeRate.committee_id == committee.id))
    }
    for kind in FeeKind:
        amount = amounts.get(kind.value)
        if amount is not None and (amount < 0 or amount >= Decimal("100000")):
            raise RateError(_("Indiquez un montant entre 0 et 99 999,99 €."), kind.value)
        row = existing.get(kind.value)
        if amount is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(
                FeeRate(committee_id=committee.id, kind=kind.value, amount=amount.quantize(CENT))
            )
        else:
            row.amount = amount.quantize(CENT)
    db.session.flush()


@dataclass(frozen=True)
class StatementLine:
    """One session attended and what it is paid (None: no rate set)."""

    attendance: Attendance
    kind: FeeKind
    amount: Decimal | None


@dataclass(frozen=True)
class Statement:
    """A member's sessions attended in a year in a committee, and the total due."""

    person: Person
    committee: Committee
    year: int
    lines: list[StatementLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.amount is not None), Decimal("0.00"))


def _statements(attendances: Sequence[Attendance], year: int) -> list[Statement]:
    """One statement per person of ``attendances`` (all of one committee)."""
    rates = rates_of({a.meeting.committee_id for a in attendances})
    by_person: dict[int, list[StatementLine]] = {}
    people: dict[int, Person] = {}
    for attendance in attendances:
        person = attendance.mandate.person
        kind = fee_kind(attendance)
        amount = rates.get((attendance.meeting.committee_id, kind.value))
        people[person.id] = person
        by_person.setdefault(person.id, []).append(StatementLine(attendance, kind, amount))
    ordered = sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.id))
    return [
        Statement(p, by_person[p.id][0].attendance.meeting.committee, year, by_person[p.id])
        for p in ordered
    ]


def user_statement(user: User, committee_id: int, year: int) -> Statement | None:
    """The statement of ``year`` in one committee of the member tied to ``user`` (None: no
    session attended there that year)."""
    query = _counted().where(Person.user_id == user.id, Meeting.committee_id == committee_id)
    found = _statements(db.session.scalars(_in_year(query, year)).all(), year)
    return found[0] if found else None


def person_statement(person_id: int, committee_id: int, year: int) -> Statement | None:
    """The statement of ``year`` of one person in one committee, for the secretariat."""
    query = _counted().where(Person.id == person_id, Meeting.committee_id == committee_id)
    found = _statements(db.session.scalars(_in_year(query, year)).all(), year)
    return found[0] if found else None


def committee_statements(committee: Committee, year: int) -> list[Statement]:
    """Every member's statement of ``year`` for the sessions of ``committee``."""
    query = _in_year(_counted().where(Meeting.committee_id == committee.id), year)
    return _statements(db.session.scalars(query).all(), year)


def statement_keys(certificates: Sequence[Certificate]) -> list[tuple[Committee, int]]:
    """The (committee, year) pairs these certificates fall in, latest year first: one
    statement each."""
    keys = {(c.attendance.meeting.committee, c.day.year) for c in certificates}
    return sorted(keys, key=lambda k: (-k[1], k[0].name_fr))
