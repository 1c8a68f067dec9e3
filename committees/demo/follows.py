"""Demo: one confirmed follower of the medical-cannabis committee, and a member's
comment on the draft minutes of March 2022, taken into account in the next revision.

Written as history (no e-mail is sent for 2022); safe to run again.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from committees.auth.services import find_user_by_email
from committees.extensions import db
from committees.follows.models import Follower, Frequency, committee_scope
from committees.meetings.minutes.sections import sections_of
from committees.meetings.minutes.services import latest_revision, save_revision
from committees.meetings.models import Meeting, MinutesComment
from committees.meetings.queries import member_mandate

#: the demo's follower: an address of the example domain, never shown on a page
FOLLOWER_EMAIL = "redaction.sante@demo.ansm.example"


def seed_follower(committee_id: int, confirmed_at) -> None:
    """A confirmed follower of the committee, if there is none yet."""
    scope = committee_scope(committee_id)
    exists = db.session.execute(
        select(Follower.id).where(Follower.email == FOLLOWER_EMAIL, Follower.scope == scope)
    ).first()
    if exists is None:
        db.session.add(
            Follower(
                email=FOLLOWER_EMAIL,
                scope=scope,
                committee_id=committee_id,
                locale="fr",
                frequency=Frequency.IMMEDIATE.value,
                unsubscribe_token=secrets.token_urlsafe(32),
                confirmed_at=confirmed_at,
            )
        )


def seed_comment(meeting: Meeting, member_email: str) -> None:
    """While the minutes were out for comments, the demo member asked for a correction on
    the first item; the secretariat took it into account in the next revision (called
    from seed_minutes, between sending and adoption)."""
    minutes = meeting.minutes
    user = find_user_by_email(member_email)
    mandate = member_mandate(meeting, user) if user is not None else None
    if minutes is None or mandate is None or not meeting.items:
        return
    item = min(meeting.items, key=lambda i: i.position)
    commented = latest_revision(minutes)
    section = next(s for s in sections_of(commented) if s.item is not None and s.item.id == item.id)
    comment = MinutesComment(
        minutes=minutes,
        item=item,
        section_id=section.row_id,
        mandate=mandate,
        author_id=user.id,
        revision_number=commented.number,
        body="Merci de préciser que le nombre d'inclusions est arrêté au 28 février 2022.",
        created_at=minutes.sent_at + timedelta(days=3),
    )
    db.session.add(comment)
    body = section.body.replace(
        "Le comité prend acte du nombre d'inclusions",
        "Le comité prend acte du nombre d'inclusions (arrêté au 28 février 2022)",
        1,
    )
    revised = save_revision(
        minutes, {section.key: body}, commented.number, None, "Observation intégrée"
    )
    comment.answer = "Précision ajoutée au point 1."
    comment.taken_in_revision = revised.number
    comment.processed_at = minutes.sent_at + timedelta(days=5)
    db.session.flush()
