"""Notices to the contributors: each change of their contribution's status (eligible, not
retained, retained for a hearing) and of their hearing (moved, cancelled), by e-mail in
their language, queued in the transaction of the change.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from committees.calls.models import Contribution
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email
from committees.meetings.agenda.hearings import on_hearing_change
from committees.meetings.models import Hearing, HearingMode, MeetingFormat

#: event: subject of the e-mail (translated in the contributor's language when sent)
EVENTS = ("eligible", "off_topic", "selected", "hearing_moved", "hearing_cancelled")


def _subject(event: str, contribution: Contribution):
    subjects = {
        "eligible": lambda: _(
            "Votre contribution %(receipt)s est recevable", receipt=contribution.receipt
        ),
        "off_topic": lambda: _(
            "Votre contribution %(receipt)s n'est pas retenue", receipt=contribution.receipt
        ),
        "selected": lambda: _(
            "Votre contribution %(receipt)s est retenue pour une audition",
            receipt=contribution.receipt,
        ),
        "hearing_moved": lambda: _(
            "Votre audition (contribution %(receipt)s) est déplacée", receipt=contribution.receipt
        ),
        "hearing_cancelled": lambda: _(
            "Votre audition (contribution %(receipt)s) est annulée", receipt=contribution.receipt
        ),
    }
    return subjects[event]


def notify_contributor(contribution: Contribution, event: str, hearing: Hearing | None = None):
    """Queue the notice of ``event`` (one of ``EVENTS``) to the contribution's author: the
    hearing's session, day, time slot and videoconference link when it is about a hearing."""
    contributor = contribution.contributor
    hearing = hearing or contribution.hearing
    meeting = hearing.item.meeting if hearing is not None else contribution.call.meeting
    remote = (
        meeting is not None
        and hearing is not None
        and hearing.mode == HearingMode.VIDEOCONFERENCE
        and meeting.format != MeetingFormat.ON_SITE
        and meeting.remote_link
    )
    queue_email(
        contributor.email,
        _subject(event, contribution),
        f"calls/notice_{event}",
        locale=contributor.locale,
        kind=f"calls_{event}",
        contribution=contribution,
        call=contribution.call,
        hearing=hearing,
        meeting=meeting,
        remote_link=meeting.remote_link if remote else "",
        follow_url=public_url("contributions.detail", contribution_id=contribution.id),
    )


def _hearing_changed(hearing: Hearing, change: str) -> None:
    """Tell the authors of the contributions heard at ``hearing`` that it moved or is off."""
    contributions = db.session.execute(
        select(Contribution).where(Contribution.hearing_id == hearing.id)
    ).scalars()
    for contribution in contributions:
        notify_contributor(contribution, f"hearing_{change}", hearing)


def register() -> None:
    """Listen to the hearings' changes (called by ``committees.calls.init_app``)."""
    on_hearing_change(_hearing_changed)
