"""A consulted member's page of a written procedure, under /my/procedures/<id>: the
question, the documents, their answer (changeable until the deadline), or why they may not
vote."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common.views import INVALID, one_or_404, refuse
from committees.extensions import db
from committees.procedures import services
from committees.procedures.downloads import send_procedure_document
from committees.procedures.forms import AnswerForm
from committees.procedures.labels import TEMPLATE_LABELS
from committees.procedures.queries import procedure_with_members

bp = Blueprint("member_procedures", __name__)


@bp.context_processor
def _labels() -> dict:
    return {"labels": TEMPLATE_LABELS}


def _mine_or_404(procedure_id: int):
    procedure = one_or_404(procedure_with_members(procedure_id))
    row = services.consulted_row(procedure, current_user)
    # Procedures of other committees stay unknown to the member.
    if row is None:
        abort(404)
    return procedure, row


def _page(procedure, row, form, status=200):
    reason = services.bar_reasons(procedure).get(row.mandate_id)
    return render_template(
        "procedures/member.html",
        procedure=procedure,
        row=row,
        form=form,
        bar_reason=reason,
        votes=services.named_votes(procedure) if not procedure.is_open else [],
    ), status


@bp.get("/my/procedures/<id:procedure_id>")
@require(Permission.MEMBER_AREA)
def detail(procedure_id: int):
    procedure, row = _mine_or_404(procedure_id)
    form = AnswerForm(choice=row.choice, comment=row.comment)
    return _page(procedure, row, form)


@bp.post("/my/procedures/<id:procedure_id>/answer")
@require(Permission.MEMBER_AREA)
def answer(procedure_id: int):
    procedure, row = _mine_or_404(procedure_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.answer(procedure, row, form.choice.data, form.comment.data or "")
        except services.Barred as error:
            refuse(form, error)
            return _page(procedure, row, form, 403)
        except services.ProcedureError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Votre réponse est enregistrée : vous pouvez la modifier jusqu'à la "
                    "date limite."
                ),
                "success",
            )
            return redirect(url_for(".detail", procedure_id=procedure.id))
    return _page(procedure, row, form, INVALID)


@bp.get("/my/procedures/<id:procedure_id>/documents/<id:document_id>")
@require(Permission.MEMBER_AREA)
def document(procedure_id: int, document_id: int):
    procedure, _row = _mine_or_404(procedure_id)
    return send_procedure_document(procedure, document_id)
