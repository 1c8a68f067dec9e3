"""The published minutes as a PDF with the agency's header (WeasyPrint).

Printing itself (tagged PDF/UA-1, WeasyPrint imported on demand) lives in
``committees.common.pdf``; its names are re-exported here for older importers.
Nothing is cached on disk: the PDF is built from the database at each request.
"""

from __future__ import annotations

from flask import current_app, render_template

from committees.common.markdown import render_markdown
from committees.common.pdf import PdfUnavailable, html_to_pdf, load_weasyprint, pdf_response
from committees.meetings.minutes.comments import comment_summary
from committees.meetings.minutes.public_text import public_text
from committees.meetings.models import Minutes, MinutesRevision

__all__ = [
    "PdfUnavailable",
    "html_to_pdf",
    "load_weasyprint",
    "minutes_html",
    "pdf_response",
    "render_minutes_pdf",
]


def minutes_html(minutes: Minutes, revision: MinutesRevision) -> str:
    """The HTML document the PDF is printed from."""
    return render_template(
        "meetings/minutes/pdf.html",
        minutes=minutes,
        meeting=minutes.meeting,
        committee=minutes.meeting.committee,
        revision=revision,
        # The PDF is the public document: closed items reduced.
        body=render_markdown(public_text(minutes, revision)),
        comment_summary=comment_summary(minutes),
        agency_name=current_app.config["AGENCY_NAME"],
        agency_short_name=current_app.config["AGENCY_SHORT_NAME"],
    )


def render_minutes_pdf(minutes: Minutes, revision: MinutesRevision) -> bytes:
    """The PDF of ``revision`` of the minutes; raises ``PdfUnavailable`` without WeasyPrint."""
    return html_to_pdf(minutes_html(minutes, revision))
