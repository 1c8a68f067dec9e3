"""The secretariat's experts' fees of a committee, under /secretariat/committees/<id>/fees:
the rates per kind of session, the statements of a year (PDF per member, CSV for the paying
service) and each session's attendance certificate."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.bodies.models import Committee
from committees.common.pdf import pdf_response
from committees.common.timeutils import paris_today
from committees.common.urls import public_url
from committees.common.views import form_status, get_or_404, one_or_404, refuse
from committees.extensions import db
from committees.meetings.certificates.exports import (
    FEE_KIND_LABELS,
    certificate_pdf,
    euros,
    statement_pdf,
    stream_csv,
    unavailable,
)
from committees.meetings.certificates.forms import RatesForm
from committees.meetings.certificates.services import (
    RateError,
    certificate_of,
    committee_statements,
    counted_attendance,
    person_statement,
    rates_of,
    set_rates,
)

bp = Blueprint("fees", __name__, url_prefix="/secretariat")


def _year() -> int:
    raw = request.args.get("year", "")
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2999:
        return int(raw)
    return paris_today().year


def _page(committee: Committee, form: RatesForm, year: int):
    return render_template(
        "meetings/certificates/fees.html",
        committee=committee,
        form=form,
        year=year,
        statements=committee_statements(committee, year),
        fee_kind_labels=FEE_KIND_LABELS,
        euros=euros,
    ), form_status(form)


@bp.get("/committees/<id:committee_id>/fees")
@require(Permission.MANAGE_COMMITTEES)
def index(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    rates = rates_of({committee.id})
    form = RatesForm(
        formdata=None, data={kind: rates.get((committee.id, kind)) for kind in FEE_KIND_LABELS}
    )
    return _page(committee, form, _year())


@bp.post("/committees/<id:committee_id>/fees")
@require(Permission.MANAGE_COMMITTEES)
def save_rates(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    form = RatesForm()
    if form.validate_on_submit():
        try:
            set_rates(committee, form.amounts())
        except RateError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Les tarifs ont été enregistrés."), "success")
            return redirect(url_for("fees.index", committee_id=committee.id), code=303)
    return _page(committee, form, _year())


@bp.get("/committees/<id:committee_id>/fees/<year:year>.csv")
@require(Permission.MANAGE_COMMITTEES)
def export_csv(committee_id: int, year: int):
    committee = get_or_404(Committee, committee_id)
    statements = committee_statements(committee, year)
    name = f"indemnites-{committee.slug}-{year}.csv"
    return Response(
        stream_with_context(stream_csv(statements)),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/committees/<id:committee_id>/fees/<year:year>/people/<id:person_id>.pdf")
@require(Permission.MANAGE_COMMITTEES)
def statement(committee_id: int, year: int, person_id: int):
    found = one_or_404(person_statement(person_id, committee_id, year))
    return pdf_response(lambda: statement_pdf(found), f"releve-{year}-{person_id}.pdf", unavailable)


@bp.get("/attendances/<id:attendance_id>/certificate.pdf")
@require(Permission.MANAGE_COMMITTEES)
def certificate(attendance_id: int):
    attendance = counted_attendance(attendance_id)
    if attendance is None:
        abort(404)
    found = certificate_of(attendance)
    verify_url = public_url("certificates.verify_code", code=found.code)
    return pdf_response(
        lambda: certificate_pdf(found, verify_url), f"attestation-{found.code}.pdf", unavailable
    )
