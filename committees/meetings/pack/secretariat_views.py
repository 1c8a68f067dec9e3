"""The secretariat replaces an agenda document by a new version and downloads the former
ones, under /secretariat/meetings/<id>/documents/<id>/."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.common import filestore
from committees.common.views import INVALID, refuse
from committees.extensions import db
from committees.meetings.agenda import services as agenda_service
from committees.meetings.agenda.downloads import document_or_404
from committees.meetings.pack import versions as service
from committees.meetings.pack.forms import ReplaceDocumentForm
from committees.meetings.scheduling.services import MeetingError

bp = Blueprint("pack", __name__)


def _page(document, form: ReplaceDocumentForm, status: int = 200):
    return render_template(
        "meetings/pack/replace.html",
        document=document,
        item=document.item,
        meeting=document.item.meeting,
        form=form,
        versions=service.former_versions(document),
        limit_mb=agenda_service.document_max_megabytes(),
    ), status


@bp.route(
    "/secretariat/meetings/<id:meeting_id>/documents/<id:document_id>/replace",
    methods=["GET", "POST"],
)
@require(Permission.MANAGE_COMMITTEES)
def replace(meeting_id: int, document_id: int):
    document = document_or_404(meeting_id, document_id)
    form = ReplaceDocumentForm()
    if not form.is_submitted():
        return _page(document, form)
    if form.validate():
        upload = form.file.data
        data = upload.stream.read(agenda_service.document_max_bytes() + 1)
        try:
            with filestore.staged_files():
                service.replace_document(
                    document, data=data, filename=upload.filename or "", title=form.title.data
                )
                db.session.commit()
        except MeetingError as error:
            db.session.rollback()
            refuse(form, error)
        except filestore.StoreUnavailable as error:
            db.session.rollback()
            refuse(form, error, form.file)
            return _page(document, form, error.status)
        else:
            flash(
                _(
                    "Le document « %(title)s » est remplacé (version %(version)s) ; les "
                    "dossiers de séance des membres sont reconstruits.",
                    title=document.title,
                    version=document.version,
                ),
                "success",
            )
            return redirect(url_for("agenda.item", meeting_id=meeting_id, item_id=document.item_id))
    return _page(document, form, INVALID)


@bp.get("/secretariat/meetings/<id:meeting_id>/documents/<id:document_id>/versions/<id:version>")
@require(Permission.MANAGE_COMMITTEES)
def former_version(meeting_id: int, document_id: int, version: int):
    document = document_or_404(meeting_id, document_id)
    former = service.former_version(document, version)
    if former is None:
        abort(404)
    return filestore.send_stored(former.sha256, former.filename, former.content_type, private=True)
