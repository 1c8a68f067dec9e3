"""Printing HTML documents to tagged, accessible PDF (WeasyPrint), for every domain.

WeasyPrint is imported only when a PDF is asked for, so that the application starts
(and every other page works) on a host where it or its system libraries are missing.
Every document is printed as PDF/UA-1 by WeasyPrint itself (``pdf_variant="pdf/ua-1"``):
a structure tree built from the HTML (headings, lists, tables and their header cells,
figures with their ``alt`` text, reading order), ``/MarkInfo``, the document's language
from ``<html lang>``, its title from ``<title>`` shown by viewers (``DisplayDocTitle``)
and bookmarks for its headings. Nothing is post-processed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response

#: the PDF variant every document is printed in (WeasyPrint's own support)
PDF_VARIANT = "pdf/ua-1"


class PdfUnavailable(RuntimeError):  # noqa: N818 - a state of the host, not a failure of the request
    """WeasyPrint (or a system library it needs) is not installed on this host."""


def load_weasyprint():
    """The weasyprint module; raises ``PdfUnavailable`` when it or Pango is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or its friends missing
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """Print a complete HTML document (``lang``, ``<title>``) to a tagged PDF/UA-1 file;
    raises ``PdfUnavailable`` without WeasyPrint.

    Shared by every published document printed as PDF (minutes, call syntheses, activity
    reports...): their templates extend ``_pdf_base.html``, which gives them the language,
    the title, an ``<h1>`` and the letterhead.
    """
    weasyprint = load_weasyprint()
    # Only inline (data:) resources: an image address typed in the text must not make
    # the server fetch URLs or read local files.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )


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
