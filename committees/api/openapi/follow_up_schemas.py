"""The components of a committee's public follow-up actions (``api/follow_up_serializers.py``)."""

from __future__ import annotations

from typing import Any

from committees.api.openapi.primitives import (
    DAY,
    INSTANT,
    INTEGER,
    SLUG,
    STRING,
    enum_of,
    list_of,
    nullable,
    object_schema,
)


def follow_up_schemas() -> dict[str, Any]:
    """The schemas of follow-up actions, by name."""
    return {
        "FollowUpAction": object_schema(
            "A follow-up action decided at a session and published (« Suivi des avis »).",
            {
                "id": INTEGER,
                "committee": SLUG,
                "description": STRING,
                "assignee": {**STRING, "description": "A member, the secretariat or a service."},
                "decidedOn": {**DAY, "description": "Day of the session that decided it."},
                "dueOn": nullable(DAY),
                "status": enum_of(("open", "closed")),
                "closedAt": nullable(INSTANT),
                "closingNote": STRING,
            },
        ),
        "FollowUpActionList": list_of("FollowUpAction"),
    }
