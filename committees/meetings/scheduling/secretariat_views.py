"""The secretariat's session screens, under /secretariat/meetings: list, schedule one
session or a series, edit, cancel, postpone, mark as held, and the session page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from committees.auth.permissions import Permission, require
from committees.bodies.models import Committee
from committees.common.params import page_arg
from committees.common.timeutils import to_paris, utcnow
from committees.common.views import form_status, get_or_404, one_or_404, refuse
from committees.extensions import db
from committees.meetings.agenda.hearings import hearings_to_record
from committees.meetings.conduct.convocations import (
    cancel_and_notify,
    postpone_and_notify,
    update_and_notify,
)
from committees.meetings.conduct.services import quorum_by_item
from committees.meetings.models import Meeting, MeetingStatus
from committees.meetings.queries import (
    committee_choices,
    meeting_with_agenda,
    meetings_page,
    postponed_from,
)
from committees.meetings.rules import SeriesRule, has_started, paris_to_utc, series_dates
from committees.meetings.scheduling.forms import (
    CancelForm,
    HeldForm,
    MeetingFilterForm,
    MeetingForm,
    PostponeForm,
    SeriesForm,
)
from committees.meetings.scheduling.services import (
    MeetingError,
    check_editable,
    create_meeting,
    mark_held,
    plan_series,
    scheduling_warnings,
)
from committees.publication.fragments import kept_fragment

bp = Blueprint("meetings", __name__, url_prefix="/secretariat/meetings")


# --- list -----------------------------------------------------------------------------


@bp.get("")
@require(Permission.MANAGE_COMMITTEES)
def index():
    form = MeetingFilterForm(request.args)
    form.set_committees(committee_choices())
    filters = {
        "committee": form.committee_id(),
        "status": form.status_value(),
        "when": form.when_value(),
    }
    pagination = meetings_page(
        committee_id=filters["committee"],
        status=filters["status"],
        when=filters["when"],
        page=page_arg(),
    )
    return render_template(
        "meetings/list.html",
        form=form,
        pagination=pagination,
        filters={k: v for k, v in filters.items() if v},
    )


# --- one session ----------------------------------------------------------------------


def _slot(form) -> tuple:
    """The (start, end) UTC instants typed in Paris time."""
    return (
        paris_to_utc(form.day.data, form.start_time.data),
        paris_to_utc(form.day.data, form.end_time.data),
    )


def _meeting_fields(form: MeetingForm) -> dict:
    starts_at, ends_at = _slot(form)
    return {
        "title": form.title.data.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "recording_link": (form.recording_link.data or "").strip(),
        "broadcast_link": (form.broadcast_link.data or "").strip(),
        **form.practical_fields,
    }


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def new():
    form = MeetingForm()
    form.set_committees(committee_choices())
    if request.method == "GET" and request.args.get("committee", type=int):
        form.committee_id.data = request.args.get("committee", type=int)
    warnings = []
    if form.validate_on_submit():
        committee = db.session.get(Committee, form.committee_id.data)
        fields = _meeting_fields(form)
        warnings = scheduling_warnings(committee, [(fields["starts_at"], fields["ends_at"])])
        if not warnings or form.confirm.data:
            try:
                meeting = create_meeting(committee, **fields)
            except MeetingError as error:
                refuse(form, error)
            else:
                db.session.commit()
                flash(
                    _(
                        "La séance n°%(number)s « %(title)s » a été programmée.",
                        number=meeting.number,
                        title=meeting.title,
                    ),
                    "success",
                )
                return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template(
        "meetings/form.html", form=form, meeting=None, warnings=warnings
    ), form_status(form)


def _edit_form(meeting: Meeting) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    # The committee of a session never changes: its number belongs to that committee.
    del form.committee_id
    return form


def _stored_form(meeting: Meeting) -> MeetingForm:
    """The edit form filled with the session as stored (day and hours in Paris)."""
    form = _edit_form(meeting)
    start, end = to_paris(meeting.starts_at), to_paris(meeting.ends_at)
    form.day.data, form.start_time.data, form.end_time.data = (
        start.date(),
        start.time(),
        end.time(),
    )
    form.visibility.data = "public" if meeting.is_public else "closed"
    return form


@bp.route("/<id:meeting_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    try:
        check_editable(meeting)
    except MeetingError as error:
        flash(str(error), "error")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)
    if request.method == "GET":
        # The session as stored: the same form for every secretary, kept under the
        # publication revision (each viewer's CSRF token put back), drawn again after any
        # change to the session.
        kept_form = kept_fragment(
            "meetings/_form.html",
            lambda: {"form": _stored_form(meeting), "meeting": meeting, "warnings": []},
            extra=meeting.id,
        )
        return render_template(
            "meetings/form.html", form=None, kept_form=kept_form, meeting=meeting, warnings=[]
        )
    form = _edit_form(meeting)
    warnings = []
    if form.validate_on_submit():
        fields = _meeting_fields(form)
        moved = (fields["starts_at"], fields["ends_at"]) != (meeting.starts_at, meeting.ends_at)
        if moved:
            warnings = scheduling_warnings(
                meeting.committee, [(fields["starts_at"], fields["ends_at"])], exclude_id=meeting.id
            )
        if not warnings or form.confirm.data:
            try:
                significant, updates = update_and_notify(meeting, **fields)
            except MeetingError as error:
                refuse(form, error)
            else:
                db.session.commit()
                _flash_saved(meeting, significant)
                _flash_updates(updates)
                return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template(
        "meetings/form.html", form=form, meeting=meeting, warnings=warnings
    ), form_status(form)


def _flash_saved(meeting: Meeting, significant: bool) -> None:
    if significant:
        flash(
            _(
                "Modification importante enregistrée : les abonnés aux agendas seront avertis "
                "(séquence %(sequence)s).",
                sequence=meeting.sequence,
            ),
            "warning",
        )
    else:
        flash(_("La séance a été enregistrée."), "success")


# --- series ---------------------------------------------------------------------------


def _series_rule(form: SeriesForm) -> SeriesRule:
    return SeriesRule(
        weekday=int(form.weekday.data),
        nth=int(form.nth.data),
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        first_day=form.first_day.data,
        last_day=form.last_day.data,
        except_months=form.months_excluded,
    )


@bp.route("/series", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def series():
    form = SeriesForm()
    form.set_committees(committee_choices())
    preview, warnings = None, []
    if form.validate_on_submit():
        committee = db.session.get(Committee, form.committee_id.data)
        rule = _series_rule(form)
        if form.create.data:
            try:
                created = plan_series(
                    committee, rule, title=form.title_template.data.strip(), **form.practical_fields
                )
            except MeetingError as error:
                refuse(form, error)
            else:
                db.session.commit()
                n = len(created)
                flash(
                    ngettext(
                        "%(num)d séance a été programmée.",
                        "%(num)d séances ont été programmées.",
                        n,
                    ),
                    "success",
                )
                return redirect(url_for("meetings.index", committee=committee.id))
        slots = series_dates(rule)
        if not slots:
            form.form_errors.append(_("Cette règle ne produit aucune séance sur la période."))
        else:
            title = form.title_template.data.strip()
            preview = [
                (title.replace("{date}", to_paris(start).strftime("%d/%m/%Y")), start, end)
                for start, end in slots
            ]
            warnings = scheduling_warnings(committee, slots)
    return render_template(
        "meetings/series.html", form=form, preview=preview, warnings=warnings
    ), form_status(form)


# --- the session page and its status --------------------------------------------------


@bp.get("/<id:meeting_id>")
@require(Permission.MANAGE_COMMITTEES)
def detail(meeting_id: int):
    meeting = one_or_404(meeting_with_agenda(meeting_id))
    now = utcnow()
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        previous=postponed_from(meeting),
        held_form=HeldForm(),
        can_mark_held=meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CONVENED)
        and has_started(meeting.starts_at, now),
        can_cancel=not meeting.is_cancelled
        and meeting.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_ADOPTED),
        quorum=quorum_by_item(meeting),
        to_record=hearings_to_record(meeting=meeting, now=now),
    )


@bp.post("/<id:meeting_id>/held")
@require(Permission.MANAGE_COMMITTEES)
def held(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = HeldForm()
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page puis recommencez."), "error")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    try:
        mark_held(meeting, utcnow())
    except MeetingError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("La séance est marquée comme tenue."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.route("/<id:meeting_id>/cancel", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def cancel(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            notified = cancel_and_notify(meeting, form.reason.data)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _("La séance est annulée (séquence %(sequence)s).", sequence=meeting.sequence),
                "warning",
            )
            _flash_notified(notified)
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/cancel.html", form=form, meeting=meeting), form_status(form)


def _flash_updates(count: int) -> None:
    if count:
        flash(
            ngettext(
                "%(num)d invitation mise à jour a été placée dans la boîte d'envoi.",
                "%(num)d invitations mises à jour ont été placées dans la boîte d'envoi.",
                count,
            ),
            "info",
        )


def _flash_notified(count: int) -> None:
    if count:
        flash(
            ngettext(
                "%(num)d avis d'annulation a été placé dans la boîte d'envoi.",
                "%(num)d avis d'annulation ont été placés dans la boîte d'envoi.",
                count,
            ),
            "info",
        )


@bp.route("/<id:meeting_id>/postpone", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def postpone(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = PostponeForm()
    if form.validate_on_submit():
        starts_at, ends_at = _slot(form)
        try:
            replacement = postpone_and_notify(meeting, starts_at, ends_at, form.reason.data)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "La séance est reportée : la nouvelle séance n°%(number)s est programmée.",
                    number=replacement.number,
                ),
                "warning",
            )
            return redirect(url_for("meetings.detail", meeting_id=replacement.id))
    return render_template("meetings/postpone.html", form=form, meeting=meeting), form_status(form)
