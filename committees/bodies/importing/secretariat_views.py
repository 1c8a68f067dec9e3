"""The secretariat's CSV import of a committee's members: preview, then import."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from committees.auth.permissions import Permission, require
from committees.bodies.importing.forms import ConfirmForm, UploadForm
from committees.bodies.importing.parsing import (
    COLUMNS,
    MAX_BYTES,
    ImportPreview,
    MemberImportError,
    decode_csv,
)
from committees.bodies.importing.services import import_members, parse_members_csv
from committees.bodies.models import Committee
from committees.common.views import INVALID, get_or_404
from committees.extensions import db
from committees.templating import url_or_none

bp = Blueprint("member_import", __name__, url_prefix="/secretariat/committees")


@bp.url_value_preprocessor
def _allow_previewed_text(_endpoint, _values) -> None:
    # The confirmation sends the whole file back in a form field, above Flask's default
    # 500 kB for a field. This runs before CSRFProtect parses the form; decode_csv still
    # refuses anything over MAX_BYTES.
    request.max_form_memory_size = 2 * MAX_BYTES


@bp.get("/<id:committee_id>/import")
@require(Permission.MANAGE_COMMITTEES)
def upload(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    return _page(committee, UploadForm())


@bp.post("/<id:committee_id>/import")
@require(Permission.MANAGE_COMMITTEES)
def preview(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(committee, form), INVALID
    try:
        text = decode_csv(form.file.data.read(MAX_BYTES + 1))
    except MemberImportError as error:
        form.file.errors.extend(issue.message for issue in error.issues)
        return _page(committee, form), INVALID
    result = parse_members_csv(text, committee)
    confirm = ConfirmForm(formdata=None, csv_text=result.text)
    return _page(committee, form, result, confirm), (200 if result.is_valid else INVALID)


@bp.post("/<id:committee_id>/import/confirm")
@require(Permission.MANAGE_COMMITTEES)
def confirm(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(committee, UploadForm(formdata=None), confirm=form), INVALID
    result = parse_members_csv(form.csv_text.data, committee)
    try:
        mandates = import_members(result, committee)
    except MemberImportError as error:
        db.session.rollback()
        if not result.errors:  # refused by a service: show it with the lines
            result.file_errors.extend(error.issues)
        return _page(committee, UploadForm(formdata=None), result, form), INVALID
    db.session.commit()
    flash(
        ngettext(
            "%(num)d membre importé.",
            "%(num)d membres importés.",
            len(mandates),
        ),
        "success",
    )
    return redirect(
        url_or_none("bodies.committee", committee_id=committee.id)
        or url_for(".upload", committee_id=committee.id)
    )


def _page(
    committee: Committee,
    form: UploadForm,
    result: ImportPreview | None = None,
    confirm: ConfirmForm | None = None,
):
    return render_template(
        "bodies/import.html",
        committee=committee,
        form=form,
        preview=result,
        confirm_form=confirm,
        columns=COLUMNS,
        title=_("Importer des membres"),
    )
