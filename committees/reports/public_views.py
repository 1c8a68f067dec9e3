"""The public's activity reports, under /committees/<slug>/reports: HTML, PDF and CSV."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from committees.bodies.models import Committee
from committees.bodies.public_pages import published_committee
from committees.common.markdown import render_markdown
from committees.common.pdf import pdf_response
from committees.publication import public_page
from committees.reports import export
from committees.reports.computing import report_figures
from committees.reports.models import ActivityReport
from committees.reports.pdf import render_report_pdf
from committees.reports.services import published_report

bp = Blueprint("public_reports", __name__, url_prefix="/committees")


def _published_or_404(slug: str, year: int) -> tuple[Committee, ActivityReport]:
    committee = published_committee(slug)
    report = published_report(committee, year) if committee is not None else None
    if committee is None or report is None:
        abort(404)
    return committee, report


@bp.get("/<slug:slug>/reports/<year:year>")
@public_page
def public_view(slug: str, year: int):
    committee, report = _published_or_404(slug, year)
    return render_template(
        "reports/public.html",
        committee=committee,
        report=report,
        foreword=render_markdown(report.foreword),
        figures=report_figures(committee, year),
    )


@bp.get("/<slug:slug>/reports/<year:year>.pdf")
def public_pdf(slug: str, year: int):
    committee, report = _published_or_404(slug, year)
    return pdf_response(
        lambda: render_report_pdf(committee, report, report_figures(committee, year)),
        export.filename(committee, year, "pdf"),
        lambda: render_template("reports/pdf_unavailable.html", committee=committee, report=report),
    )


@bp.get("/<slug:slug>/reports/<year:year>.csv")
def public_csv(slug: str, year: int):
    committee, _report = _published_or_404(slug, year)
    body = export.csv_bytes(report_figures(committee, year))
    return export.download(body, "text/csv", export.filename(committee, year, "csv"))
