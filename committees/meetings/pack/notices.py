"""What each member was last sent of a session's documents, and the one message that
tells them what changed since (added, replaced or withdrawn documents).

``record_sent`` is called when the convocation (which links to the pack) leaves;
``send_change_notices`` runs with ``flask packs build``: however many documents were
replaced in between, each member gets one message listing them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Mandate
from committees.bodies.rules import language_of
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email
from committees.meetings.conduct.recusals import MemberAccess, barrings_for
from committees.meetings.models import Meeting, MeetingStatus, PackDelivery


def sent_state(meeting: Meeting, access: MemberAccess) -> dict[str, list]:
    """Document id (as text) → [version, title] of every document the member may read."""
    return {
        str(d.id): [d.version, d.title] for item in meeting.items for d in access.documents(item)
    }


def record_sent(meeting: Meeting, access: MemberAccess, *, now: datetime | None = None) -> None:
    """Remember that the member was just sent the session's documents as they are now."""
    row = db.session.execute(
        select(PackDelivery).where(
            PackDelivery.meeting_id == meeting.id,
            PackDelivery.mandate_id == access.mandate.id,
        )
    ).scalar_one_or_none()
    if row is None:
        row = PackDelivery(meeting_id=meeting.id, mandate_id=access.mandate.id)
        db.session.add(row)
    row.versions = json.dumps(sent_state(meeting, access), sort_keys=True)
    row.sent_at = now or utcnow()
    db.session.flush()


def record_sent_to(meeting: Meeting, mandates: list[Mandate]) -> None:
    """``record_sent`` for each of ``mandates`` (a convocation round), barrings computed
    at once."""
    barrings = barrings_for([(meeting, mandate) for mandate in mandates])
    for mandate in mandates:
        record_sent(meeting, MemberAccess(mandate, barrings[(meeting.id, mandate.id)]))


@dataclass
class Changes:
    """What changed for one member since their last pack: titles, with versions."""

    added: list[str] = field(default_factory=list)
    replaced: list[tuple[str, int]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def changes_between(sent: dict[str, list], now: dict[str, list]) -> Changes:
    """The documents added, replaced (new version) and withdrawn between two states."""
    changes = Changes()
    for key, (version, title) in now.items():
        if key not in sent:
            changes.added.append(title)
        elif sent[key][0] != version:
            changes.replaced.append((title, version))
    changes.removed = [title for key, (_v, title) in sent.items() if key not in now]
    return changes


def send_change_notices(*, now: datetime | None = None) -> int:
    """For every member sent a pack of a session still to come, one message listing what
    changed since (if anything did); their record then covers the current state. Return
    the number of messages queued."""
    now = now or utcnow()
    rows = list(
        db.session.execute(
            select(PackDelivery, Meeting, Mandate)
            .join(Meeting, Meeting.id == PackDelivery.meeting_id)
            .join(Mandate, Mandate.id == PackDelivery.mandate_id)
            .where(
                Meeting.ends_at > now,
                Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
            )
            .options(selectinload(Mandate.person), selectinload(Meeting.items))
        )
    )
    barrings = barrings_for([(meeting, mandate) for _row, meeting, mandate in rows])
    sent = 0
    for row, meeting, mandate in rows:
        access = MemberAccess(mandate, barrings[(meeting.id, mandate.id)])
        current = sent_state(meeting, access)
        changes = changes_between(json.loads(row.versions or "{}"), current)
        if not changes:
            continue
        person = mandate.person
        if person.email:
            queue_email(
                person.email,
                _l("Dossier de séance mis à jour : %(title)s", title=meeting.title),
                "meetings/pack_changes",
                locale=language_of(person),
                kind="meeting_pack_changes",
                person=person,
                meeting=meeting,
                changes=changes,
                pack_url=public_url("member_pack.pack", meeting_id=meeting.id),
                my_meeting_url=public_url("member_meetings.detail", meeting_id=meeting.id),
            )
            sent += 1
        row.versions = json.dumps(current, sort_keys=True)
        row.sent_at = now
    db.session.flush()
    return sent
