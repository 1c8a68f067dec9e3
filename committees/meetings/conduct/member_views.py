"""A member answers a convocation from their dashboard, under /my/meetings/<id>/answer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common.urls import safe_next_url
from committees.common.views import INVALID, one_or_404, refuse
from committees.extensions import db
from committees.meetings.conduct.answers import answer_as_member, mandate_of_user
from committees.meetings.conduct.forms import AnswerForm
from committees.meetings.labels import TEMPLATE_LABELS
from committees.meetings.queries import meeting_with_committee
from committees.meetings.scheduling.services import MeetingError

bp = Blueprint("member_conduct", __name__)


@bp.post("/my/meetings/<id:meeting_id>/answer")
@require(Permission.MEMBER_AREA)
def member_answer(meeting_id: int):
    meeting = one_or_404(meeting_with_committee(meeting_id))
    # Sessions of other committees stay unknown to the member, as on their session pages.
    if mandate_of_user(meeting, current_user) is None:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            attendance = answer_as_member(meeting, current_user, form.response.data)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Votre réponse à la convocation « %(title)s » a été enregistrée : %(answer)s.",
                    title=meeting.title,
                    answer=TEMPLATE_LABELS["response"][attendance.response],
                ),
                "success",
            )
            return redirect(safe_next_url(request.form.get("next"), url_for("dashboard.index")))
    return render_template(
        "meetings/convocations/answer_refused.html", meeting=meeting, form=form
    ), INVALID
