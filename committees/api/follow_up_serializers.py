"""A committee's public follow-up actions (« Suivi des avis ») as the API's JSON objects
(exactly what ``openapi/follow_up_schemas.py`` declares). Only actions the secretariat
marked public are ever read here."""

from __future__ import annotations

from typing import Any

from committees.api.serializers import instant
from committees.common.timeutils import to_paris
from committees.meetings.actions.services import assignee_label
from committees.meetings.models import FollowUpAction


def follow_up_action(action: FollowUpAction) -> dict[str, Any]:
    """One public follow-up action: what, who, by when, decided when, open or closed."""
    return {
        "id": action.id,
        "committee": action.meeting.committee.slug,
        "description": action.description,
        "assignee": assignee_label(action),
        "decidedOn": to_paris(action.meeting.starts_at).date().isoformat(),
        "dueOn": action.due_on.isoformat() if action.due_on else None,
        "status": "open" if action.is_open else "closed",
        "closedAt": instant(action.closed_at),
        "closingNote": action.closing_note,
    }
