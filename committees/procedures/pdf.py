"""The published opinion of a written procedure as a tagged PDF (``common/pdf.py``)."""

from __future__ import annotations

from flask import current_app, render_template

from committees.common.pdf import html_to_pdf
from committees.procedures.labels import CHOICE_LABELS
from committees.procedures.models import WrittenProcedure
from committees.procedures.services import named_votes


def procedure_html(procedure: WrittenProcedure) -> str:
    """The HTML document the PDF is printed from."""
    return render_template(
        "procedures/pdf.html",
        procedure=procedure,
        committee=procedure.committee,
        votes=named_votes(procedure),
        choice_labels=CHOICE_LABELS,
        agency_name=current_app.config["AGENCY_NAME"],
        agency_short_name=current_app.config["AGENCY_SHORT_NAME"],
    )


def render_procedure_pdf(procedure: WrittenProcedure) -> bytes:
    """The PDF of the opinion; raises ``PdfUnavailable`` without WeasyPrint."""
    return html_to_pdf(procedure_html(procedure))
