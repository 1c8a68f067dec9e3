"""The secretariat's screens of written procedures, under /secretariat/procedures: opening
one on a committee, following the answers, recording a recusal, closing, publishing."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.bodies.models import Committee
from committees.common import filestore
from committees.common.timeutils import utcnow
from committees.common.views import flash_refusal, form_status, get_or_404, one_or_404, refuse
from committees.extensions import db
from committees.meetings.models import Minutes
from committees.procedures import services
from committees.procedures.forms import CloseForm, OpenForm, PublishForm, RecusalForm
from committees.procedures.labels import TEMPLATE_LABELS
from committees.procedures.queries import (
    all_procedures,
    minutes_to_adopt,
    open_to,
    procedure_with_members,
)

bp = Blueprint("secretariat_procedures", __name__)


@bp.context_processor
def _labels() -> dict:
    return {"labels": TEMPLATE_LABELS}


@bp.get("/secretariat/procedures")
@require(Permission.MANAGE_COMMITTEES)
def index():
    return render_template(
        "procedures/index.html", procedures=all_procedures(), committees=open_to(utcnow())
    )


@bp.route("/secretariat/committees/<id:committee_id>/procedures/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def open_procedure(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    form = OpenForm()
    form.offer_minutes(minutes_to_adopt(committee))
    if form.validate_on_submit():
        minutes = db.session.get(Minutes, form.minutes_id.data) if form.minutes_id.data else None
        uploads = [u for u in (form.documents.data or []) if getattr(u, "filename", "")]
        documents = [services.NewDocument(u.filename, u.filename, u.stream.read()) for u in uploads]
        try:
            with filestore.staged_files():
                procedure = services.open_procedure(
                    committee,
                    title=form.title.data,
                    question=form.question.data,
                    deadline=form.deadline(),
                    organisation=form.organisation.data or "",
                    minutes=minutes,
                    documents=documents,
                )
                db.session.commit()
        except (services.ProcedureError, filestore.StoreUnavailable) as error:
            refuse(
                form,
                error,
                form.deadline_day if getattr(error, "field", "") == "deadline" else None,
            )
        else:
            flash(
                _("La consultation écrite est ouverte ; les membres votants ont été prévenus."),
                "success",
            )
            return redirect(url_for(".detail", procedure_id=procedure.id))
    return render_template("procedures/open.html", committee=committee, form=form), form_status(
        form
    )


def _detail_page(procedure, recusal_form=None, publish_form=None, status=200):
    recusal_form = recusal_form or RecusalForm()
    recusal_form.mandate_id.choices = [
        (c.mandate_id, c.mandate.person.display_name) for c in procedure.consulted
    ]
    publish_form = publish_form or PublishForm(opinion=services.default_opinion(procedure))
    return render_template(
        "procedures/detail.html",
        procedure=procedure,
        votes=services.named_votes(procedure),
        recusal_form=recusal_form,
        close_form=CloseForm(),
        publish_form=publish_form,
        deadline_passed=utcnow() >= procedure.deadline,
    ), status


@bp.get("/secretariat/procedures/<id:procedure_id>")
@require(Permission.MANAGE_COMMITTEES)
def detail(procedure_id: int):
    return _detail_page(one_or_404(procedure_with_members(procedure_id)))


@bp.post("/secretariat/procedures/<id:procedure_id>/recusals")
@require(Permission.MANAGE_COMMITTEES)
def recusal(procedure_id: int):
    procedure = one_or_404(procedure_with_members(procedure_id))
    form = RecusalForm()
    if form.validate_on_submit():
        try:
            services.record_recusal(procedure, form.mandate_id.data, form.reason.data)
        except services.ProcedureError as error:
            refuse(form, error, form.mandate_id)
            procedure = one_or_404(procedure_with_members(procedure_id))
        else:
            db.session.commit()
            flash(_("Le déport a été enregistré."), "success")
            return redirect(url_for(".detail", procedure_id=procedure.id))
    return _detail_page(procedure, recusal_form=form, status=422)


@bp.post("/secretariat/procedures/<id:procedure_id>/close")
@require(Permission.MANAGE_COMMITTEES)
def close(procedure_id: int):
    procedure = one_or_404(procedure_with_members(procedure_id))
    form = CloseForm()
    if form.validate_on_submit():
        try:
            closed = services.close(procedure)
        except (services.ProcedureError, ValueError) as error:
            flash_refusal(error)
        else:
            db.session.commit()
            if closed:
                flash(_("La consultation est close et son résultat enregistré."), "success")
    return redirect(url_for(".detail", procedure_id=procedure_id))


@bp.post("/secretariat/procedures/<id:procedure_id>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(procedure_id: int):
    procedure = one_or_404(procedure_with_members(procedure_id))
    form = PublishForm()
    if form.validate_on_submit():
        try:
            services.publish(procedure, form.opinion.data)
        except services.ProcedureError as error:
            flash_refusal(error)
            return redirect(url_for(".detail", procedure_id=procedure_id))
        db.session.commit()
        flash(_("L'avis est publié."), "success")
        return redirect(url_for(".detail", procedure_id=procedure_id))
    return _detail_page(procedure, publish_form=form, status=422)
