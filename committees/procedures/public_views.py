"""Published opinions of written procedures, under /procedures: list, page, PDF and
documents. Anything not published answers 404, never a hint that it exists."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from committees.common.pdf import pdf_response
from committees.common.views import one_or_404
from committees.procedures import services
from committees.procedures.downloads import send_procedure_document
from committees.procedures.labels import TEMPLATE_LABELS
from committees.procedures.pdf import render_procedure_pdf
from committees.procedures.queries import procedure_with_members
from committees.publication import public_page

bp = Blueprint("public_procedures", __name__)


@bp.context_processor
def _labels() -> dict:
    return {"labels": TEMPLATE_LABELS}


def _public_or_404(procedure_id: int):
    procedure = one_or_404(procedure_with_members(procedure_id))
    if not services.is_public(procedure):
        abort(404)
    return procedure


@bp.get("/procedures")
@public_page
def index():
    return render_template(
        "procedures/public_list.html", procedures=services.published_procedures()
    )


@bp.get("/procedures/<id:procedure_id>")
@public_page
def detail(procedure_id: int):
    procedure = _public_or_404(procedure_id)
    return render_template(
        "procedures/public.html", procedure=procedure, votes=services.named_votes(procedure)
    )


@bp.get("/procedures/<id:procedure_id>/opinion.pdf")
def pdf(procedure_id: int):
    procedure = _public_or_404(procedure_id)
    return pdf_response(
        lambda: render_procedure_pdf(procedure),
        f"avis-consultation-ecrite-{procedure.committee.slug}-{procedure.id}.pdf",
        lambda: render_template("procedures/pdf_unavailable.html", procedure=procedure),
    )


@bp.get("/procedures/<id:procedure_id>/documents/<id:document_id>")
def document(procedure_id: int, document_id: int):
    return send_procedure_document(_public_or_404(procedure_id), document_id)
