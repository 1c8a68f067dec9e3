"""Agenda screens of the secretariat (items, documents, hearings) and document downloads."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common import filestore
from committees.common.markdown import render_markdown
from committees.common.timeutils import to_paris
from committees.extensions import db
from committees.meetings.agenda import services as service
from committees.meetings.agenda.forms import (
    ActionForm,
    DeleteItemForm,
    DocumentForm,
    HearingForm,
    ItemForm,
    MoveForm,
)
from committees.meetings.agenda.services import Audience
from committees.meetings.labels import (
    HEARING_MODE_LABELS,
    HEARING_STATUS_LABELS,
    HEARING_STATUS_TONES,
    ITEM_KIND_LABELS,
    ORGANISATION_KIND_LABELS,
    label_of,
)
from committees.meetings.models import AgendaDocument, AgendaItem, Hearing, Meeting
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import MeetingError, meeting_day

bp = Blueprint("agenda", __name__)

#: status of a POST whose form does not validate, across the application
INVALID = 422


@bp.app_context_processor
def _labels() -> dict:
    return {
        "item_kind_label": lambda v: label_of(ITEM_KIND_LABELS, v),
        "organisation_kind_label": lambda v: label_of(ORGANISATION_KIND_LABELS, v),
        "hearing_mode_label": lambda v: label_of(HEARING_MODE_LABELS, v),
        "hearing_status_label": lambda v: label_of(HEARING_STATUS_LABELS, v),
        "hearing_status_tone": lambda v: HEARING_STATUS_TONES.get(v, "neutral"),
    }


def _meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def _item(meeting_id: int, item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    if item.meeting_id != meeting_id:
        abort(404)
    return item


def _refuse(form, error: MeetingError) -> None:
    """A refused change: nothing of it is kept, its reason is shown beside its field."""
    db.session.rollback()
    field = getattr(form, getattr(error, "field", None) or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _flash_refusal(error: MeetingError) -> None:
    db.session.rollback()
    flash(str(error), "error")


def _agenda_url(meeting: Meeting) -> str:
    return url_for("agenda.index", meeting_id=meeting.id)


# --- the agenda -----------------------------------------------------------------------


@bp.get("/secretariat/meetings/<id:meeting_id>/agenda")
@require(Permission.MANAGE_COMMITTEES)
def index(meeting_id: int):
    meeting = _meeting(meeting_id)
    return render_template(
        "meetings/agenda/index.html",
        meeting=meeting,
        items=service.agenda_items(meeting),
    )


@bp.post("/secretariat/meetings/<id:meeting_id>/agenda/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(meeting_id: int):
    meeting = _meeting(meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.publish_agenda(meeting)
    except MeetingError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
        flash(_("L'ordre du jour est publié."), "success")
    return redirect(_agenda_url(meeting))


@bp.post("/secretariat/meetings/<id:meeting_id>/agenda/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(meeting_id: int):
    meeting = _meeting(meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.unpublish_agenda(meeting)
    except MeetingError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
        flash(_("L'ordre du jour n'est plus publié."), "success")
    return redirect(_agenda_url(meeting))


# --- items ----------------------------------------------------------------------------


def _item_fields(form: ItemForm) -> dict:
    return {
        "title": form.title.data or "",
        "kind": form.kind.data,
        "rapporteur": form.rapporteur.data or "",
        "duration_minutes": form.duration_minutes.data,
        "is_public": not form.closed.data,
        "description": form.description.data or "",
        "organisations": service.parse_organisations(form.organisations.data),
    }


def _item_form_page(form: ItemForm, meeting: Meeting, item: AgendaItem | None):
    status = INVALID if form.errors or form.form_errors else 200
    return render_template(
        "meetings/agenda/item_form.html", form=form, meeting=meeting, item=item
    ), status


@bp.route("/secretariat/meetings/<id:meeting_id>/agenda/items/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def new_item(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = ItemForm()
    if form.validate_on_submit():
        try:
            item = service.add_item(meeting, **_item_fields(form))
        except MeetingError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(_("Le point n°%(number)s a été ajouté.", number=item.position), "success")
            return redirect(_agenda_url(meeting))
    return _item_form_page(form, meeting, None)


@bp.route("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit_item(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    form = ItemForm(obj=item)
    if request.method == "GET":
        form.closed.data = not item.is_public
        form.organisations.data = "\n".join(o.name for o in item.organisations)
    if form.validate_on_submit():
        try:
            service.update_item(item, **_item_fields(form))
        except MeetingError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(_("Le point n°%(number)s a été enregistré.", number=item.position), "success")
            return redirect(url_for("agenda.item", meeting_id=meeting_id, item_id=item.id))
    return _item_form_page(form, item.meeting, item)


@bp.get("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>")
@require(Permission.MANAGE_COMMITTEES)
def item(meeting_id: int, item_id: int):
    return _item_page(_item(meeting_id, item_id), DocumentForm(formdata=None))


def _item_page(item: AgendaItem, document_form: DocumentForm, status: int = 200):
    return render_template(
        "meetings/agenda/item.html",
        meeting=item.meeting,
        item=item,
        description=render_markdown(item.description),
        document_form=document_form,
        limit_mb=service.document_max_megabytes(),
    ), status


@bp.route(
    "/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/delete", methods=["GET", "POST"]
)
@require(Permission.MANAGE_COMMITTEES)
def delete_item(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    meeting = item.meeting
    form = DeleteItemForm()
    if form.validate_on_submit():
        title = item.title
        try:
            service.delete_item(item, confirmed=form.confirm.data)
        except MeetingError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(_("Le point « %(title)s » a été supprimé.", title=title), "success")
            return redirect(_agenda_url(meeting))
    status = INVALID if form.errors or form.form_errors else 200
    return render_template(
        "meetings/agenda/delete.html", form=form, meeting=meeting, item=item
    ), status


@bp.post("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/move")
@require(Permission.MANAGE_COMMITTEES)
def move_item(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.move_item(item, -1 if form.direction.data == "up" else 1)
    except MeetingError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
    return redirect(_agenda_url(item.meeting) + f"#item-{item.id}")


# --- documents ------------------------------------------------------------------------


@bp.post("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/documents")
@require(Permission.MANAGE_COMMITTEES)
def upload_document(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        # One byte past the limit is enough to know the file is too large.
        data = upload.stream.read(service.document_max_bytes() + 1)
        try:
            with filestore.staged_files():
                service.add_document(
                    item,
                    title=form.title.data,
                    data=data,
                    filename=upload.filename or "",
                    members_only=form.visibility.data != "public",
                )
                db.session.commit()
        except MeetingError as error:
            _refuse(form, error)
        else:
            flash(_("Le document « %(title)s » a été ajouté.", title=form.title.data), "success")
            return redirect(url_for("agenda.item", meeting_id=meeting_id, item_id=item.id))
    return _item_page(item, form, INVALID)


def _document(meeting_id: int, document_id: int) -> AgendaDocument:
    document = db.get_or_404(AgendaDocument, document_id)
    if document.item.meeting_id != meeting_id:
        abort(404)
    return document


@bp.post("/secretariat/meetings/<id:meeting_id>/documents/<id:document_id>/delete")
@require(Permission.MANAGE_COMMITTEES)
def delete_document(meeting_id: int, document_id: int):
    document = _document(meeting_id, document_id)
    item = document.item
    if not ActionForm().validate_on_submit():
        abort(400)
    title = document.title
    try:
        service.delete_document(document)
    except MeetingError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
        flash(_("Le document « %(title)s » a été retiré.", title=title), "success")
    return redirect(url_for("agenda.item", meeting_id=meeting_id, item_id=item.id))


def _send_document(meeting_id: int, document_id: int, audience: Audience):
    """The file, if the one visibility rule lets this person see it through this door."""
    document = _document(meeting_id, document_id)
    if not service.can_see_document(document, current_user, audience):
        abort(404)  # not 403: whether a members-only document exists is not public either
    if not filestore.exists(document.sha256):
        abort(404)
    response = send_file(
        filestore.path_for(document.sha256),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        etag=document.sha256,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if audience != Audience.PUBLIC:
        response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/secretariat/meetings/<id:meeting_id>/documents/<id:document_id>")
@require(Permission.MANAGE_COMMITTEES)
def secretariat_document(meeting_id: int, document_id: int):
    return _send_document(meeting_id, document_id, Audience.SECRETARIAT)


@bp.get("/my/meetings/<id:meeting_id>/documents/<id:document_id>")
@require(Permission.MEMBER_AREA)
def member_document(meeting_id: int, document_id: int):
    return _send_document(meeting_id, document_id, Audience.MEMBER)


@bp.get("/meetings/<id:meeting_id>/documents/<id:document_id>")
def public_document(meeting_id: int, document_id: int):
    return _send_document(meeting_id, document_id, Audience.PUBLIC)


# --- hearings -------------------------------------------------------------------------


def _hearing_item(meeting_id: int, item_id: int) -> AgendaItem:
    return _item(meeting_id, item_id)


@bp.get("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings")
@require(Permission.MANAGE_COMMITTEES)
def hearings(meeting_id: int, item_id: int):
    item = _hearing_item(meeting_id, item_id)
    return render_template(
        "meetings/agenda/hearings.html",
        meeting=item.meeting,
        item=item,
        summaries={h.id: render_markdown(h.summary) for h in item.hearings},
    )


def _slot(form: HearingForm, meeting: Meeting) -> tuple[datetime | None, datetime | None]:
    day = form.slot_day.data or meeting_day(meeting)
    start = paris_to_utc(day, form.slot_start.data) if form.slot_start.data else None
    end = paris_to_utc(day, form.slot_end.data) if form.slot_end.data else None
    return start, end


def _hearing_fields(form: HearingForm, meeting: Meeting) -> dict:
    start, end = _slot(form, meeting)
    return {
        "organisation": form.organisation.data or "",
        "organisation_kind": form.organisation_kind.data,
        "representatives": form.representatives.data or "",
        "slot_start": start,
        "slot_end": end,
        "mode": form.mode.data,
        "status": form.status.data,
        "summary": form.summary.data or "",
    }


def _hearing_form_page(form: HearingForm, item: AgendaItem, hearing: Hearing | None):
    status = INVALID if form.errors or form.form_errors else 200
    return render_template(
        "meetings/agenda/hearing_form.html",
        form=form,
        meeting=item.meeting,
        item=item,
        hearing=hearing,
    ), status


@bp.route(
    "/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings/new",
    methods=["GET", "POST"],
)
@require(Permission.MANAGE_COMMITTEES)
def new_hearing(meeting_id: int, item_id: int):
    item = _hearing_item(meeting_id, item_id)
    form = HearingForm()
    if form.validate_on_submit():
        try:
            hearing = service.add_hearing(item, **_hearing_fields(form, item.meeting))
        except MeetingError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "L'audition de %(organisation)s a été ajoutée.",
                    organisation=hearing.organisation,
                ),
                "success",
            )
            return redirect(url_for("agenda.hearings", meeting_id=meeting_id, item_id=item.id))
    return _hearing_form_page(form, item, None)


@bp.route(
    "/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings/<id:hearing_id>/edit",
    methods=["GET", "POST"],
)
@require(Permission.MANAGE_COMMITTEES)
def edit_hearing(meeting_id: int, item_id: int, hearing_id: int):
    item = _hearing_item(meeting_id, item_id)
    hearing = db.get_or_404(Hearing, hearing_id)
    if hearing.item_id != item.id:
        abort(404)
    form = HearingForm(obj=hearing)
    if request.method == "GET":
        _fill_slot(form, hearing)
    if form.validate_on_submit():
        try:
            service.update_hearing(hearing, **_hearing_fields(form, item.meeting))
        except MeetingError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "L'audition de %(organisation)s a été enregistrée.",
                    organisation=hearing.organisation,
                ),
                "success",
            )
            return redirect(url_for("agenda.hearings", meeting_id=meeting_id, item_id=item.id))
    return _hearing_form_page(form, item, hearing)


def _fill_slot(form: HearingForm, hearing: Hearing) -> None:
    """The stored UTC slot shown back in Paris time."""
    if hearing.slot_start is not None:
        start = to_paris(hearing.slot_start)
        form.slot_day.data = start.date()
        form.slot_start.data = start.time().replace(tzinfo=None)
    else:
        form.slot_start.data = None
    form.slot_end.data = (
        to_paris(hearing.slot_end).time().replace(tzinfo=None) if hearing.slot_end else None
    )


@bp.post("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings/<id:hearing_id>/delete")
@require(Permission.MANAGE_COMMITTEES)
def delete_hearing(meeting_id: int, item_id: int, hearing_id: int):
    item = _hearing_item(meeting_id, item_id)
    hearing = db.get_or_404(Hearing, hearing_id)
    if hearing.item_id != item.id or not ActionForm().validate_on_submit():
        abort(404 if hearing.item_id != item.id else 400)
    organisation = hearing.organisation
    try:
        service.delete_hearing(hearing)
    except MeetingError as error:
        _flash_refusal(error)
    else:
        db.session.commit()
        flash(
            _("L'audition de %(organisation)s a été retirée.", organisation=organisation),
            "success",
        )
    return redirect(url_for("agenda.hearings", meeting_id=meeting_id, item_id=item.id))
