"""A member's own attendance certificates and yearly statements, under /my/certificates
(linked from « Mes données »). Another member's certificate or statement answers 404."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, stream_with_context
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common.pdf import pdf_response
from committees.common.urls import public_url
from committees.common.views import one_or_404
from committees.meetings.certificates.exports import (
    certificate_pdf,
    euros,
    statement_pdf,
    stream_csv,
    unavailable,
)
from committees.meetings.certificates.services import (
    certificate_of,
    statement_keys,
    user_attendance,
    user_certificates,
    user_statement,
)

bp = Blueprint("my_certificates", __name__, url_prefix="/my")


@bp.get("/certificates")
@require(Permission.MEMBER_AREA)
def index():
    certificates = user_certificates(current_user)
    statements = [
        (committee, year, user_statement(current_user, committee.id, year))
        for committee, year in statement_keys(certificates)
    ]
    return render_template(
        "meetings/certificates/mine.html",
        certificates=list(reversed(certificates)),
        statements=statements,
        euros=euros,
    )


@bp.get("/certificates/<id:attendance_id>.pdf")
@require(Permission.MEMBER_AREA)
def certificate(attendance_id: int):
    found = certificate_of(one_or_404(user_attendance(current_user, attendance_id)))
    verify_url = public_url("certificates.verify_code", code=found.code)
    return pdf_response(
        lambda: certificate_pdf(found, verify_url), f"attestation-{found.code}.pdf", unavailable
    )


@bp.get("/statements/<id:committee_id>/<year:year>.pdf")
@require(Permission.MEMBER_AREA)
def statement(committee_id: int, year: int):
    found = one_or_404(user_statement(current_user, committee_id, year))
    return pdf_response(lambda: statement_pdf(found), f"releve-{year}.pdf", unavailable)


@bp.get("/statements/<id:committee_id>/<year:year>.csv")
@require(Permission.MEMBER_AREA)
def statement_csv(committee_id: int, year: int):
    found = one_or_404(user_statement(current_user, committee_id, year))
    return Response(
        stream_with_context(stream_csv([found])),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="releve-{year}.csv"',
            "Cache-Control": "no-store",
        },
    )
