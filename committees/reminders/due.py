"""What is due on a day, kind by kind: one ``Due`` per (kind, target, recipient, day due).

A reminder is due from its day (e.g. 7 days before the session) until the event itself,
so that a run missed one day is caught up the next; ``services`` drops those already sent.
Each collector costs a bounded number of queries, whatever the data size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from committees.auth.models import Role, User
from committees.bodies.models import Committee, CommitteeKind, Mandate, Person
from committees.bodies.persons.declarations import latest_declaration_dates
from committees.bodies.rules import declaration_valid_until
from committees.common.timeutils import PARIS
from committees.common.urls import public_url
from committees.extensions import db
from committees.meetings.conduct.recusals import barrings_for
from committees.meetings.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Response,
)
from committees.procedures.models import ProcedureStatus, WrittenProcedure
from committees.procedures.queries import consulted_options
from committees.procedures.services import bar_reasons, member_url
from committees.reminders.kinds import (
    CONVOCATION_DAYS,
    DECLARATION_STAGES,
    ENDINGS_DAYS,
    MINUTES_DAYS,
    PROCEDURE_DAYS,
    SESSION_DAYS,
    Kind,
)


@dataclass(frozen=True)
class Recipient:
    """Where a reminder goes, in which language, and whose opt-outs apply."""

    address: str
    name: str
    locale: str | None
    user_id: int | None


@dataclass(frozen=True)
class Due:
    """One reminder due: what it is about, to whom, from which day, with its e-mail's values."""

    kind: Kind
    target_id: int
    recipient: Recipient
    due_on: date
    context: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, int, str, date]:
        return (self.kind.value, self.target_id, self.recipient.address, self.due_on)


def person_recipient(person: Person) -> Recipient | None:
    """A member's address (their own, else their account's) and language, or None."""
    user = person.user
    address = person.email or (user.email if user is not None else None)
    if not address:
        return None
    return Recipient(
        address.lower(),
        person.display_name,
        user.locale if user is not None else None,
        user.id if user is not None else None,
    )


def secretariat_recipients() -> list[Recipient]:
    """The enabled accounts of the secretariat."""
    users = db.session.execute(
        select(User)
        .where(User.role == Role.SECRETARIAT.value, User.is_enabled.is_(True))
        .order_by(User.id)
    ).scalars()
    return [Recipient(u.email.lower(), u.full_name, u.locale, u.id) for u in users]


def _day(value: datetime) -> date:
    return value.astimezone(PARIS).date()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


# --- declarations of interests --------------------------------------------------------


def declaration_dues(today: date, secretariat: list[Recipient]) -> Iterator[Due]:
    """Members with a current mandate whose declaration ends within 30 days: a reminder at
    30 days, another at 7 (only the latest stage reached is due); the same, gathered,
    to the secretariat."""
    mandates = db.session.execute(
        select(Mandate)
        .where(
            Mandate.start_date <= today,
            or_(Mandate.end_date.is_(None), Mandate.end_date >= today),
        )
        .options(
            selectinload(Mandate.person).selectinload(Person.user),
            selectinload(Mandate.committee),
        )
    ).scalars()
    committees_of: dict[int, list[Committee]] = {}
    persons: dict[int, Person] = {}
    for mandate in mandates:
        persons[mandate.person_id] = mandate.person
        committees_of.setdefault(mandate.person_id, []).append(mandate.committee)
    latest = latest_declaration_dates(persons.keys(), today)
    for person_id, declared_on in latest.items():
        until = declaration_valid_until(declared_on)
        stage = next(
            (s for s in sorted(DECLARATION_STAGES) if until - timedelta(days=s) <= today <= until),
            None,
        )
        if stage is None:
            continue
        person = persons[person_id]
        context = {
            "person": person,
            "declared_on": declared_on,
            "valid_until": until,
            "days_left": (until - today).days,
            "committees": sorted({c.name_fr for c in committees_of[person_id]}),
        }
        due_on = until - timedelta(days=stage)
        recipient = person_recipient(person)
        if recipient is not None:
            context["url"] = public_url("my_declarations.new")
            yield Due(Kind.DECLARATION, person_id, recipient, due_on, context)
        for member_of_staff in secretariat:
            yield Due(Kind.DECLARATIONS_DIGEST, person_id, member_of_staff, due_on, context)


# --- sessions -------------------------------------------------------------------------


def _convened_attendances(today: date, days: int) -> list[Attendance]:
    """Attendances of people convened to a convened session in the next ``days`` days."""
    return list(
        db.session.execute(
            select(Attendance)
            .join(Attendance.meeting)
            .where(
                Attendance.convened_at.is_not(None),
                Meeting.status == MeetingStatus.CONVENED.value,
                Meeting.starts_at >= _start_of(today + timedelta(days=1)),
                Meeting.starts_at < _start_of(today + timedelta(days=days + 1)),
            )
            .options(
                selectinload(Attendance.meeting).selectinload(Meeting.committee),
                selectinload(Attendance.mandate)
                .selectinload(Mandate.person)
                .selectinload(Person.user),
            )
            .order_by(Meeting.starts_at, Attendance.id)
        ).scalars()
    )


def convocation_dues(today: date) -> Iterator[Due]:
    """Convocations still unanswered 7 days (or fewer) before the session."""
    for attendance in _convened_attendances(today, CONVOCATION_DAYS):
        if attendance.response is not None:
            continue
        meeting = attendance.meeting
        recipient = person_recipient(attendance.mandate.person)
        due_on = _day(meeting.starts_at) - timedelta(days=CONVOCATION_DAYS)
        # A convocation sent within the last week is fresh: no reminder on top of it.
        if recipient is None or _day(attendance.convened_at) >= due_on:
            continue
        yield Due(
            Kind.CONVOCATION,
            meeting.id,
            recipient,
            due_on,
            {"meeting": meeting, "url": _my_meeting_url(meeting)},
        )


def _my_meeting_url(meeting: Meeting) -> str:
    return public_url("member_meetings.detail", meeting_id=meeting.id)


def session_dues(today: date) -> Iterator[Due]:
    """Sessions in 2 days (or fewer), to everyone convened who has not sent apologies,
    with the session's documents and its videoconference link."""
    attendances = [
        a
        for a in _convened_attendances(today, SESSION_DAYS)
        if a.response != Response.EXCUSED.value
    ]
    documents = _documents({a.meeting_id for a in attendances})
    # A member recused (or flagged) on an item is not sent its members-only documents.
    barred = barrings_for((a.meeting, a.mandate) for a in attendances)
    for attendance in attendances:
        meeting = attendance.meeting
        recipient = person_recipient(attendance.mandate.person)
        if recipient is None:
            continue
        yield Due(
            Kind.SESSION,
            meeting.id,
            recipient,
            _day(meeting.starts_at) - timedelta(days=SESSION_DAYS),
            {
                "meeting": meeting,
                "url": _my_meeting_url(meeting),
                "documents": [
                    (title, url)
                    for item_id, members_only, title, url in documents.get(meeting.id, [])
                    if not members_only
                    or item_id not in barred[(meeting.id, attendance.mandate_id)]
                ],
            },
        )


def _documents(meeting_ids: set[int]) -> dict[int, list[tuple[int, bool, str, str]]]:
    """(item id, members only, title, member-area address) of each session's documents,
    in agenda order."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(
            AgendaItem.meeting_id,
            AgendaItem.id,
            AgendaDocument.members_only,
            AgendaDocument.id,
            AgendaDocument.title,
        )
        .join(AgendaDocument.item)
        .where(AgendaItem.meeting_id.in_(meeting_ids))
        .order_by(AgendaItem.position, AgendaDocument.id)
    ).all()
    found: dict[int, list[tuple[int, bool, str, str]]] = {}
    for meeting_id, item_id, members_only, document_id, title in rows:
        url = public_url(
            "member_agenda.member_document", meeting_id=meeting_id, document_id=document_id
        )
        found.setdefault(meeting_id, []).append((item_id, members_only, title, url))
    return found


# --- draft minutes --------------------------------------------------------------------


def minutes_dues(today: date) -> Iterator[Due]:
    """Draft minutes whose comment period ends within 2 days, to the session's participants."""
    minutes_list = db.session.execute(
        select(Minutes)
        .where(
            Minutes.status == MinutesStatus.SENT.value,
            Minutes.comments_until >= _start_of(today),
            Minutes.comments_until < _start_of(today + timedelta(days=MINUTES_DAYS + 1)),
        )
        .options(selectinload(Minutes.meeting).selectinload(Meeting.committee))
    ).scalars()
    for minutes in minutes_list:
        meeting = minutes.meeting
        day = _day(meeting.starts_at)
        mandates = db.session.execute(
            select(Mandate)
            .where(
                Mandate.committee_id == meeting.committee_id,
                Mandate.start_date <= day,
                or_(Mandate.end_date.is_(None), Mandate.end_date >= day),
            )
            .options(selectinload(Mandate.person).selectinload(Person.user))
        ).scalars()
        seen: set[str] = set()
        for mandate in mandates:
            recipient = person_recipient(mandate.person)
            if recipient is None or recipient.address in seen:
                continue
            seen.add(recipient.address)
            yield Due(
                Kind.MINUTES_COMMENTS,
                minutes.id,
                recipient,
                _day(minutes.comments_until) - timedelta(days=MINUTES_DAYS),
                {
                    "meeting": meeting,
                    "deadline": minutes.comments_until,
                    "url": public_url("member_minutes.member_view", meeting_id=meeting.id),
                },
            )


# --- written procedures ---------------------------------------------------------------


def procedure_dues(today: date) -> Iterator[Due]:
    """Open written procedures ending within 2 days, to the members who have not answered
    and may vote."""
    procedures = db.session.execute(
        select(WrittenProcedure)
        .where(
            WrittenProcedure.status == ProcedureStatus.OPEN.value,
            WrittenProcedure.deadline >= _start_of(today),
            WrittenProcedure.deadline < _start_of(today + timedelta(days=PROCEDURE_DAYS + 1)),
        )
        .options(*consulted_options())
    ).scalars()
    for procedure in procedures:
        barred = bar_reasons(procedure)
        for row in procedure.consulted:
            recipient = person_recipient(row.mandate.person)
            if row.choice or row.mandate_id in barred or recipient is None:
                continue
            yield Due(
                Kind.PROCEDURE,
                procedure.id,
                recipient,
                _day(procedure.deadline) - timedelta(days=PROCEDURE_DAYS),
                {"procedure": procedure, "url": member_url(procedure)},
            )


# --- endings (secretariat) ------------------------------------------------------------


def endings_dues(today: date, secretariat: list[Recipient]) -> Iterator[Due]:
    """Mandates and temporary committees ending within 60 days, to the secretariat: the
    mandate's target id is its own, the committee's is its id negated (one kind, one digest)."""
    if not secretariat:
        return
    horizon = today + timedelta(days=ENDINGS_DAYS)
    mandates = db.session.execute(
        select(Mandate)
        .where(Mandate.end_date.is_not(None), Mandate.end_date.between(today, horizon))
        .options(selectinload(Mandate.person), selectinload(Mandate.committee))
        .order_by(Mandate.end_date, Mandate.id)
    ).scalars()
    committees = db.session.execute(
        select(Committee)
        .where(
            Committee.kind == CommitteeKind.TEMPORARY.value,
            Committee.end_date.is_not(None),
            Committee.end_date.between(today, horizon),
        )
        .order_by(Committee.end_date, Committee.id)
    ).scalars()
    entries = [
        (-c.id, c.end_date, {"committee": c, "mandate": None, "ends_on": c.end_date})
        for c in committees
    ] + [
        (m.id, m.end_date, {"committee": m.committee, "mandate": m, "ends_on": m.end_date})
        for m in mandates
    ]
    for target_id, ends_on, context in entries:
        for recipient in secretariat:
            yield Due(
                Kind.ENDINGS_DIGEST,
                target_id,
                recipient,
                ends_on - timedelta(days=ENDINGS_DAYS),
                context,
            )
