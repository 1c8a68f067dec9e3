"""Minutes screens: the secretariat's (/secretariat/meetings/<id>/minutes), the members'
(/my/meetings/<id>/minutes) and the public's (/meetings/<id>/minutes and its PDF).

Who sees what is decided by ``minutes.can_view_minutes`` / ``can_edit_minutes`` only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from committees.auth.permissions import Permission, require
from committees.common.markdown import render_markdown
from committees.extensions import db
from committees.meetings.labels import (
    ADOPTION_MODE_LABELS,
    MINUTES_STATUS_LABELS,
    MINUTES_STATUS_TONES,
)
from committees.meetings.minutes import comments as minutes_comments
from committees.meetings.minutes.forms import (
    ActionForm,
    AdoptForm,
    CommentForm,
    ProcessCommentForm,
    RevisionForm,
)
from committees.meetings.minutes.pdf import pdf_response, render_minutes_pdf
from committees.meetings.minutes.public_text import public_text
from committees.meetings.minutes.services import (
    MinutesError,
    StaleRevision,
    adopt,
    adopting_meeting_choices,
    can_edit_minutes,
    can_view_minutes,
    can_view_publicly,
    get_revision,
    latest_revision,
    publish,
    revision_history,
    save_revision,
    send_for_comments,
    start_minutes,
)
from committees.meetings.models import Meeting, Minutes

bp = Blueprint("minutes", __name__)

#: status of a POST whose form does not validate, across the application
INVALID = 422
#: status of a save that started from an outdated revision
CONFLICT = 409


@bp.app_context_processor
def _labels() -> dict:
    return {
        "minutes_status_labels": MINUTES_STATUS_LABELS,
        "minutes_status_tones": MINUTES_STATUS_TONES,
        "adoption_mode_labels": ADOPTION_MODE_LABELS,
    }


def _meeting_or_404(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def _minutes_or_404(meeting: Meeting) -> Minutes:
    if meeting.minutes is None:
        abort(404)
    return meeting.minutes


def _field_error(form, error: MinutesError) -> None:
    """A refused operation: nothing of it is kept, its reason goes beside its field."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


# --- secretariat ----------------------------------------------------------------------


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
        context.update(
            latest=latest,
            body=render_markdown(latest.body),
            history=revision_history(minutes),
            can_edit=can_edit_minutes(current_user, minutes),
            adopt_form=adopt_form
            or AdoptForm(meeting_choices=adopting_meeting_choices(meeting), formdata=None),
            comments=minutes_comments.comments_of(minutes),
            process_form=process_form
            or ProcessCommentForm(
                revisions=[r.number for r in revision_history(minutes)], formdata=None
            ),
            failed_comment_id=failed_comment_id,
            comment_summary=minutes_comments.comment_summary(minutes),
        )
    return render_template("meetings/minutes/manage.html", **context), status


@bp.get("/secretariat/meetings/<id:meeting_id>/minutes")
@require(Permission.MANAGE_COMMITTEES)
def manage(meeting_id: int):
    return _manage_page(_meeting_or_404(meeting_id))


def _flash_refusal(error: MinutesError) -> None:
    db.session.rollback()
    flash(str(error), "error")


def _back(meeting_id: int):
    return redirect(url_for("minutes.manage", meeting_id=meeting_id))


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/start")
@require(Permission.MANAGE_COMMITTEES)
def start(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        start_minutes(meeting, current_user)
    except MinutesError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
        flash(_("Le compte rendu a été prérempli depuis la séance."), "success")
        return redirect(url_for("minutes.edit", meeting_id=meeting_id))
    return _back(meeting_id)


@bp.route("/secretariat/meetings/<id:meeting_id>/minutes/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    minutes = _minutes_or_404(meeting)
    if not can_edit_minutes(current_user, minutes):
        flash(_("Le compte rendu est adopté : il ne peut plus être modifié."), "error")
        return _back(meeting_id)
    latest = latest_revision(minutes)
    form = RevisionForm(data={"body": latest.body, "base_number": latest.number})
    conflict = None
    if form.validate_on_submit():
        try:
            save_revision(
                minutes, form.body.data, form.base_number.data, current_user, form.note.data or ""
            )
            db.session.commit()
        except (StaleRevision, IntegrityError):
            # IntegrityError: another save took the same number between check and write.
            conflict = _conflict(form, minutes)
        except MinutesError as error:
            _field_error(form, error)
        else:
            flash(_("Le compte rendu a été enregistré."), "success")
            return _back(meeting_id)
    status = CONFLICT if conflict else (INVALID if form.errors else 200)
    return render_template(
        "meetings/minutes/edit.html",
        meeting=meeting,
        minutes=minutes,
        form=form,
        conflict=conflict,
    ), status


def _conflict(form: RevisionForm, minutes: Minutes):
    """The revision saved meanwhile. Nothing was written; the person's text stays in the
    form, which now starts from that revision so that the merged text can be saved."""
    db.session.rollback()
    other = latest_revision(minutes)
    form.base_number.data = other.number
    form.body.errors = [
        *form.body.errors,
        _(
            "Le compte rendu a été modifié entre-temps (version %(number)s) : comparez avec "
            "votre texte, reportez-y les changements utiles puis enregistrez à nouveau.",
            number=other.number,
        ),
    ]
    return other


@bp.get("/secretariat/meetings/<id:meeting_id>/minutes/revisions/<id:number>")
@require(Permission.MANAGE_COMMITTEES)
def revision(meeting_id: int, number: int):
    meeting = _meeting_or_404(meeting_id)
    minutes = _minutes_or_404(meeting)
    shown = get_revision(minutes, number)
    if shown is None:
        abort(404)
    return render_template(
        "meetings/minutes/revision.html",
        meeting=meeting,
        minutes=minutes,
        revision=shown,
        body=render_markdown(shown.body),
    )


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/send")
@require(Permission.MANAGE_COMMITTEES)
def send(meeting_id: int):
    minutes = _minutes_or_404(_meeting_or_404(meeting_id))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = send_for_comments(minutes)
    except MinutesError as error:
        _flash_refusal(error)
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
    meeting = _meeting_or_404(meeting_id)
    minutes = _minutes_or_404(meeting)
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
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("L'adoption du compte rendu est enregistrée."), "success")
            return _back(meeting_id)
    return _manage_page(meeting, adopt_form=form, status=INVALID)


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish_view(meeting_id: int):
    minutes = _minutes_or_404(_meeting_or_404(meeting_id))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        publish(minutes)
    except MinutesError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
        flash(_("Le compte rendu est publié."), "success")
    return _back(meeting_id)


@bp.post("/secretariat/meetings/<id:meeting_id>/minutes/comments/<id:comment_id>")
@require(Permission.MANAGE_COMMITTEES)
def process_comment_view(meeting_id: int, comment_id: int):
    meeting = _meeting_or_404(meeting_id)
    minutes = _minutes_or_404(meeting)
    comment = minutes_comments.comment_of(minutes, comment_id)
    if comment is None:
        abort(404)
    form = ProcessCommentForm(revisions=[r.number for r in revision_history(minutes)])
    if form.validate_on_submit():
        try:
            minutes_comments.process_comment(
                comment, answer=form.answer.data, taken_in_revision=form.taken_in_revision.data
            )
        except MinutesError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("L'observation est traitée."), "success")
            return _back(meeting_id)
    return _manage_page(meeting, process_form=form, failed_comment_id=comment.id, status=INVALID)


# --- members --------------------------------------------------------------------------


@bp.get("/my/meetings/<id:meeting_id>/minutes")
@require(Permission.MEMBER_AREA)
def member_view(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    if not can_view_minutes(meeting.minutes, current_user):
        abort(404)
    return _member_page(meeting)


def _member_page(meeting: Meeting, form: CommentForm | None = None, status: int = 200):
    minutes = meeting.minutes
    items = minutes_comments.commentable_items(minutes, current_user)
    return _reading_page(
        meeting,
        "meetings/minutes/member.html",
        status=status,
        comments=minutes_comments.comments_of(minutes),
        comment_form=form or CommentForm(items=items, formdata=None),
        can_comment=bool(items),
        comments_open=minutes_comments.comments_open(minutes),
    )


@bp.post("/my/meetings/<id:meeting_id>/minutes/comments")
@require(Permission.MEMBER_AREA)
def comment(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    minutes = meeting.minutes
    if not minutes_comments.can_view_comments(minutes, current_user):
        abort(404)
    form = CommentForm(items=minutes_comments.commentable_items(minutes, current_user))
    if form.validate_on_submit():
        try:
            minutes_comments.add_comment(minutes, current_user, form.item_id.data, form.body.data)
        except MinutesError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("Votre observation est enregistrée."), "success")
            return redirect(url_for("minutes.member_view", meeting_id=meeting_id))
    return _member_page(meeting, form, status=INVALID)


def _reading_page(
    meeting: Meeting, template: str, status: int = 200, *, public: bool = False, **context
):
    minutes = meeting.minutes
    latest = latest_revision(minutes)
    text = public_text(minutes, latest) if public else latest.body
    html = render_template(
        template,
        meeting=meeting,
        minutes=minutes,
        revision=latest,
        body=render_markdown(text),
        comment_summary=minutes_comments.comment_summary(minutes),
        **context,
    )
    return html, status


# --- public ---------------------------------------------------------------------------


def _published_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = _meeting_or_404(meeting_id)
    if not can_view_publicly(meeting.minutes):
        abort(404)
    return meeting


@bp.get("/meetings/<id:meeting_id>/minutes")
def public_view(meeting_id: int):
    meeting = _published_meeting_or_404(meeting_id)
    return _reading_page(meeting, "meetings/minutes/public.html", public=True)


@bp.get("/meetings/<id:meeting_id>/minutes.pdf")
def public_pdf(meeting_id: int):
    meeting = _published_meeting_or_404(meeting_id)
    minutes = meeting.minutes
    return pdf_response(
        lambda: render_minutes_pdf(minutes, latest_revision(minutes)),
        f"compte-rendu-{meeting.committee.slug}-seance-{meeting.number}.pdf",
        lambda: render_template("meetings/minutes/pdf_unavailable.html", meeting=meeting),
    )
