"""A member's sessions, under /my/meetings: only committees where a mandate covers the day.

A session of another committee answers 404, as if it did not exist.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.bodies.persons.services import person_for_user
from committees.common.views import one_or_404
from committees.meetings.conduct.answers import is_answerable
from committees.meetings.conduct.recusals import MemberAccess, item_barrings
from committees.meetings.models import Response
from committees.meetings.pack.services import pack_state
from committees.meetings.queries import member_meeting, member_meetings

bp = Blueprint("member_meetings", __name__, url_prefix="/my/meetings")


@bp.get("")
@require(Permission.MEMBER_AREA)
def index():
    upcoming, recent = member_meetings(current_user)
    return render_template(
        "meetings/my/list.html",
        upcoming=upcoming,
        recent=recent,
        linked=person_for_user(current_user) is not None,
    )


@bp.get("/<id:meeting_id>")
@require(Permission.MEMBER_AREA)
def detail(meeting_id: int):
    entry = one_or_404(member_meeting(current_user, meeting_id))
    access = MemberAccess(entry.mandate, item_barrings(entry.meeting, entry.mandate))
    return render_template(
        "meetings/my/detail.html",
        entry=entry,
        meeting=entry.meeting,
        items=entry.meeting.items,
        answerable=is_answerable(entry.meeting),
        responses=list(Response),
        access=access,
        pack_state=pack_state(entry.meeting, entry.mandate),
    )
