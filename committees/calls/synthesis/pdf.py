"""The published synthesis of a call as a PDF with the agency's header (WeasyPrint),
printed as a tagged PDF/UA-1 by ``committees.common.pdf``."""

from __future__ import annotations

from flask import current_app, render_template

from committees.calls.labels import CONTRIBUTOR_KIND_LABELS
from committees.calls.models import CallSynthesis
from committees.calls.synthesis.services import public_excerpts
from committees.common.markdown import render_markdown
from committees.common.pdf import html_to_pdf


def synthesis_html(synthesis: CallSynthesis) -> str:
    """The HTML document the PDF is printed from: only what the public page shows."""
    call = synthesis.call
    return render_template(
        "calls/synthesis/pdf.html",
        call=call,
        committee=call.committee,
        synthesis=synthesis,
        body=render_markdown(synthesis.body),
        excerpts=public_excerpts(synthesis),
        kind_labels=CONTRIBUTOR_KIND_LABELS,
        agency_name=current_app.config["AGENCY_NAME"],
        agency_short_name=current_app.config["AGENCY_SHORT_NAME"],
    )


def render_synthesis_pdf(synthesis: CallSynthesis) -> bytes:
    """The PDF of a published synthesis; raises ``PdfUnavailable`` (from
    ``committees.common.pdf``) without WeasyPrint."""
    return html_to_pdf(synthesis_html(synthesis))
