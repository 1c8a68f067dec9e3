"""The secretariat's agenda screens, under /secretariat/meetings/<id>: publication, items,
their working documents and hearings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.common import filestore
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
from committees.meetings.agenda import hearings as hearing_service
from committees.meetings.agenda import services as service
from committees.meetings.agenda.downloads import document_or_404, send_document
from committees.meetings.agenda.forms import (
    DeleteItemForm,
    DocumentForm,
    HearingForm,
    ItemForm,
    MoveForm,
)
from committees.meetings.agenda.services import Audience
from committees.meetings.models import AgendaItem, Hearing, Meeting
from committees.meetings.queries import item_of
from committees.meetings.scheduling.services import MeetingError, meeting_day
from committees.templating import of_name

bp = Blueprint("agenda", __name__)


def _item(meeting_id: int, item_id: int) -> AgendaItem:
    return one_or_404(item_of(meeting_id, item_id))


def _agenda_url(meeting: Meeting) -> str:
    return url_for("agenda.index", meeting_id=meeting.id)


# --- the agenda -----------------------------------------------------------------------


@bp.get("/secretariat/meetings/<id:meeting_id>/agenda")
@require(Permission.MANAGE_COMMITTEES)
def index(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    return render_template(
        "meetings/agenda/index.html",
        meeting=meeting,
        items=service.agenda_items(meeting),
    )


@bp.post("/secretariat/meetings/<id:meeting_id>/agenda/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.publish_agenda(meeting)
    except MeetingError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(_("L'ordre du jour est publié."), "success")
    return redirect(_agenda_url(meeting))


@bp.post("/secretariat/meetings/<id:meeting_id>/agenda/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.unpublish_agenda(meeting)
    except MeetingError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(_("L'ordre du jour n'est plus publié."), "success")
    return redirect(_agenda_url(meeting))


# --- items ----------------------------------------------------------------------------


def _item_form_page(form: ItemForm, meeting: Meeting, item: AgendaItem | None):
    return render_template(
        "meetings/agenda/item_form.html", form=form, meeting=meeting, item=item
    ), form_status(form)


@bp.route("/secretariat/meetings/<id:meeting_id>/agenda/items/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def new_item(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = ItemForm()
    if form.validate_on_submit():
        try:
            item = service.add_item(meeting, **form.item_fields)
        except MeetingError as error:
            refuse(form, error)
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
            service.update_item(item, **form.item_fields)
        except MeetingError as error:
            refuse(form, error)
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
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Le point « %(title)s » a été supprimé.", title=title), "success")
            return redirect(_agenda_url(meeting))
    return render_template(
        "meetings/agenda/delete.html", form=form, meeting=meeting, item=item
    ), form_status(form)


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
        flash_refusal(error)
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
            refuse(form, error)
        except filestore.StoreUnavailable as error:
            refuse(form, error, form.file)
            return _item_page(item, form, error.status)
        else:
            flash(_("Le document « %(title)s » a été ajouté.", title=form.title.data), "success")
            return redirect(url_for("agenda.item", meeting_id=meeting_id, item_id=item.id))
    return _item_page(item, form, INVALID)


@bp.post("/secretariat/meetings/<id:meeting_id>/documents/<id:document_id>/delete")
@require(Permission.MANAGE_COMMITTEES)
def delete_document(meeting_id: int, document_id: int):
    document = document_or_404(meeting_id, document_id)
    item = document.item
    if not ActionForm().validate_on_submit():
        abort(400)
    title = document.title
    try:
        service.delete_document(document)
    except MeetingError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(_("Le document « %(title)s » a été retiré.", title=title), "success")
    return redirect(url_for("agenda.item", meeting_id=meeting_id, item_id=item.id))


@bp.get("/secretariat/meetings/<id:meeting_id>/documents/<id:document_id>")
@require(Permission.MANAGE_COMMITTEES)
def secretariat_document(meeting_id: int, document_id: int):
    return send_document(meeting_id, document_id, Audience.SECRETARIAT)


# --- hearings -------------------------------------------------------------------------


@bp.get("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings")
@require(Permission.MANAGE_COMMITTEES)
def hearings(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    return render_template(
        "meetings/agenda/hearings.html",
        meeting=item.meeting,
        item=item,
        summaries={h.id: render_markdown(h.summary) for h in item.hearings},
    )


def _hearing_form_page(form: HearingForm, item: AgendaItem, hearing: Hearing | None):
    return render_template(
        "meetings/agenda/hearing_form.html",
        form=form,
        meeting=item.meeting,
        item=item,
        hearing=hearing,
    ), form_status(form)


@bp.route(
    "/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings/new",
    methods=["GET", "POST"],
)
@require(Permission.MANAGE_COMMITTEES)
def new_hearing(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    form = HearingForm()
    if form.validate_on_submit():
        try:
            hearing = hearing_service.add_hearing(
                item, **form.hearing_fields(meeting_day(item.meeting))
            )
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "L'audition %(of_organisation)s a été ajoutée.",
                    of_organisation=of_name(hearing.organisation),
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
    item = _item(meeting_id, item_id)
    hearing = get_or_404(Hearing, hearing_id)
    if hearing.item_id != item.id:
        abort(404)
    form = HearingForm(obj=hearing)
    if request.method == "GET":
        form.show_slot(hearing)
    if form.validate_on_submit():
        try:
            hearing_service.update_hearing(
                hearing, **form.hearing_fields(meeting_day(item.meeting))
            )
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "L'audition %(of_organisation)s a été enregistrée.",
                    of_organisation=of_name(hearing.organisation),
                ),
                "success",
            )
            return redirect(url_for("agenda.hearings", meeting_id=meeting_id, item_id=item.id))
    return _hearing_form_page(form, item, hearing)


@bp.post("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/hearings/<id:hearing_id>/delete")
@require(Permission.MANAGE_COMMITTEES)
def delete_hearing(meeting_id: int, item_id: int, hearing_id: int):
    item = _item(meeting_id, item_id)
    hearing = get_or_404(Hearing, hearing_id)
    if hearing.item_id != item.id or not ActionForm().validate_on_submit():
        abort(404 if hearing.item_id != item.id else 400)
    organisation = hearing.organisation
    try:
        hearing_service.delete_hearing(hearing)
    except MeetingError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(
            _(
                "L'audition %(of_organisation)s a été retirée.",
                of_organisation=of_name(organisation),
            ),
            "success",
        )
    return redirect(url_for("agenda.hearings", meeting_id=meeting_id, item_id=item.id))


@bp.post("/secretariat/meetings/<id:meeting_id>/hearings/<id:hearing_id>/outcome")
@require(Permission.MANAGE_COMMITTEES)
def hearing_outcome(meeting_id: int, hearing_id: int):
    """Record a past hearing as heard or not held (the prompt of the session page)."""
    hearing = get_or_404(Hearing, hearing_id)
    if hearing.item.meeting_id != meeting_id:
        abort(404)
    if not ActionForm().validate_on_submit() or request.form.get("held") not in ("yes", "no"):
        abort(400)
    try:
        hearing_service.record_outcome(hearing, request.form["held"] == "yes")
    except MeetingError as error:
        flash_refusal(error)
    else:
        db.session.commit()
        flash(
            _(
                "L'audition %(of_organisation)s est consignée.",
                of_organisation=of_name(hearing.organisation),
            ),
            "success",
        )
    if request.form.get("back") == "dashboard":
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))
