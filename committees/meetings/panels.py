"""Dashboard panels of the sessions: convocations a member has not answered, a member's
next sessions, the secretariat's next ones.

Each context function costs a bounded number of queries, whatever the data size.
``register()`` is called by the domain's ``init_app``.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from committees.auth.models import User
from committees.auth.permissions import Permission
from committees.dashboard.services import Kept, register_panel
from committees.meetings.agenda.hearings import hearings_to_record
from committees.meetings.conduct.answers import convocations_to_answer
from committees.meetings.labels import TEMPLATE_LABELS
from committees.meetings.models import Response
from committees.meetings.queries import member_upcoming_meetings, upcoming_meetings

#: sessions listed by each panel
PANEL_SIZE = 5


def pending_answers_context(user: User) -> dict[str, Any]:
    """Convened sessions the member has not answered (bounded queries)."""
    return {
        "attendances": convocations_to_answer(user),
        "labels": TEMPLATE_LABELS,
        "responses": list(Response),
    }


def member_upcoming_context(user: User) -> dict[str, Any]:
    """The member's next sessions (committees where a mandate covers the day)."""
    return {
        "meetings": member_upcoming_meetings(user, limit=PANEL_SIZE),
        "url": url_for("member_meetings.index"),
    }


def secretariat_upcoming_context(_user: User) -> dict[str, Any]:
    """The next sessions across committees, with their status."""
    return {
        "meetings": upcoming_meetings(PANEL_SIZE),
        "url": url_for("meetings.index", when="upcoming"),
        "new_url": url_for("meetings.new"),
    }


def secretariat_hearings_context(_user: User) -> dict[str, Any]:
    """Hearings of past sessions still waiting to be recorded as heard or not held."""
    return {"hearings": hearings_to_record(limit=PANEL_SIZE * 2)}


def register() -> None:
    """Add the panels to the dashboard (again: replaced, not duplicated)."""
    register_panel(
        Permission.MEMBER_AREA,
        "meetings/convocations/panel_to_answer.html",
        pending_answers_context,
        order=20,
        kept=Kept.FOR_THE_PERSON,
    )
    register_panel(
        Permission.MEMBER_AREA,
        "meetings/panels/member_upcoming.html",
        member_upcoming_context,
        order=30,
        kept=Kept.FOR_THE_PERSON,
    )
    register_panel(
        Permission.MANAGE_COMMITTEES,
        "meetings/panels/secretariat_upcoming.html",
        secretariat_upcoming_context,
        order=30,
        kept=Kept.FOR_EVERYONE,
    )
    register_panel(
        Permission.MANAGE_COMMITTEES,
        "meetings/panels/secretariat_hearings.html",
        secretariat_hearings_context,
        order=25,
        kept=Kept.FOR_EVERYONE,
    )
