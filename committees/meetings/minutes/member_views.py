"""The members' minutes, under /my/meetings/<id>/minutes: the draft once sent to them
(then the adopted text), and their comments on it, section by section."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common.views import INVALID, get_or_404, refuse
from committees.extensions import db
from committees.meetings.minutes import comments as minutes_comments
from committees.meetings.minutes.forms import CommentForm
from committees.meetings.minutes.reading import reading_page
from committees.meetings.minutes.services import MinutesError, can_view_minutes
from committees.meetings.models import Meeting

bp = Blueprint("member_minutes", __name__)


@bp.get("/my/meetings/<id:meeting_id>/minutes")
@require(Permission.MEMBER_AREA)
def member_view(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    if not can_view_minutes(meeting.minutes, current_user):
        abort(404)
    return _member_page(meeting)


def _member_page(meeting: Meeting, form: CommentForm | None = None, status: int = 200):
    minutes = meeting.minutes
    sections = minutes_comments.commentable_sections(minutes, current_user)
    return reading_page(
        meeting,
        "meetings/minutes/member.html",
        status=status,
        comments=minutes_comments.comments_of(minutes),
        comment_heading=minutes_comments.comment_heading,
        comment_form=form or CommentForm(sections=sections, formdata=None),
        can_comment=bool(sections),
        comments_open=minutes_comments.comments_open(minutes),
    )


@bp.post("/my/meetings/<id:meeting_id>/minutes/comments")
@require(Permission.MEMBER_AREA)
def comment(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    minutes = meeting.minutes
    if not minutes_comments.can_view_comments(minutes, current_user):
        abort(404)
    form = CommentForm(sections=minutes_comments.commentable_sections(minutes, current_user))
    if form.validate_on_submit():
        try:
            minutes_comments.add_comment(
                minutes, current_user, form.section_id.data, form.body.data
            )
        except MinutesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Votre observation est enregistrée."), "success")
            return redirect(url_for(".member_view", meeting_id=meeting_id))
    return _member_page(meeting, form, status=INVALID)
