"""Demo follow-up actions and experts' fees for the CST Suivi in 2022: the held March
session decides three actions (one carried to the April and May sessions and closed in
May, one for an agency service still open, one internal); the April and May sessions
record their attendance; the committee's rates are set (150 € in person, 100 € remote,
75 € a half day), so the demo member's certificates and 2022 statement are available."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select

from committees.auth.models import User
from committees.bodies.models import Mandate, Person
from committees.extensions import db
from committees.meetings.certificates.services import set_rates
from committees.meetings.conduct.services import expected_mandates, record_presence
from committees.meetings.models import (
    AssigneeKind,
    Attendance,
    FollowUpAction,
    Meeting,
    MeetingStatus,
    Presence,
)
from committees.meetings.rules import paris_to_utc

RATES = {"in_person": Decimal("150.00"), "remote": Decimal("100.00"), "half_day": Decimal("75.00")}


def _next_sessions(held: Meeting, count: int) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.committee_id == held.committee_id,
                Meeting.starts_at > held.starts_at,
                Meeting.status == MeetingStatus.HELD.value,
            )
            .order_by(Meeting.starts_at)
            .limit(count)
        )
    )


def _attend(meeting: Meeting) -> None:
    """Everyone present, the second member remote (sessions without attendance only)."""
    if db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id)):
        return
    mandates = expected_mandates(meeting)
    presences = {m.id: Presence.PRESENT for m in mandates}
    if len(mandates) > 1:
        presences[mandates[1].id] = Presence.REMOTE
    record_presence(meeting, presences)


def seed_follow_up(held: Meeting, member_email: str) -> None:
    """The CST Suivi's 2022 actions, attendance and rates (safe to run again)."""
    if db.session.scalar(select(FollowUpAction.id).where(FollowUpAction.meeting_id == held.id)):
        return
    following = _next_sessions(held, 2)
    for meeting in following:
        _attend(meeting)
    set_rates(held.committee, RATES)
    member = db.session.scalar(
        select(Mandate)
        .join(Mandate.person)
        .join(User, Person.user_id == User.id)
        .where(Mandate.committee_id == held.committee_id, User.email == member_email)
        .limit(1)
    )
    item = next((i for i in held.items if i.kind == "opinion"), None)
    note = FollowUpAction(
        meeting_id=held.id,
        item_id=item.id if item else None,
        description="Rédiger la note de synthèse sur les effets indésirables en cancérologie "
        "pour la direction générale",
        assignee_kind=AssigneeKind.MEMBER.value if member else AssigneeKind.SECRETARIAT.value,
        assignee_mandate_id=member.id if member else None,
        assignee_text="",
        due_on=date(2022, 4, 22),
        is_public=True,
        closing_note="",
    )
    if len(following) > 1:
        closed_on = following[1].ends_at.date()
        note.closed_at = paris_to_utc(closed_on, time(18, 0)).astimezone(UTC)
        note.closing_note = "Note remise à la direction générale et présentée en séance."
    service = FollowUpAction(
        meeting_id=held.id,
        item_id=item.id if item else None,
        description="Mettre à jour la fiche d'information des patients en cancérologie",
        assignee_kind=AssigneeKind.SERVICE.value,
        assignee_text="Direction des médicaments en neurologie",
        due_on=date(2022, 6, 30),
        is_public=True,
        closing_note="",
    )
    internal = FollowUpAction(
        meeting_id=held.id,
        description="Relancer les centres qui n'ont pas transmis leurs données d'inclusion",
        assignee_kind=AssigneeKind.SECRETARIAT.value,
        assignee_text="",
        due_on=date(2022, 4, 15),
        is_public=False,
        closed_at=datetime.combine(date(2022, 4, 14), time(9, 0), tzinfo=UTC),
        closing_note="Relance envoyée le 14 avril ; toutes les données reçues.",
    )
    db.session.add_all([note, service, internal])
    db.session.flush()
