"""Answering a convocation from its e-mail, under /convocations/<token>: no sign-in, the
token of the personal link is the key (only its SHA-256 is stored)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from committees.common.views import form_status, refuse
from committees.extensions import db
from committees.meetings.conduct.answers import (
    attendance_for_token,
    check_answerable,
    record_answer,
)
from committees.meetings.conduct.forms import AnswerForm
from committees.meetings.labels import TEMPLATE_LABELS
from committees.meetings.models import Meeting, Response
from committees.meetings.scheduling.services import MeetingError

bp = Blueprint("public_conduct", __name__)


@bp.route("/convocations/<token>", methods=["GET", "POST"])
def answer(token: str):
    attendance = attendance_for_token(token)
    if attendance is None:
        return render_template("meetings/convocations/invalid_link.html"), 404
    meeting = attendance.meeting
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            record_answer(attendance, form.response.data)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Votre réponse a été enregistrée : %(answer)s.",
                    answer=TEMPLATE_LABELS["response"][attendance.response],
                ),
                "success",
            )
            return redirect(url_for(".answer", token=token))
    return render_template(
        "meetings/convocations/answer.html",
        meeting=meeting,
        attendance=attendance,
        person=attendance.mandate.person,
        form=form,
        closed_reason=_closed_reason(meeting),
        responses=list(Response),
        labels=TEMPLATE_LABELS,
    ), form_status(form)


def _closed_reason(meeting: Meeting) -> str | None:
    try:
        check_answerable(meeting)
    except MeetingError as error:
        return str(error)
    return None
