"""The secretariat's committee and mandate screens, under /secretariat."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from committees.audit.services import entries_for
from committees.auth.permissions import Permission, require
from committees.bodies.cited_decisions import cited_decision, decision_choices
from committees.bodies.forms import CommitteeForm, EndMandateForm, MandateForm, OnDateForm
from committees.bodies.models import Committee, Mandate, MandateRole, Person
from committees.bodies.persons.services import person_choices
from committees.bodies.rules import BodiesError
from committees.bodies.services import (
    MandateLine,
    add_mandate,
    committees_page,
    composition_with_clearance,
    create_committee,
    end_mandate,
    mandate_history,
    member_counts,
    update_committee,
    update_mandate,
)
from committees.common.formats import nested_quotes
from committees.common.forms import select_choices
from committees.common.markdown import render_markdown
from committees.common.params import page_arg
from committees.common.timeutils import paris_today, utcnow
from committees.common.views import form_status, get_or_404, refuse
from committees.extensions import db

bp = Blueprint("bodies", __name__, url_prefix="/secretariat")


# --- committees -----------------------------------------------------------------------


@bp.get("/committees")
@require(Permission.MANAGE_COMMITTEES)
def committees():
    today = paris_today()
    pagination = committees_page(page_arg())
    counts = member_counts([c.id for c in pagination.items], today)
    return render_template(
        "bodies/committees/list.html", pagination=pagination, counts=counts, today=today
    )


def _committee_fields(form: CommitteeForm, committee: Committee | None) -> dict:
    already = committee.published_at if committee else None
    return {
        "kind": form.kind.data,
        "name_fr": form.name_fr.data.strip(),
        "name_en": (form.name_en.data or "").strip(),
        "acronym": (form.acronym.data or "").strip(),
        "slug": (form.slug.data or "").strip() or form.name_fr.data,
        "mission_fr": form.mission_fr.data or "",
        "mission_en": form.mission_en.data or "",
        "creating_decision_id": form.creating_decision_id.data,
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "meeting_cadence": (form.meeting_cadence.data or "").strip(),
        "quorum_percent": form.quorum_percent.data,
        # Publishing again keeps the first publication date; unticking withdraws it.
        "published_at": (already or utcnow()) if form.published.data else None,
    }


@bp.route("/committees/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def create_committee_view():
    form = CommitteeForm(decision_choices=decision_choices())
    if form.validate_on_submit():
        try:
            committee = create_committee(**_committee_fields(form, None))
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _("Le comité « %(name)s » a été créé.", name=nested_quotes(committee.name_fr)),
                "success",
            )
            return redirect(url_for("bodies.committee", committee_id=committee.id))
    page = render_template("bodies/committees/form.html", form=form, committee=None)
    return page, form_status(form)


@bp.route("/committees/<id:committee_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit_committee(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    form = CommitteeForm(obj=committee, decision_choices=decision_choices())
    if request.method == "GET":
        form.published.data = committee.published_at is not None
    if form.validate_on_submit():
        try:
            update_committee(committee, **_committee_fields(form, committee))
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Le comité « %(name)s » a été enregistré.",
                    name=nested_quotes(committee.name_fr),
                ),
                "success",
            )
            return redirect(url_for("bodies.committee", committee_id=committee.id))
    page = render_template("bodies/committees/form.html", form=form, committee=committee)
    return page, form_status(form)


@bp.get("/committees/<id:committee_id>")
@require(Permission.MANAGE_COMMITTEES)
def committee(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    today = paris_today()
    form = OnDateForm(request.args)
    status = 200
    if not form.validate():
        # A malformed ?on= is the visitor's mistake: say so beside the field, show today.
        form.on.errors = [_("Date non reconnue : utilisez le format AAAA-MM-JJ.")]
        status = 400
    day = (form.on.data if status == 200 else None) or today
    return render_template(
        "bodies/committees/detail.html",
        committee=committee,
        form=form,
        day=day,
        today=today,
        composition=composition_with_clearance(committee, day),
        history=mandate_history(committee),
        mission=render_markdown(committee.mission_fr),
        mission_en=render_markdown(committee.mission_en),
        entries=entries_for(committee),
    ), status


# --- mandates -------------------------------------------------------------------------


def _mandate_form(**kwargs) -> MandateForm:
    return MandateForm(
        person_choices=person_choices(), decision_choices=decision_choices(), **kwargs
    )


@bp.route("/committees/<id:committee_id>/mandates/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def create_mandate(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    form = _mandate_form()
    if request.method == "GET" and request.args.get("person", type=int):
        form.person_id.data = request.args.get("person", type=int)
    if form.validate_on_submit():
        line = MandateLine(
            person=db.session.get(Person, form.person_id.data),
            role=MandateRole(form.role.data),
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            voting=form.voting_value,
        )
        try:
            add_mandate(committee, line, decision=cited_decision(form.appointing_decision_id.data))
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Le mandat de %(person)s a été ajouté.", person=line.person.display_name))
            return redirect(url_for("bodies.committee", committee_id=committee.id))
    return render_template(
        "bodies/mandates/form.html", form=form, committee=committee, mandate=None
    ), form_status(form)


@bp.route("/mandates/<id:mandate_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit_mandate(mandate_id: int):
    mandate = get_or_404(Mandate, mandate_id)
    form = _mandate_form(obj=mandate)
    # The holder of a mandate does not change: a different person gets a mandate of their own.
    form.person_id.choices = select_choices([(mandate.person_id, mandate.person.display_name)])
    form.person_id.data = mandate.person_id
    if request.method == "GET":
        form.voting.data = "yes" if mandate.voting else "no"
    if form.validate_on_submit():
        try:
            update_mandate(
                mandate,
                role=MandateRole(form.role.data),
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                voting=form.voting_value,
                appointing_decision=cited_decision(form.appointing_decision_id.data),
            )
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _("Le mandat de %(person)s a été enregistré.", person=mandate.person.display_name)
            )
            return redirect(url_for("bodies.committee", committee_id=mandate.committee_id))
    return render_template(
        "bodies/mandates/form.html",
        form=form,
        committee=mandate.committee,
        mandate=mandate,
        entries=entries_for(mandate),
    ), form_status(form)


@bp.route("/mandates/<id:mandate_id>/end", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def end_mandate_view(mandate_id: int):
    mandate = get_or_404(Mandate, mandate_id)
    form = EndMandateForm()
    if form.validate_on_submit():
        try:
            end_mandate(mandate, form.end_date.data, form.end_reason.data)
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Le mandat de %(person)s a pris fin.", person=mandate.person.display_name))
            return redirect(url_for("bodies.committee", committee_id=mandate.committee_id))
    page = render_template("bodies/mandates/end.html", form=form, mandate=mandate)
    return page, form_status(form)
