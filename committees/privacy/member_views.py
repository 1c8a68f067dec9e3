"""Personal-data pages: one's own export (/account/data), the administrator's export and
erasure of any account or person (/admin/.../data)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.models import User
from committees.auth.permissions import Permission, require
from committees.bodies.models import Person
from committees.common.views import INVALID
from committees.extensions import db
from committees.privacy.erasure import ErasureError, erase, is_erased, remove_files
from committees.privacy.export import export_archive
from committees.privacy.forms import AdminExportForm, ErasureForm, ExportForm
from committees.privacy.subjects import Subject, subject_for_person, subject_for_user

bp = Blueprint("privacy", __name__)


def _zip_response(subject: Subject) -> Response:
    data = export_archive(subject, current_user._get_current_object())
    db.session.commit()  # the audit entry first: no export leaves unrecorded
    return Response(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="donnees-{subject.label}.zip"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/account/data")
@require(Permission.SIGNED_IN)
def my_data():
    """What the site holds about the signed-in person, and the download button."""
    return render_template("privacy/my_data.html", form=ExportForm())


@bp.post("/account/data/export")
@require(Permission.SIGNED_IN)
def export_my_data():
    """The signed-in person's data as a ZIP."""
    form = ExportForm()
    if not form.validate_on_submit():
        return render_template("privacy/my_data.html", form=form), INVALID
    return _zip_response(subject_for_user(current_user._get_current_object()))


def _admin_page(subject: Subject, *, erase_form: ErasureForm | None = None, status: int = 200):
    page = render_template(
        "privacy/admin_data.html",
        subject=subject,
        export_url=_url(subject, "export"),
        erase_url=_url(subject, "erase"),
        export_form=AdminExportForm(),
        erase_form=erase_form or ErasureForm(),
        erased=subject.user is not None and is_erased(subject.user),
    )
    return page, status


def _url(subject: Subject, action: str) -> str:
    if subject.user is not None:
        return url_for(f"privacy.{action}_user", user_id=subject.user.id)
    return url_for(f"privacy.{action}_person", person_id=subject.person.id)


def _erase(subject: Subject):
    form = ErasureForm()
    if not form.validate_on_submit():
        return _admin_page(subject, erase_form=form, status=INVALID)
    try:
        result = erase(subject, current_user._get_current_object())
    except ErasureError as refused:
        db.session.rollback()
        form.confirm.errors.append(str(refused))
        return _admin_page(subject, erase_form=form, status=INVALID)
    db.session.commit()
    remove_files(result.digests)  # only now: a failed commit keeps its files
    if result.changed:
        flash(_("Les données personnelles ont été effacées."), "success")
    else:
        flash(_("Rien à effacer : ces données avaient déjà été effacées."), "info")
    return redirect(_url(subject, "data"))


@bp.get("/admin/users/<id:user_id>/data")
@require(Permission.MANAGE_USERS)
def data_user(user_id: int):
    """Export and erasure of an account (and of its person record, if linked)."""
    return _admin_page(subject_for_user(db.get_or_404(User, user_id)))


@bp.post("/admin/users/<id:user_id>/data/export")
@require(Permission.MANAGE_USERS)
def export_user(user_id: int):
    subject = subject_for_user(db.get_or_404(User, user_id))
    if not AdminExportForm().validate_on_submit():
        return _admin_page(subject, status=INVALID)
    return _zip_response(subject)


@bp.post("/admin/users/<id:user_id>/data/erase")
@require(Permission.MANAGE_USERS)
def erase_user(user_id: int):
    return _erase(subject_for_user(db.get_or_404(User, user_id)))


@bp.get("/admin/persons/<id:person_id>/data")
@require(Permission.MANAGE_USERS)
def data_person(person_id: int):
    """Export and erasure of a person record (and of its account, if linked)."""
    return _admin_page(subject_for_person(db.get_or_404(Person, person_id)))


@bp.post("/admin/persons/<id:person_id>/data/export")
@require(Permission.MANAGE_USERS)
def export_person(person_id: int):
    subject = subject_for_person(db.get_or_404(Person, person_id))
    if not AdminExportForm().validate_on_submit():
        return _admin_page(subject, status=INVALID)
    return _zip_response(subject)


@bp.post("/admin/persons/<id:person_id>/data/erase")
@require(Permission.MANAGE_USERS)
def erase_person(person_id: int):
    return _erase(subject_for_person(db.get_or_404(Person, person_id)))
