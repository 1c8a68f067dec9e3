"""Who is expected at a session and how they answer their convocation: from the personal
link of the e-mail (its token is the key) or, signed in, from their dashboard.

Only the SHA-256 of an answer token is stored; the token itself is in the e-mail alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.bodies.models import Mandate, MandateRole, Person
from committees.bodies.persons.services import person_for_user
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.conduct.services import attendance_by_mandate, expected_mandates
from committees.meetings.models import Attendance, Meeting, MeetingStatus, Response
from committees.meetings.scheduling.services import MeetingError

# --- reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """One expected participant of a session, as the convocation screen shows them."""

    mandate: Mandate
    attendance: Attendance | None

    @property
    def person(self) -> Person:
        return self.mandate.person

    @property
    def email(self) -> str | None:
        return self.mandate.person.email or None

    @property
    def is_expert(self) -> bool:
        return self.mandate.role == MandateRole.INVITED_EXPERT

    @property
    def response(self) -> str | None:
        return self.attendance.response if self.attendance else None


def participants(meeting: Meeting) -> list[Participant]:
    """The session's expected members and invited experts with their attendance row.

    Two queries whatever the number of participants.
    """
    rows = attendance_by_mandate(meeting)
    return [Participant(m, rows.get(m.id)) for m in expected_mandates(meeting)]


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which an answer token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def attendance_for_token(token: str) -> Attendance | None:
    """The attendance row an answer link points to, with its session and person, or None."""
    if not token or len(token) > 200:
        return None
    return db.session.execute(
        select(Attendance)
        .where(Attendance.response_token_hash == hash_token(token))
        .options(
            selectinload(Attendance.meeting).selectinload(Meeting.committee),
            selectinload(Attendance.mandate).selectinload(Mandate.person),
        )
    ).scalar_one_or_none()


def mandate_of_user(meeting: Meeting, user: User) -> Mandate | None:
    """The mandate under which the signed-in ``user`` is expected at ``meeting``, or None."""
    person = person_for_user(user)
    if person is None:
        return None
    return next((m for m in expected_mandates(meeting) if m.person_id == person.id), None)


def convocations_to_answer(user: User, *, now: datetime | None = None) -> list[Attendance]:
    """The convened, upcoming sessions ``user`` has not answered yet, soonest first.

    At most four queries (person, attendances, sessions, committees).
    """
    person = person_for_user(user)
    if person is None:
        return []
    return list(
        db.session.execute(
            select(Attendance)
            .join(Attendance.meeting)
            .join(Attendance.mandate)
            .where(
                Mandate.person_id == person.id,
                Attendance.response.is_(None),
                Meeting.convened_at.is_not(None),
                Meeting.status == MeetingStatus.CONVENED.value,
                Meeting.starts_at > (now or utcnow()),
            )
            .options(selectinload(Attendance.meeting).selectinload(Meeting.committee))
            .order_by(Meeting.starts_at)
        ).scalars()
    )


# --- answers ------------------------------------------------------------------------


def check_answerable(meeting: Meeting, *, now: datetime | None = None) -> None:
    """Refuse an answer to a session that is cancelled, not convened or already begun."""
    if meeting.is_cancelled:
        raise MeetingError(
            _("Cette séance a été annulée ou reportée : aucune réponse n'est attendue.")
        )
    if meeting.convened_at is None:
        raise MeetingError(_("Les convocations à cette séance n'ont pas encore été envoyées."))
    if (now or utcnow()) >= meeting.starts_at:
        raise MeetingError(
            _("La séance a commencé : il n'est plus possible de répondre à la convocation.")
        )


def is_answerable(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Whether answers to ``meeting``'s convocation are still taken (``check_answerable``)."""
    try:
        check_answerable(meeting, now=now)
    except MeetingError:
        return False
    return True


def record_answer(
    attendance: Attendance, response: Response | str, *, now: datetime | None = None
) -> Attendance:
    """Record a participant's answer (attending, remote or excused) until the session starts."""
    check_answerable(attendance.meeting, now=now)
    attendance.response = Response(response).value
    attendance.responded_at = now or utcnow()
    db.session.flush()
    return attendance


def answer_as_member(
    meeting: Meeting, user: User, response: Response | str, *, now: datetime | None = None
) -> Attendance:
    """The signed-in member answers from their dashboard; they must be expected."""
    mandate = mandate_of_user(meeting, user)
    if mandate is None:
        raise MeetingError(_("Vous n'êtes pas attendu·e à cette séance."))
    check_answerable(meeting, now=now)
    attendance = attendance_by_mandate(meeting).get(mandate.id)
    if attendance is None:
        attendance = Attendance(meeting=meeting, mandate=mandate)
        db.session.add(attendance)
    return record_answer(attendance, response, now=now)
