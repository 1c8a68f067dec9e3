"""The published minutes, under /meetings/<id>/minutes: the page and its PDF, closed items
reduced to their number and outcome; anything unpublished answers 404."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from committees.common.pdf import pdf_response
from committees.common.views import get_or_404
from committees.meetings.minutes.pdf import render_minutes_pdf
from committees.meetings.minutes.reading import reading_page
from committees.meetings.minutes.services import can_view_publicly, latest_revision
from committees.meetings.models import Meeting
from committees.publication import public_page

bp = Blueprint("public_minutes", __name__)


def _published_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = get_or_404(Meeting, meeting_id)
    if not can_view_publicly(meeting.minutes):
        abort(404)
    return meeting


@bp.get("/meetings/<id:meeting_id>/minutes")
@public_page
def public_view(meeting_id: int):
    meeting = _published_meeting_or_404(meeting_id)
    return reading_page(meeting, "meetings/minutes/public.html", public=True)


@bp.get("/meetings/<id:meeting_id>/minutes.pdf")
def public_pdf(meeting_id: int):
    meeting = _published_meeting_or_404(meeting_id)
    minutes = meeting.minutes
    return pdf_response(
        lambda: render_minutes_pdf(minutes, latest_revision(minutes)),
        f"compte-rendu-{meeting.committee.slug}-seance-{meeting.number}.pdf",
        lambda: render_template("meetings/minutes/pdf_unavailable.html", meeting=meeting),
    )
