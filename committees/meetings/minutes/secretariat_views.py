"""The secretariat's minutes screens, under /secretariat/meetings/<id>/minutes: start from
the prefilled draft, edit (revisions), send for comments, process comments, adopt, publish.

Members read and comment in ``member_views``, the public reads in ``public_views``; who
sees what is decided by ``services.can_view_minutes`` / ``can_edit_minutes`` only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from committees.auth.permissions import Permission, require
from committees.common.forms import ActionForm
from committees.common.markdown import render_markdown
from committees.common.views import (
    INVALID,
    flash_refusal,
    form_status,
    get_or_404,
    one_or_404,
    refuse,
)
from committees.extensions import db
from committees.meetings.minutes import comments as minutes_comments
from committees.meetings.minutes.forms import (
    AdoptForm,
    ProcessCommentForm,
    RevisionForm,
    revision_form,
)
from committees.meetings.minutes.sections import full_text, sections_of
from committees.meetings.minutes.services import (
    MinutesError,
    StaleRevision,
    adopt,
    adopting_meeting_choices,
    can_edit_minutes,
    get_revision,
    latest_revision,
    publish,
    revision_history,
    save_revision,
    send_for_comments,
    start_minutes,
)
from committees.meetings.models import Meeting, Minutes, SectionKind

bp = Blueprint("minutes", __name__)

#: status of a save that started from an outdated revision
CONFLICT = 409


def _manage_page(
    meeting: Meeting,
    *,
    adopt_form: AdoptForm | None = None,
    process_form: ProcessCommentForm | None = None,
    failed_comment_id: int | None = None,
    status: int = 200,
):
    minutes = meeting.minutes
    context = {"meeting": meeting, "minutes": minutes, "action_form": ActionForm()}
    if minutes is not None:
        latest = latest_revision(minutes)
        history = revision_history(minutes)
        sections = sections_of(latest)
        context.update(
            latest=latest,
            body=render_markdown(full_text(sections)),
            unplaced=any(s.kind == SectionKind.UNPLACED for s in sections),
            history=history,
            can_edit=can_edit_minutes(current_user, minutes),
            adopt_form=adopt_form
            or AdoptForm(meeting_choices=adopting_meeting_choices(meeting), formdata=None),
            comments=minutes_comments.comments_of(minutes),
            comment_heading=minutes_comments.comment_heading,
            process_form=process_form
            or ProcessCommentForm(revisions=[r.number for r in history], formdata=None),
            failed_comment_id=failed_comment_id,
            comment_summary=minutes_comments.comment_summary(minutes),
        )
    return render_template("meetings/minutes/manage.html", **context), status


@bp.get("/secretariat/meetings/<id:meeting_id>/minutes")
@require(Permission.MANAGE_COMMITTEES)
def manage(meeting_id: int):
    return _manage_page(get_or_404(Meeting, meeting_id))


def _back(meeting_id: int):
    return redirect(url_for("minutes.manage", meeting_id=meeting_id))


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/start")
@require(Permission.MANAGE_COMMITTEES)
def start(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        start_minutes(meeting, current_user)
    except MinutesError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(_("Le compte rendu a été prérempli depuis la séance."), "success")
        return redirect(url_for("minutes.edit", meeting_id=meeting_id))
    return _back(meeting_id)


@bp.route("/secretariat/meetings/<id:meeting_id>/minutes/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    minutes = one_or_404(meeting.minutes)
    if not can_edit_minutes(current_user, minutes):
        flash(_("Le compte rendu est adopté : il ne peut plus être modifié."), "error")
        return _back(meeting_id)
    latest = latest_revision(minutes)
    sections = sections_of(latest)
    form = revision_form(sections, latest.number)
    conflict = None
    if form.validate_on_submit():
        try:
            save_revision(
                minutes,
                form.texts(),
                form.base_number.data,
                current_user,
                form.note.data or "",
                outcomes=form.outcomes(),
            )
            db.session.commit()
        except (StaleRevision, IntegrityError):
            # IntegrityError: another save took the same number between check and write.
            conflict = _conflict(form, minutes)
        except MinutesError as error:
            refuse(form, error)
        else:
            flash(_("Le compte rendu a été enregistré."), "success")
            return _back(meeting_id)
    status = CONFLICT if conflict else form_status(form)
    return render_template(
        "meetings/minutes/edit.html",
        meeting=meeting,
        minutes=minutes,
        form=form,
        sections=sections,
        conflict=conflict,
        conflict_text=full_text(sections_of(conflict)) if conflict else None,
    ), status


def _conflict(form: RevisionForm, minutes: Minutes):
    """The revision saved meanwhile. Nothing was written; the person's texts stay in the
    form, which now starts from that revision so that the merged texts can be saved."""
    db.session.rollback()
    other = latest_revision(minutes)
    form.base_number.data = other.number
    form.form_errors.append(
        _(
            "Le compte rendu a été modifié entre-temps (version %(number)s) : comparez avec "
            "votre texte, reportez-y les changements utiles puis enregistrez à nouveau.",
            number=other.number,
        )
    )
    return other


@bp.get("/secretariat/meetings/<id:meeting_id>/minutes/revisions/<id:number>")
@require(Permission.MANAGE_COMMITTEES)
def revision(meeting_id: int, number: int):
    meeting = get_or_404(Meeting, meeting_id)
    minutes = one_or_404(meeting.minutes)
    shown = one_or_404(get_revision(minutes, number))
    sections = sections_of(shown)
    return render_template(
        "meetings/minutes/revision.html",
        meeting=meeting,
        minutes=minutes,
        revision=shown,
        sections=sections,
        body=render_markdown(full_text(sections)),
    )


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/send")
@require(Permission.MANAGE_COMMITTEES)
def send(meeting_id: int):
    minutes = one_or_404(get_or_404(Meeting, meeting_id).minutes)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = send_for_comments(minutes)
    except MinutesError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(
            ngettext(
                "Le projet de compte rendu a été envoyé à %(num)d participant.",
                "Le projet de compte rendu a été envoyé à %(num)d participants.",
                count,
            ),
            "success",
        )
    return _back(meeting_id)


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/adopt")
@require(Permission.MANAGE_COMMITTEES)
def adopt_view(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    minutes = one_or_404(meeting.minutes)
    form = AdoptForm(meeting_choices=adopting_meeting_choices(meeting))
    if form.validate_on_submit():
        at_meeting = (
            db.session.get(Meeting, form.at_meeting_id.data)
            if (form.at_meeting_id.data is not None)
            else None
        )
        try:
            adopt(minutes, form.adopted_on.data, form.mode.data, at_meeting)
        except MinutesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("L'adoption du compte rendu est enregistrée."), "success")
            return _back(meeting_id)
    return _manage_page(meeting, adopt_form=form, status=INVALID)


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish_view(meeting_id: int):
    minutes = one_or_404(get_or_404(Meeting, meeting_id).minutes)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        publish(minutes)
    except MinutesError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(_("Le compte rendu est publié."), "success")
    return _back(meeting_id)


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/comments/<id:comment_id>")
@require(Permission.MANAGE_COMMITTEES)
def process_comment_view(meeting_id: int, comment_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    minutes = one_or_404(meeting.minutes)
    comment = one_or_404(minutes_comments.comment_of(minutes, comment_id))
    form = ProcessCommentForm(revisions=[r.number for r in revision_history(minutes)])
    if form.validate_on_submit():
        try:
            minutes_comments.process_comment(
                comment, answer=form.answer.data, taken_in_revision=form.taken_in_revision.data
            )
        except MinutesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("L'observation est traitée."), "success")
            return _back(meeting_id)
    return _manage_page(meeting, process_form=form, failed_comment_id=comment.id, status=INVALID)
