"""The secretariat's call screens (/secretariat/calls): settings, review, export."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from committees.auth.permissions import Permission, require
from committees.bodies.models import Committee
from committees.bodies.services import list_committees
from committees.calls.administration import export
from committees.calls.administration.forms import (
    MEGABYTE,
    CallForm,
    ContributionFilterForm,
    ReviewForm,
)
from committees.calls.administration.review import (
    attachment_of,
    contribution_of,
    contributions_page,
    mark_eligible,
    mark_off_topic,
    publish_contribution,
    select_for_hearing,
    unpublish_contribution,
)
from committees.calls.administration.services import (
    attach_template,
    calls_query,
    contribution_counts,
    create_call,
    publish_call,
    remove_template,
    session_choices,
    template_max_bytes,
    update_call,
)
from committees.calls.models import Call, Contribution
from committees.calls.rules import CallError, allowed_kinds, call_themes, is_past
from committees.common import filestore
from committees.common.markdown import render_markdown
from committees.common.params import page_arg
from committees.common.views import INVALID, form_status, get_or_404, one_or_404, refuse
from committees.extensions import db
from committees.meetings.models import Meeting
from committees.publication.fragments import kept_part
from committees.templating import paris_date

bp = Blueprint("calls_admin", __name__, url_prefix="/secretariat/calls")

PER_PAGE = 25


def _filter_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k != "page" and v}


# --- calls ----------------------------------------------------------------------------


@bp.get("")
@require(Permission.MANAGE_COMMITTEES)
def index():
    pagination = db.paginate(calls_query(), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "calls/admin/index.html",
        pagination=pagination,
        counts=contribution_counts(pagination.items),
    )


def _session_choice(meeting: Meeting, committee: Committee) -> SelectChoice:
    """An upcoming session, in the group of its committee (named)."""
    label = f"{paris_date(meeting.starts_at)} — {meeting.title}"
    return SelectChoice(meeting.id, label, optgroup=committee.name_fr)


def _new_form(call: Call | None) -> CallForm:
    form = CallForm(obj=call) if call is not None else CallForm()
    keep = call.meeting_id if call is not None else None
    form.set_choices(
        [(c.id, c.name_fr) for c in list_committees()],
        [_session_choice(m, c) for m, c in session_choices(keep)],
    )
    if call is not None and not form.is_submitted():
        form.show_call(call)
    return form


def _fields(form: CallForm) -> dict:
    meeting_id = form.meeting_id.data
    return form.call_fields(
        committee=db.session.get(Committee, form.committee_id.data),
        meeting=db.session.get(Meeting, meeting_id) if meeting_id else None,
    )


def _save(form: CallForm, call: Call | None) -> Call | None:
    """Create or update from the form, template included, in one transaction; None if refused."""
    upload = form.template_upload(template_max_bytes())
    try:
        with filestore.staged_files():
            if call is None:
                call = create_call(**_fields(form))
            else:
                update_call(call, **_fields(form))
            if form.remove_template.data:
                remove_template(call)
            if upload is not None:
                attach_template(call, *upload)
            db.session.commit()
    except CallError as error:
        refuse(form, error)
        return None
    return call


def _form_page(form: CallForm, call: Call | None):
    return render_template(
        "calls/admin/form.html",
        form=form,
        call=call,
        template_limit_mb=template_max_bytes() // MEGABYTE,
    ), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def create():
    form = _new_form(None)
    if form.validate_on_submit():
        call = _save(form, None)
        if call is not None:
            flash(_("L'appel %(reference)s a été enregistré.", reference=call.reference), "success")
            return redirect(url_for("calls_admin.detail", call_id=call.id))
    return _form_page(form, None)


@bp.route("/<id:call_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(call_id: int):
    call = get_or_404(Call, call_id)
    form = _new_form(call)
    if form.validate_on_submit() and _save(form, call) is not None:
        flash(_("L'appel %(reference)s a été enregistré.", reference=call.reference), "success")
        return redirect(url_for("calls_admin.detail", call_id=call.id))
    return _form_page(form, call)


def _detail_page(call: Call, error: str | None = None):
    counts = contribution_counts([call])
    return render_template(
        "calls/admin/detail.html",
        call=call,
        body=render_markdown(call.body),
        themes=call_themes(call),
        allowed=allowed_kinds(call),
        count=counts.get(call.id, 0),
        synthesis_open=is_past(call),
        error=error,
    ), (INVALID if error else 200)


@bp.get("/<id:call_id>")
@require(Permission.MANAGE_COMMITTEES)
def detail(call_id: int):
    return _detail_page(get_or_404(Call, call_id))


@bp.post("/<id:call_id>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(call_id: int):
    call = get_or_404(Call, call_id)
    publish_call(call)
    db.session.commit()
    flash(_("L'appel %(reference)s est publié.", reference=call.reference), "success")
    return redirect(url_for("calls_admin.detail", call_id=call.id))


@bp.get("/<id:call_id>/template")
@require(Permission.MANAGE_COMMITTEES)
def template(call_id: int):
    call = get_or_404(Call, call_id)
    return filestore.send_stored(call.template_sha256, call.template_filename or "modele")


# --- review ---------------------------------------------------------------------------


@bp.get("/<id:call_id>/contributions")
@require(Permission.MANAGE_COMMITTEES)
def contributions(call_id: int):
    call = get_or_404(Call, call_id)
    # The filters and the list read only the query string and rows the publication
    # revision watches: kept in the worker for each query string, drawn again after any
    # change to a contribution (``publication.fragments``).
    listing, position = kept_part(
        ("calls.review", call.id, tuple(request.args.items(multi=True))),
        partial(_review_listing, call),
    )
    return render_template(
        "calls/admin/contributions.html", call=call, listing=listing, page_position=position
    )


def _review_listing(call: Call) -> tuple[Markup, tuple[int, int]]:
    """The filters and the page of contributions the query string asks for, drawn, with
    the (page, pages) of the list for the title."""
    form = ContributionFilterForm(request.args)
    form.set_themes(call_themes(call))
    pagination = contributions_page(call, form.criteria(), page=page_arg(), per_page=PER_PAGE)
    html = render_template(
        "calls/admin/_contributions_listing.html",
        call=call,
        form=form,
        pagination=pagination,
        page_args=_filter_args(),
    )
    return Markup(html), (pagination.page, pagination.pages)  # noqa: S704 - autoescaped


def _contribution(call_id: int, contribution_id: int) -> tuple[Call, Contribution]:
    call = get_or_404(Call, call_id)
    return call, one_or_404(contribution_of(call, contribution_id))


def _contribution_page(call, contribution, form=None, error=None):
    if form is None:
        form = ReviewForm(
            data={
                "decision": contribution.status
                if contribution.status in ("eligible", "off_topic")
                else None,
                "reason": contribution.review_note,
            }
        )
    status = INVALID if error else form_status(form)
    return render_template(
        "calls/admin/contribution.html",
        call=call,
        contribution=contribution,
        form=form,
        error=error,
    ), status


@bp.get("/<id:call_id>/contributions/<id:contribution_id>")
@require(Permission.MANAGE_COMMITTEES)
def contribution(call_id: int, contribution_id: int):
    return _contribution_page(*_contribution(call_id, contribution_id))


def _done(call: Call, contribution: Contribution, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(
        url_for("calls_admin.contribution", call_id=call.id, contribution_id=contribution.id)
    )


@bp.post("/<id:call_id>/contributions/<id:contribution_id>/review")
@require(Permission.MANAGE_COMMITTEES)
def review(call_id: int, contribution_id: int):
    call, contribution = _contribution(call_id, contribution_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _contribution_page(call, contribution, form)
    try:
        if form.decision.data == "off_topic":
            mark_off_topic(contribution, form.reason.data)
        else:
            mark_eligible(contribution, form.reason.data or "")
    except CallError as error:
        db.session.rollback()
        return _contribution_page(call, contribution, form, str(error))
    return _done(
        call,
        contribution,
        _(
            "L'appréciation de la contribution %(receipt)s est enregistrée.",
            receipt=contribution.receipt,
        ),
    )


def _action(call_id: int, contribution_id: int, action, message: str):
    """Run a button's service on a contribution; its refusal is shown on the page (422)."""
    call, contribution = _contribution(call_id, contribution_id)
    try:
        action(contribution)
    except CallError as error:
        db.session.rollback()
        return _contribution_page(call, contribution, error=str(error))
    return _done(call, contribution, message % {"receipt": contribution.receipt})


@bp.post("/<id:call_id>/contributions/<id:contribution_id>/select")
@require(Permission.MANAGE_COMMITTEES)
def select_hearing(call_id: int, contribution_id: int):
    return _action(
        call_id,
        contribution_id,
        select_for_hearing,
        _("La contribution %(receipt)s est retenue : l'audition est inscrite à l'ordre du jour."),
    )


@bp.post("/<id:call_id>/contributions/<id:contribution_id>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish_one(call_id: int, contribution_id: int):
    return _action(
        call_id,
        contribution_id,
        publish_contribution,
        _("La contribution %(receipt)s est publiée."),
    )


@bp.post("/<id:call_id>/contributions/<id:contribution_id>/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish_one(call_id: int, contribution_id: int):
    return _action(
        call_id,
        contribution_id,
        unpublish_contribution,
        _("La contribution %(receipt)s n'est plus publiée."),
    )


@bp.get("/<id:call_id>/contributions/<id:contribution_id>/attachments/<id:attachment_id>")
@require(Permission.MANAGE_COMMITTEES)
def attachment(call_id: int, contribution_id: int, attachment_id: int):
    _call, contribution = _contribution(call_id, contribution_id)
    found = attachment_of(contribution, attachment_id)
    if found is None:
        abort(404)
    return filestore.send_stored(found.sha256, found.filename, found.content_type, private=True)


# --- export ---------------------------------------------------------------------------


@bp.get("/<id:call_id>/export.csv")
@require(Permission.MANAGE_COMMITTEES)
def export_csv(call_id: int):
    call = get_or_404(Call, call_id)
    # Streamed: rows are written as they are read (the queries run before the first chunk).
    return (
        stream_with_context(export.csv_chunks(call)),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{export.export_basename(call)}.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/<id:call_id>/export.zip")
@require(Permission.MANAGE_COMMITTEES)
def export_zip(call_id: int):
    call = get_or_404(Call, call_id)
    response = send_file(
        export.zip_file(call),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{export.export_basename(call)}.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
