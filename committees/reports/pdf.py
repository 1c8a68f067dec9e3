"""The published report as a PDF with the agency's header (WeasyPrint), as the minutes.

WeasyPrint is imported only when a PDF is asked for (``committees.meetings.minutes_pdf``
holds the import and its ``PdfUnavailable``), so the application runs without it.
"""

from __future__ import annotations

from flask import current_app, render_template

from committees.bodies.models import Committee
from committees.common.markdown import render_markdown
from committees.meetings.minutes_pdf import PdfUnavailable, load_weasyprint
from committees.reports.figures import ReportFigures
from committees.reports.models import ActivityReport

__all__ = ["PdfUnavailable", "render_report_pdf"]


def report_html(committee: Committee, report: ActivityReport, figures: ReportFigures) -> str:
    """The HTML document the PDF is printed from."""
    return render_template(
        "reports/pdf.html",
        committee=committee,
        report=report,
        figures=figures,
        foreword=render_markdown(report.foreword),
        agency_name=current_app.config["AGENCY_NAME"],
        agency_short_name=current_app.config["AGENCY_SHORT_NAME"],
    )


def render_report_pdf(
    committee: Committee, report: ActivityReport, figures: ReportFigures
) -> bytes:
    """The PDF of the report; raises ``PdfUnavailable`` without WeasyPrint."""
    weasyprint = load_weasyprint()
    html = report_html(committee, report, figures)
    # Only inline (data:) resources: a link typed in the foreword must not make the
    # server fetch URLs or read local files.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
