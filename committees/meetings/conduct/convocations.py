"""Convocations: the invitation e-mails with their .ics, updates and cancellations.

Convening puts one message per expected participant with an e-mail in the outbox, in
the caller's transaction: if the caller rolls back, nothing is sent. Each message carries
a personal answer link whose random token is known only to the e-mail; the database
keeps its SHA-256 (``answers.py`` reads it back).

Convening again (after a significant change) sends fresh messages with the session's
current SEQUENCE and **new tokens**: the links of earlier messages stop working, while
the answers already given are kept (the person changes them from the new link or from
their dashboard). Keeping the old tokens is impossible anyway, since only their hashes
are stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Mandate, Person
from committees.bodies.rules import language_of
from committees.common.ics import (
    CANCEL_CONTENT_TYPE,
    REQUEST_CONTENT_TYPE,
    build_calendar,
    meeting_event,
    person_from_address,
    to_bytes,
)
from committees.common.ics import Person as CalendarPerson
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.models import OutboxMessage
from committees.mail.services import queue_email
from committees.meetings.agenda.hearings import tell_session_change
from committees.meetings.conduct.answers import Participant, hash_token, participants
from committees.meetings.labels import TEMPLATE_LABELS
from committees.meetings.models import AgendaItem, Attendance, Meeting, MeetingFormat, MeetingStatus
from committees.meetings.pack.notices import record_sent_to
from committees.meetings.scheduling.services import (
    MeetingError,
    cancel_meeting,
    postpone_meeting,
    update_meeting,
)

#: file name of the calendar attachment, as most clients expect it
INVITATION_FILENAME = "invitation.ics"


# --- sending ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConveneReport:
    """What convening did: messages queued, participants left without an e-mail."""

    sent: int
    without_email: list[Participant]


def convene(meeting: Meeting, *, now: datetime | None = None) -> ConveneReport:
    """Put one convocation per expected participant with an e-mail in the outbox.

    Each message holds the full agenda (closed items included: members see all), the
    practical details, a personal answer link and an .ics invitation (METHOD:REQUEST,
    the session's UID and SEQUENCE, this recipient as the only ATTENDEE). The session
    becomes « convoquée ». Sending again re-sends with the current SEQUENCE and new links.
    """
    now = now or utcnow()
    if meeting.is_cancelled:
        raise MeetingError(_("Une séance annulée ou reportée ne peut pas être convoquée."))
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_ADOPTED):
        raise MeetingError(_("Cette séance s'est déjà tenue."))
    if now >= meeting.starts_at:
        raise MeetingError(_("La séance a commencé : il est trop tard pour convoquer."))
    people = participants(meeting)
    reachable = [p for p in people if p.email]
    if not reachable:
        raise MeetingError(_("Aucun participant attendu n'a d'adresse e-mail."))
    items = _agenda(meeting)
    for participant in people:
        attendance = participant.attendance or _new_attendance(meeting, participant.mandate)
        if participant.email:
            token = secrets.token_urlsafe(32)
            attendance.response_token_hash = hash_token(token)
            attendance.convened_at = now
            _queue_convocation(meeting, items, participant, attendance, token)
    meeting.convened_at = now
    # The convocation links to the pack: what it holds now is what they were sent.
    record_sent_to(meeting, [p.mandate for p in reachable])
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.CONVENED.value
    db.session.flush()
    return ConveneReport(sent=len(reachable), without_email=[p for p in people if not p.email])


def convocation_deliveries(people: Sequence[Participant]) -> dict[int, Row]:
    """Where each participant's last convocation e-mail stands, by attendance id: a row
    of ``status`` (OutboxStatus) and ``last_error``, so that the page shows one that
    failed for good, and why (one query)."""
    by_message = {
        p.attendance.convocation_message_id: p.attendance.id
        for p in people
        if p.attendance is not None and p.attendance.convocation_message_id is not None
    }
    if not by_message:
        return {}
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.last_error).where(
            OutboxMessage.id.in_(by_message)
        )
    )
    return {by_message[row.id]: row for row in rows}


def send_cancellation(meeting: Meeting) -> int:
    """Tell everyone convened that the session is cancelled (METHOD:CANCEL, same UID).

    Uses the session's current SEQUENCE, which cancelling or postponing has raised
    above the one of the invitations. Returns how many messages were queued.
    """
    convened = _convened(meeting)
    for attendance in convened:
        person = attendance.mandate.person
        ics = _calendar(meeting, person, method="CANCEL")
        queue_email(
            person.email,
            _l("Annulation : %(title)s", title=meeting.title),
            "meetings/cancellation",
            locale=language_of(person),
            kind="meeting_cancellation",
            attachments=[(INVITATION_FILENAME, CANCEL_CONTENT_TYPE, ics)],
            meeting=meeting,
            person=person,
            labels=TEMPLATE_LABELS,
        )
        # The old answer link must not accept answers to a cancelled session.
        attendance.response_token_hash = None
    db.session.flush()
    return len(convened)


def _convened(meeting: Meeting) -> list[Attendance]:
    """The attendances of the people convened to ``meeting`` who have an e-mail."""
    return [
        a
        for a in db.session.execute(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id, Attendance.convened_at.is_not(None))
            .options(selectinload(Attendance.mandate).selectinload(Mandate.person))
        ).scalars()
        if a.mandate.person.email
    ]


def send_update(meeting: Meeting) -> int:
    """Send everyone convened the session as it now is (METHOD:REQUEST, same UID, the
    raised SEQUENCE), so that their calendars follow a new time, place or format.

    The answer links already sent stay valid; the invitation's text points to the member
    area, never to a personal link. Returns how many messages were queued.
    """
    convened = _convened(meeting)
    items = _agenda(meeting)
    my_meeting_url = _my_meeting_url(meeting)
    for attendance in convened:
        person = attendance.mandate.person
        ics = _invitation(meeting, person, items, my_meeting_url)
        queue_email(
            person.email,
            _l("Séance modifiée : %(title)s", title=meeting.title),
            "meetings/update",
            locale=language_of(person),
            kind="meeting_update",
            attachments=[(INVITATION_FILENAME, REQUEST_CONTENT_TYPE, ics)],
            labels=TEMPLATE_LABELS,
            meeting=meeting,
            person=person,
            my_meeting_url=my_meeting_url,
        )
    db.session.flush()
    return len(convened)


def update_and_notify(meeting: Meeting, **fields) -> tuple[bool, int]:
    """Change a session and, when the change matters to calendars (SEQUENCE raised) and
    the session was convened, send the update to everyone convened (not committed).

    Returns (whether the change was significant, how many updates were queued).
    """
    times = (meeting.starts_at, meeting.ends_at)
    significant = update_meeting(meeting, **fields)
    if times != (meeting.starts_at, meeting.ends_at) and not meeting.is_cancelled:
        tell_session_change(meeting, "moved")  # those heard at the session are told
    if not significant or meeting.convened_at is None or meeting.is_cancelled:
        return significant, 0
    return significant, send_update(meeting)


def cancel_and_notify(meeting: Meeting, reason: str) -> int:
    """Cancel the session and send the cancellation to everyone convened (not committed)."""
    cancel_meeting(meeting, reason)
    tell_session_change(meeting, "cancelled")
    return send_cancellation(meeting)


def postpone_and_notify(
    meeting: Meeting, starts_at: datetime, ends_at: datetime, reason: str
) -> Meeting:
    """Postpone the session and withdraw it from the convened people's calendars.

    The new session is convened separately, once its agenda is ready.
    """
    replacement = postpone_meeting(meeting, starts_at, ends_at, reason)
    tell_session_change(meeting, "cancelled")
    send_cancellation(meeting)
    return replacement


# --- message building ---------------------------------------------------------------


def _new_attendance(meeting: Meeting, mandate: Mandate) -> Attendance:
    attendance = Attendance(meeting=meeting, mandate=mandate)
    db.session.add(attendance)
    return attendance


def _agenda(meeting: Meeting) -> Sequence[AgendaItem]:
    return (
        db.session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
        .scalars()
        .all()
    )


def _calendar(meeting: Meeting, person: Person, *, method: str, description: str = "") -> bytes:
    event = meeting_event(
        meeting,
        summary=meeting.title,
        description=description,
        location=_location(meeting),
        organizer=person_from_address(current_app.config["MAIL_DEFAULT_SENDER"]),
        attendee=CalendarPerson(person.email or "", f"{person.first_name} {person.last_name}"),
        cancelled=method == "CANCEL",
    )
    return to_bytes(build_calendar([event], method=method))


def _location(meeting: Meeting) -> str:
    """Where to go: the place, and for remote formats the link (members only: fine here)."""
    parts = []
    if meeting.format != MeetingFormat.VIDEOCONFERENCE and meeting.place:
        parts.append(meeting.place)
    if meeting.format != MeetingFormat.ON_SITE and meeting.remote_link:
        parts.append(meeting.remote_link)
    return " — ".join(parts)


def _queue_convocation(
    meeting: Meeting,
    items: Sequence[AgendaItem],
    participant: Participant,
    attendance: Attendance,
    token: str,
) -> None:
    person = participant.person
    answer_url = public_url("public_conduct.answer", token=token)
    my_meeting_url = _my_meeting_url(meeting)
    ics = _invitation(meeting, person, items, my_meeting_url)
    # Kept on the attendance: the convocations page shows whether it left, or why not.
    attendance.convocation_message = queue_email(
        person.email,
        _l("Convocation : %(title)s", title=meeting.title),
        "meetings/convocation",
        locale=language_of(person),
        kind="meeting_convocation",
        attachments=[(INVITATION_FILENAME, REQUEST_CONTENT_TYPE, ics)],
        labels=TEMPLATE_LABELS,
        meeting=meeting,
        items=items,
        person=person,
        participant=participant,
        attendance=attendance,
        secrets={"answer_url": answer_url},
        my_meeting_url=my_meeting_url,
        pack_url=_pack_url(meeting),
    )


def _pack_url(meeting: Meeting) -> str | None:
    """The member's session pack (dossier de séance), when the member area is served."""
    if "member_pack.pack" in current_app.view_functions:
        return public_url("member_pack.pack", meeting_id=meeting.id)
    return None


def _my_meeting_url(meeting: Meeting) -> str:
    """The session's page in the member area (sign-in first), or the dashboard."""
    if "member_meetings.detail" in current_app.view_functions:
        return public_url("member_meetings.detail", meeting_id=meeting.id)
    return public_url("dashboard.index")


def _invitation(meeting: Meeting, person: Person, items: Sequence[AgendaItem], link: str) -> bytes:
    """The METHOD:REQUEST calendar of ``person``: the agenda and ``link`` as its text.

    The calendar copy of an invitation may be shared or synced: ``link`` is the member
    area, never the personal answer link of the e-mail.
    """
    description = "\n".join([f"{item.position}. {item.title}" for item in items] + ["", link])
    return _calendar(meeting, person, method="REQUEST", description=description)
