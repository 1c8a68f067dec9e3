"""The published report as a PDF with the agency's header (WeasyPrint), as the minutes.

WeasyPrint is imported only when a PDF is asked for (``committees.common.pdf``
holds the import and its ``PdfUnavailable``), so the application runs without it.
"""

from __future__ import annotations

from flask import current_app, render_template

from committees.bodies.models import Committee
from committees.common.markdown import render_markdown
from committees.common.pdf import PdfUnavailable, html_to_pdf
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
    return html_to_pdf(report_html(committee, report, figures))
