"""Minutes (compte rendu) of a session: the draft (prefilled by ``prefill.py``), revisions,
sending, adoption, publication, and the one rule on who sees and edits them.

Functions add to the session and flush; the caller commits (or rolls back on
``MeetingError``). A revision is never changed once written: every save adds one, with
all its sections (``sections.py``), naming the revision it started from, so that two
people editing at once never overwrite each other (``StaleRevision``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.auth.permissions import Permission, has_permission
from committees.common.timeutils import paris_today, utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.follows import events as follow_events
from committees.mail.services import queue_email
from committees.meetings.conduct.services import expected_mandates
from committees.meetings.minutes.prefill import prefill
from committees.meetings.minutes.sections import meeting_items, next_rows, sections_of
from committees.meetings.models import (
    AdoptionMode,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    MinutesSection,
    MinutesStatus,
)
from committees.meetings.queries import is_publicly_visible, member_can_see
from committees.meetings.scheduling.services import MeetingError, meeting_day
from committees.templating import paris_date

#: statuses in which the text may still change
EDITABLE = frozenset({MinutesStatus.DRAFT, MinutesStatus.SENT})

#: statuses in which the committee's members see the text
SHOWN_TO_MEMBERS = frozenset({MinutesStatus.SENT, MinutesStatus.ADOPTED, MinutesStatus.PUBLISHED})


class MinutesError(MeetingError):
    """A rule about minutes was broken (``field`` names the form field it concerns)."""


class StaleRevision(MinutesError):  # noqa: N818 - a situation, not a failure
    """The text was saved by someone else since the person started editing."""

    def __init__(self, latest: MinutesRevision):
        super().__init__(
            _(
                "Le compte rendu a été modifié entre-temps (version %(number)s).",
                number=latest.number,
            ),
        )
        self.latest = latest


# --- who sees and edits ---------------------------------------------------------------


def is_secretariat(user: Any) -> bool:
    """The secretariat (and admins) see and edit every minutes."""
    return has_permission(user, Permission.MANAGE_COMMITTEES)


def can_view_minutes(minutes: Minutes | None, user: Any) -> bool:
    """The one rule on who reads minutes.

    The public (anyone, ``user`` None or anonymous included) reads only published minutes of
    a public session of a published committee; the members of the committee (a mandate
    covering the session's day) read them once sent for comments; the secretariat reads
    them at every step.
    """
    if minutes is None:
        return False
    if is_secretariat(user):
        return True
    meeting = minutes.meeting
    if minutes.status == MinutesStatus.PUBLISHED and is_publicly_visible(meeting):
        return True
    return (
        minutes.status in SHOWN_TO_MEMBERS
        and has_permission(user, Permission.MEMBER_AREA)
        and member_can_see(meeting, user)
    )


def can_edit_minutes(user: Any, minutes: Minutes | None = None) -> bool:
    """Only the secretariat edits, and nobody once the minutes are adopted."""
    if not is_secretariat(user):
        return False
    return minutes is None or minutes.status in EDITABLE


def can_view_publicly(minutes: Minutes | None) -> bool:
    """What the public pages show: ``can_view_minutes`` for a visitor who is not signed in."""
    return can_view_minutes(minutes, None)


# --- reading --------------------------------------------------------------------------


def latest_revision(minutes: Minutes) -> MinutesRevision:
    """The current text of the minutes (the highest revision number)."""
    return db.session.execute(
        select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.number.desc())
        .limit(1)
        .options(selectinload(MinutesRevision.author))
    ).scalar_one()


def revision_history(minutes: Minutes) -> list[MinutesRevision]:
    """Every revision, newest first, with its author (two queries)."""
    return list(
        db.session.execute(
            select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .order_by(MinutesRevision.number.desc())
            .options(selectinload(MinutesRevision.author))
        ).scalars()
    )


def get_revision(minutes: Minutes, number: int) -> MinutesRevision | None:
    """One revision of the minutes by its number, or None."""
    return db.session.execute(
        select(MinutesRevision).where(
            MinutesRevision.minutes_id == minutes.id, MinutesRevision.number == number
        )
    ).scalar_one_or_none()


def adopting_meeting_choices(meeting: Meeting) -> list[tuple[int, str]]:
    """(id, label) of the later sessions of the committee that may adopt the minutes."""
    rows = db.session.execute(
        select(Meeting)
        .where(
            Meeting.committee_id == meeting.committee_id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
        )
        .order_by(Meeting.starts_at)
    ).scalars()
    return [
        (m.id, _("Séance n°%(number)s du %(day)s", number=m.number, day=paris_date(m.starts_at)))
        for m in rows
    ]


# --- writing --------------------------------------------------------------------------


def _add_revision(minutes: Minutes, number: int, author: User | None, note: str):
    revision = MinutesRevision(
        minutes=minutes,
        number=number,
        author=author,
        note=note.strip()[:300],
        created_at=utcnow(),
    )
    db.session.add(revision)
    return revision


def start_minutes(meeting: Meeting, author: User | None) -> Minutes:
    """Open the minutes of a held session: a draft whose first revision is prefilled,
    section by section, from the attendance, quorum, recusals, hearings and votes."""
    if meeting.minutes is not None:
        raise MinutesError(_("Le compte rendu de cette séance est déjà commencé."))
    if meeting.is_cancelled:
        raise MinutesError(_("Une séance annulée ou reportée n'a pas de compte rendu."))
    if not meeting.has_started:  # the one rule of meetings.rules.has_started
        raise MinutesError(_("La séance n'a pas encore eu lieu."))
    minutes = Minutes(meeting=meeting, status=MinutesStatus.DRAFT.value)
    db.session.add(minutes)
    revision = _add_revision(minutes, 1, author, _("Texte prérempli depuis la séance"))
    for section in prefill(meeting):
        revision.sections.append(
            MinutesSection(
                kind=section.kind,
                item=section.item,
                body=section.body,
                public_outcome=section.public_outcome,
            )
        )
    db.session.flush()
    return minutes


def save_revision(
    minutes: Minutes,
    texts: Mapping[str, str],
    base_number: int,
    author: User | None,
    note: str = "",
    outcomes: Mapping[str, str] | None = None,
) -> MinutesRevision:
    """Save a new version of the minutes, started from revision ``base_number``.

    ``texts`` maps section keys (``sections.section_key``) to their new text, ``outcomes``
    the keys of closed items to their publishable outcome; a section not named keeps its
    text (``sections.next_rows``). If someone saved since (``base_number`` is not the
    latest), nothing is written and ``StaleRevision`` carries the latest revision.
    """
    if minutes.status not in EDITABLE:
        raise MinutesError(_("Le compte rendu est adopté : il ne peut plus être modifié."))
    latest = latest_revision(minutes)
    if base_number != latest.number:
        raise StaleRevision(latest)
    current = sections_of(latest, meeting_items(minutes.meeting_id))
    outcomes = outcomes or {}
    if (set(texts) | set(outcomes)) - {section.key for section in current}:
        raise MinutesError(_("Section inconnue : rechargez la page."))
    rows = next_rows(current, texts, outcomes)
    if not any(row.body for row in rows):
        raise MinutesError(_("Le texte du compte rendu ne peut pas être vide."))
    revision = _add_revision(minutes, latest.number + 1, author, note or "")
    revision.sections.extend(rows)
    # Two saves racing past the check above collide on the unique (minutes, number)
    # constraint here: the later one fails instead of overwriting.
    db.session.flush()
    return revision


def _recipients(meeting: Meeting) -> list[tuple[str, str, str | None]]:
    """(address, name, locale) of each expected participant who has an address."""
    result, seen = [], set()
    for mandate in expected_mandates(meeting):
        person = mandate.person
        user = person.user
        address = person.email or (user.email if user is not None else None)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            result.append((address, person.display_name, user.locale if user else None))
    return result


def member_link(meeting: Meeting) -> str:
    """The absolute address of the minutes in the member area.

    Built on PUBLIC_BASE_URL, not on the secretariat's request, so that members reach it,
    and without a request at all (CLI, demo data, tests).
    """
    return public_url("member_minutes.member_view", meeting_id=meeting.id)


def send_for_comments(minutes: Minutes) -> int:
    """Send the draft to the members for comments: one e-mail per expected participant
    with an address; returns how many were queued. May be sent again after changes."""
    if minutes.status not in EDITABLE:
        raise MinutesError(_("Le compte rendu est adopté : il n'est plus soumis aux observations."))
    meeting = minutes.meeting
    recipients = _recipients(meeting)
    if not recipients:
        raise MinutesError(_("Aucun participant attendu n'a d'adresse électronique."))
    link = member_link(meeting)
    sent_at = utcnow()
    # Each sending (a revised draft) gives the participants a full period again; the
    # e-mail states its end.
    deadline = sent_at + timedelta(days=current_app.config["MINUTES_COMMENT_DAYS"])
    for address, name, locale in recipients:
        queue_email(
            address,
            _l("Projet de compte rendu de la séance du %(day)s", day=_day_text(meeting)),
            "meetings/minutes_sent",
            locale=locale,
            kind="minutes_sent",
            name=name,
            meeting=meeting,
            link=link,
            deadline=deadline,
        )
    minutes.status = MinutesStatus.SENT.value
    minutes.sent_at = sent_at
    minutes.comments_until = deadline
    db.session.flush()
    return len(recipients)


def _day_text(meeting: Meeting) -> str:
    return meeting_day(meeting).strftime("%d/%m/%Y")


def adopt(
    minutes: Minutes,
    on: date,
    mode: AdoptionMode | str,
    at_meeting: Meeting | None = None,
) -> None:
    """Record the adoption of minutes sent for comments, at a later session of the
    committee (on that session's day) or in writing; the session becomes « minutes
    adopted ». The text cannot change afterwards."""
    if minutes.status != MinutesStatus.SENT:
        raise MinutesError(
            _("Seul un compte rendu envoyé aux membres pour observations peut être adopté.")
        )
    mode = AdoptionMode(mode)
    meeting = minutes.meeting
    if on is None:
        raise MinutesError(_("Indiquez la date d'adoption."), field="adopted_on")
    if on < meeting_day(meeting):
        raise MinutesError(
            _("Le compte rendu ne peut pas être adopté avant la séance."), field="adopted_on"
        )
    if on > paris_today():
        raise MinutesError(_("La date d'adoption ne peut pas être future."), field="adopted_on")
    if mode == AdoptionMode.SESSION:
        _check_adopting_meeting(meeting, at_meeting, on)
    elif at_meeting is not None:
        raise MinutesError(
            _("Une adoption par écrit ne se rattache à aucune séance."), field="at_meeting_id"
        )
    minutes.status = MinutesStatus.ADOPTED.value
    minutes.adopted_on = on
    minutes.adoption_mode = mode.value
    minutes.adopted_at_meeting = at_meeting
    # Set directly rather than through update_meeting: calendars need no new SEQUENCE for it.
    meeting.status = MeetingStatus.MINUTES_ADOPTED.value
    db.session.flush()


def _check_adopting_meeting(meeting: Meeting, at_meeting: Meeting | None, on: date) -> None:
    if at_meeting is None:
        raise MinutesError(
            _("Choisissez la séance qui a adopté le compte rendu."), field="at_meeting_id"
        )
    if (
        at_meeting.committee_id != meeting.committee_id
        or at_meeting.starts_at <= meeting.starts_at
        or at_meeting.is_cancelled
    ):
        raise MinutesError(
            _("Le compte rendu est adopté à une séance ultérieure du même comité."),
            field="at_meeting_id",
        )
    if meeting_day(at_meeting) != on:
        raise MinutesError(
            _(
                "La date d'adoption doit être celle de la séance qui l'adopte (%(day)s).",
                day=_day_text(at_meeting),
            ),
            field="adopted_on",
        )


def publish(minutes: Minutes) -> None:
    """Publish adopted minutes: the public then reads them, as a page and as a PDF."""
    if minutes.status != MinutesStatus.ADOPTED:
        raise MinutesError(_("Seul un compte rendu adopté peut être publié."))
    minutes.status = MinutesStatus.PUBLISHED.value
    minutes.published_at = utcnow()
    db.session.flush()
    if is_publicly_visible(minutes.meeting):
        follow_events.minutes_published(minutes)
