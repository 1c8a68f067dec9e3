"""Report screens: the secretariat's (foreword, publication) and the public's (HTML, PDF, CSV)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.bodies.labels import MANDATE_ROLE_LABELS
from committees.bodies.models import Committee
from committees.bodies.public_pages import published_committee
from committees.common.markdown import render_markdown
from committees.common.timeutils import paris_today
from committees.extensions import db
from committees.meetings.labels import MEETING_STATUS_LABELS, ORGANISATION_KIND_LABELS
from committees.meetings.minutes.pdf import pdf_response
from committees.reports import export
from committees.reports.forms import ActionForm, ForewordForm
from committees.reports.models import ActivityReport
from committees.reports.pdf import render_report_pdf
from committees.reports.services import (
    find_report,
    publish_report,
    published_report,
    report_figures,
    reports_by_year,
    save_foreword,
    session_years,
    unpublish_report,
)

bp = Blueprint("reports", __name__, url_prefix="/secretariat/committees")
public_bp = Blueprint("public_reports", __name__, url_prefix="/committees")

#: status of a POST whose form does not validate, across the application
INVALID = 422


@bp.app_context_processor
def _labels() -> dict:
    return {
        "report_role_labels": MANDATE_ROLE_LABELS,
        "report_status_labels": MEETING_STATUS_LABELS,
        "report_organisation_labels": ORGANISATION_KIND_LABELS,
    }


# --- secretariat ----------------------------------------------------------------------


@bp.get("/<id:committee_id>/reports")
@require(Permission.MANAGE_COMMITTEES)
def index(committee_id: int):
    committee = db.get_or_404(Committee, committee_id)
    reports = reports_by_year(committee)
    years = sorted(set(session_years(committee)) | set(reports), reverse=True)
    return render_template("reports/index.html", committee=committee, years=years, reports=reports)


def _year_or_404(committee: Committee, year: int) -> ActivityReport | None:
    """The year's report (None if not started); 404 for a year without any session."""
    report = find_report(committee, year)
    if report is None and year not in session_years(committee):
        abort(404)
    return report


@bp.route("/<id:committee_id>/reports/<year:year>", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(committee_id: int, year: int):
    committee = db.get_or_404(Committee, committee_id)
    report = _year_or_404(committee, year)
    form = ForewordForm(obj=report)
    if form.validate_on_submit():
        save_foreword(committee, year, form.foreword.data or "")
        db.session.commit()
        flash(_("L'avant-propos du rapport %(year)s est enregistré.", year=year), "success")
        return redirect(url_for("reports.edit", committee_id=committee.id, year=year))
    return render_template(
        "reports/edit.html",
        committee=committee,
        year=year,
        report=report,
        form=form,
        action_form=ActionForm(),
        figures=report_figures(committee, year),
        today=paris_today(),
    ), (INVALID if form.errors else 200)


def _publication(committee_id: int, year: int, publish: bool):
    committee = db.get_or_404(Committee, committee_id)
    report = _year_or_404(committee, year)
    if not ActionForm().validate_on_submit():
        abort(400)
    if report is None and not publish:
        return redirect(url_for("reports.edit", committee_id=committee.id, year=year))
    if report is None:
        # Publishing a year whose foreword was never written: the figures speak alone.
        report = save_foreword(committee, year, "")
    if publish:
        publish_report(report)
        message = _("Le rapport d'activité %(year)s est publié.", year=year)
    else:
        unpublish_report(report)
        message = _("Le rapport d'activité %(year)s n'est plus publié.", year=year)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.edit", committee_id=committee.id, year=year))


@bp.post("/<id:committee_id>/reports/<year:year>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(committee_id: int, year: int):
    return _publication(committee_id, year, publish=True)


@bp.post("/<id:committee_id>/reports/<year:year>/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(committee_id: int, year: int):
    return _publication(committee_id, year, publish=False)


# --- public ---------------------------------------------------------------------------


def _published_or_404(slug: str, year: int) -> tuple[Committee, ActivityReport]:
    committee = published_committee(slug)
    report = published_report(committee, year) if committee is not None else None
    if committee is None or report is None:
        abort(404)
    return committee, report


@public_bp.get("/<slug:slug>/reports/<year:year>")
def public_view(slug: str, year: int):
    committee, report = _published_or_404(slug, year)
    return render_template(
        "reports/public.html",
        committee=committee,
        report=report,
        foreword=render_markdown(report.foreword),
        figures=report_figures(committee, year),
    )


@public_bp.get("/<slug:slug>/reports/<year:year>.pdf")
def public_pdf(slug: str, year: int):
    committee, report = _published_or_404(slug, year)
    return pdf_response(
        lambda: render_report_pdf(committee, report, report_figures(committee, year)),
        export.filename(committee, year, "pdf"),
        lambda: render_template("reports/pdf_unavailable.html", committee=committee, report=report),
    )


@public_bp.get("/<slug:slug>/reports/<year:year>.csv")
def public_csv(slug: str, year: int):
    committee, _report = _published_or_404(slug, year)
    body = export.csv_bytes(report_figures(committee, year))
    return export.download(body, "text/csv", export.filename(committee, year, "csv"))
