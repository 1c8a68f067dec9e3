"""The contributor's side: the submission form, the receipt, « Mes contributions »."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.calls import rules
from committees.calls.labels import FILE_KIND_LABELS
from committees.calls.models import Call, Contribution
from committees.calls.rules import CallError
from committees.calls.submission.attachments import Upload, megabytes
from committees.calls.submission.forms import (
    ContributionForm,
    EditContributionForm,
    RestoreForm,
    WithdrawForm,
)
from committees.calls.submission.pending import (
    as_uploads,
    keep_uploads,
    load_pending,
    sign_pending,
)
from committees.calls.submission.services import (
    can_change,
    contributions_of,
    edit_contribution,
    own_attachment,
    own_contribution,
    submit_contribution,
)
from committees.calls.submission.withdrawal import (
    can_restore,
    restore_contribution,
    withdraw_and_notify,
)
from committees.calls.visibility import public_call
from committees.common import filestore
from committees.common.params import page_arg
from committees.common.timeutils import utcnow
from committees.common.views import form_status, one_or_404, refuse
from committees.extensions import db
from committees.templating import paris_datetime

bp = Blueprint("contributions", __name__)

PER_PAGE = 20


def _uploads(form: ContributionForm, call: Call) -> list[Upload]:
    """The files sent, each read to just past the call's limit (the service refuses more)."""
    return [
        Upload(upload.filename or "", upload.stream.read(call.max_attachment_bytes + 1))
        for upload in form.attachments.data or []
        if upload and upload.filename
    ]


def _form_page(template: str, form, call: Call, **context):
    return render_template(
        template,
        form=form,
        call=call,
        file_kinds=[FILE_KIND_LABELS[k] for k in rules.allowed_kinds(call)],
        size_mb=megabytes(call.max_attachment_bytes),
        **context,
    ), form_status(form)


# --- submission -----------------------------------------------------------------------


@bp.route("/calls/<id:call_id>/contribute", methods=["GET", "POST"])
@require(Permission.CONTRIBUTE)
def contribute(call_id: int):
    call = one_or_404(public_call(call_id))
    if current_user.email_confirmed_at is None:
        return render_template("calls/contributor/confirm_first.html", call=call), 403
    now = utcnow()
    if request.method == "GET" and not rules.is_open(call, now):
        return render_template("calls/contributor/not_open.html", call=call, **_closed(call))
    form = ContributionForm(call=call)
    # Files kept from an earlier attempt sent back with an error, then the new ones.
    kept = load_pending(request.form.get("pending_files"), current_user, call)
    uploads = [*as_uploads(kept), *_uploads(form, call)] if form.is_submitted() else []
    if form.validate_on_submit():
        try:
            contribution = submit_contribution(
                call,
                current_user,
                form.contribution_data(),
                uploads,
                form.idempotency_key.data,
                now=now,
            )
        except CallError as error:
            refuse(form, error)
        except filestore.StoreUnavailable as error:
            # The form comes back as typed (same idempotency key): sending it again later
            # records the contribution once. The new files cannot be kept: the store is down.
            refuse(form, error)
            page = _form_page(
                "calls/contributor/form.html",
                form,
                call,
                kept_files=kept,
                pending_token=sign_pending(kept, current_user, call),
            )
            return page[0], error.status
        else:
            return redirect(url_for("contributions.receipt", contribution_id=contribution.id))
    kept = keep_uploads(call, uploads) if uploads else []
    return _form_page(
        "calls/contributor/form.html",
        form,
        call,
        kept_files=kept,
        pending_token=sign_pending(kept, current_user, call),
    )


def _closed(call: Call) -> dict:
    try:
        rules.ensure_open(call)
    except CallError as error:
        return {"reason": str(error)}
    return {"reason": ""}


def _own_or_404(contribution_id: int) -> Contribution:
    # Someone else's contribution answers exactly like a missing one.
    return one_or_404(own_contribution(current_user, contribution_id))


@bp.get("/my/contributions/<id:contribution_id>/receipt")
@require(Permission.CONTRIBUTE)
def receipt(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    return render_template(
        "calls/contributor/receipt.html",
        contribution=contribution,
        call=contribution.call,
        files=[a for a in contribution.attachments if a.current],
    )


# --- the contributor's space ----------------------------------------------------------


@bp.get("/my/contributions")
@require(Permission.CONTRIBUTE)
def index():
    page = page_arg()
    pagination = db.paginate(
        contributions_of(current_user), page=page, per_page=PER_PAGE, error_out=False
    )
    return render_template("calls/contributor/index.html", pagination=pagination)


@bp.get("/my/contributions/<id:contribution_id>")
@require(Permission.CONTRIBUTE)
def detail(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    return render_template(
        "calls/contributor/detail.html",
        contribution=contribution,
        call=contribution.call,
        files=[a for a in contribution.attachments if a.current],
        changeable=can_change(contribution),
        closed_reason=_closed(contribution.call)["reason"],
        restorable=can_restore(contribution),
        restore_form=RestoreForm(),
    )


def _edit_form(contribution: Contribution, files) -> EditContributionForm:
    if request.method == "POST":
        return EditContributionForm(call=contribution.call, current_files=files)
    return EditContributionForm(
        call=contribution.call,
        current_files=files,
        data={
            "organisation": contribution.organisation,
            "organisation_kind": contribution.organisation_kind,
            "siren": contribution.siren or "",
            "contact_name": contribution.contact_name,
            "contact_function": contribution.contact_function,
            "themes": list(contribution.themes or []),
            "text": contribution.text,
            "consent_publication": contribution.consent_publication,
            "wants_hearing": contribution.wants_hearing,
            "version": contribution.version,
        },
    )


@bp.route("/my/contributions/<id:contribution_id>/edit", methods=["GET", "POST"])
@require(Permission.CONTRIBUTE)
def edit(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    if not can_change(contribution):
        flash(_("Cette contribution ne peut plus être modifiée."), "warning")
        return redirect(url_for("contributions.detail", contribution_id=contribution.id))
    files = [a for a in contribution.attachments if a.current]
    form = _edit_form(contribution, files)
    if form.validate_on_submit():
        try:
            edit_contribution(
                contribution,
                form.contribution_data(),
                _uploads(form, contribution.call),
                form.remove_attachments.data or [],
                expected_version=form.version.data,
            )
        except (CallError, filestore.StoreUnavailable) as error:
            refuse(form, error)
        else:
            flash(
                _(
                    "La version %(version)d de la contribution est enregistrée.",
                    version=contribution.version,
                ),
                "success",
            )
            return redirect(url_for("contributions.detail", contribution_id=contribution.id))
    return _form_page(
        "calls/contributor/edit.html", form, contribution.call, contribution=contribution
    )


@bp.route("/my/contributions/<id:contribution_id>/withdraw", methods=["GET", "POST"])
@require(Permission.CONTRIBUTE)
def withdraw(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    detail_url = url_for("contributions.detail", contribution_id=contribution_id)
    if not can_change(contribution):
        flash(_("Cette contribution ne peut plus être retirée."), "warning")
        return redirect(detail_url)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw_and_notify(contribution)
        except CallError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "La contribution %(receipt)s est retirée. Vous pouvez annuler ce retrait "
                    "jusqu'au %(when)s (heure de Paris).",
                    receipt=contribution.receipt,
                    when=paris_datetime(contribution.call.closes_at, "long"),
                ),
                "success",
            )
        return redirect(detail_url)
    return render_template(
        "calls/contributor/withdraw.html",
        contribution=contribution,
        call=contribution.call,
        form=form,
    ), form_status(form)


@bp.post("/my/contributions/<id:contribution_id>/restore")
@require(Permission.CONTRIBUTE)
def restore(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    if RestoreForm().validate_on_submit():
        try:
            restore_contribution(contribution)
        except CallError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Le retrait de la contribution %(receipt)s est annulé.",
                    receipt=contribution.receipt,
                ),
                "success",
            )
    return redirect(url_for("contributions.detail", contribution_id=contribution_id))


@bp.get("/my/contributions/<id:contribution_id>/attachments/<id:attachment_id>")
@require(Permission.CONTRIBUTE)
def attachment(contribution_id: int, attachment_id: int):
    found = own_attachment(current_user, contribution_id, attachment_id)
    if found is None:
        abort(404)
    return filestore.send_stored(found.sha256, found.filename, found.content_type, private=True)
