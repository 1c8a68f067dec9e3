"""Public session pages, under /meetings: what the public may know of public sessions.

Never shown here: closed sessions, sessions of unpublished committees, the remote link,
closed items, members-only documents, an agenda before its publication.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from committees.common.params import page_arg
from committees.common.views import one_or_404
from committees.meetings.queries import (
    WHEN_PAST,
    WHEN_UPCOMING,
    postponed_from,
    public_meeting,
    public_meetings_page,
    published_committee_choices,
)
from committees.meetings.scheduling.forms import MeetingFilterForm
from committees.publication import public_page

bp = Blueprint("public_meetings", __name__, url_prefix="/meetings")


@bp.get("")
@public_page
def index():
    form = MeetingFilterForm(request.args)
    form.set_committees(published_committee_choices())
    when = WHEN_PAST if request.args.get("when") == WHEN_PAST else WHEN_UPCOMING
    committee_id = form.committee_id()
    pagination = public_meetings_page(committee_id=committee_id, when=when, page=page_arg())
    filters = {"when": when, **({"committee": committee_id} if committee_id else {})}
    return render_template(
        "meetings/public/list.html", form=form, pagination=pagination, when=when, filters=filters
    )


@bp.get("/<id:meeting_id>")
@public_page
def detail(meeting_id: int):
    meeting = one_or_404(public_meeting(meeting_id))
    previous = postponed_from(meeting)
    minutes = meeting.minutes
    return render_template(
        "meetings/public/detail.html",
        meeting=meeting,
        previous=previous if previous is not None and previous.is_public else None,
        # The replacement of a postponed session is linked only if the public may open it.
        replacement=meeting.postponed_to
        if meeting.postponed_to is not None and meeting.postponed_to.is_public
        else None,
        agenda_published=meeting.agenda_published_at is not None,
        items=[item for item in meeting.items if item.is_public],
        minutes_published=minutes is not None and minutes.published_at is not None,
    )
