"""The published minutes as a PDF with the agency's header (WeasyPrint).

WeasyPrint is imported only when a PDF is asked for, so that the application starts
(and every other page works) on a host where it or its system libraries are missing.
Nothing is cached on disk: the PDF is built from the database at each request.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, render_template

from committees.common.markdown import render_markdown
from committees.meetings.minutes.comments import comment_summary
from committees.meetings.minutes.public_text import public_text
from committees.meetings.models import Minutes, MinutesRevision


class PdfUnavailable(RuntimeError):  # noqa: N818 - a state of the host, not a failure of the request
    """WeasyPrint (or a system library it needs) is not installed on this host."""


def load_weasyprint():
    """The weasyprint module; raises ``PdfUnavailable`` when it or Pango is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or its friends missing
        raise PdfUnavailable(str(error)) from error
    return weasyprint


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


def html_to_pdf(html: str) -> bytes:
    """Print an HTML document to PDF; raises ``PdfUnavailable`` without WeasyPrint.

    Shared by every published document printed as PDF (minutes, call syntheses, activity reports).
    """
    weasyprint = load_weasyprint()
    # Only inline (data:) resources: an image address typed in the text must not make
    # the server fetch URLs or read local files.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_minutes_pdf(minutes: Minutes, revision: MinutesRevision) -> bytes:
    """The PDF of ``revision`` of the minutes; raises ``PdfUnavailable`` without WeasyPrint."""
    return html_to_pdf(minutes_html(minutes, revision))


def pdf_response(render: Callable[[], bytes], filename: str, unavailable: Callable[[], str]):
    """The PDF that ``render`` prints, shown in the browser as ``filename``; without
    WeasyPrint, the page that ``unavailable`` renders, with 503."""
    try:
        pdf = render()
    except PdfUnavailable:
        return unavailable(), 503
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
