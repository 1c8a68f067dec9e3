"""What the follow-up actions hold about a person: the actions they were assigned as a
member (export section ``follow_up_actions``). Erasure leaves them: the public record of
what the committee decided, like attendance; the assignee's name is the person record's,
erased with it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.common import personal_data
from committees.common.personal_data import DataSubject, Found, plain, row_of
from committees.extensions import db
from committees.meetings.models import FollowUpAction


def _actions(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(FollowUpAction)
        .where(FollowUpAction.assignee_mandate_id.in_(subject.mandate_ids))
        .options(selectinload(FollowUpAction.meeting))
        .order_by(FollowUpAction.id)
    )
    return [
        {
            **row_of(action, "description", "due_on", "is_public", "closed_at", "closing_note"),
            "meeting": action.meeting.title,
            "meeting_starts_at": plain(action.meeting.starts_at),
        }
        for action in rows
    ]


def register() -> None:
    """Add the export section (again: replaced)."""
    personal_data.register_section("follow_up_actions", _actions)
