"""The secretariat's person screens (identity, mandates, declarations, invitation)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.audit.services import entries_for
from committees.auth.permissions import Permission, require
from committees.bodies.models import Person
from committees.bodies.persons.declarations import (
    declaration_status,
    file_declaration,
    person_declarations,
)
from committees.bodies.persons.forms import (
    DeclarationForm,
    PersonForm,
    PersonSearchForm,
)
from committees.bodies.persons.services import (
    create_person,
    invite_person,
    persons_page,
    update_person,
)
from committees.bodies.rules import BodiesError
from committees.bodies.services import person_mandates
from committees.common.forms import ActionForm
from committees.common.params import page_arg
from committees.common.timeutils import paris_today
from committees.common.views import INVALID, form_status, get_or_404, refuse
from committees.extensions import db

bp = Blueprint("persons", __name__, url_prefix="/secretariat/persons")


@bp.get("")
@require(Permission.MANAGE_COMMITTEES)
def index():
    form = PersonSearchForm(request.args)
    text = (form.q.data or "")[:200]
    pagination = persons_page(text, page_arg())
    return render_template("bodies/persons/list.html", form=form, pagination=pagination, q=text)


def _person_fields(form: PersonForm) -> dict:
    return {
        name: (getattr(form, name).data or "").strip()
        for name in ("civility", "title", "affiliation", "qualification")
    } | {
        "first_name": form.first_name.data.strip(),
        "last_name": form.last_name.data.strip(),
        "email": (form.email.data or "").strip() or None,
    }


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def create():
    form = PersonForm()
    if form.validate_on_submit():
        try:
            person = create_person(**_person_fields(form))
        except BodiesError as error:  # the only refusal: the address is someone else's
            refuse(form, error, form.email)
        else:
            db.session.commit()
            flash(_("%(person)s a été enregistré·e.", person=person.display_name), "success")
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template("bodies/persons/form.html", form=form, person=None), form_status(form)


@bp.route("/<id:person_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(person_id: int):
    person = get_or_404(Person, person_id)
    form = PersonForm(obj=person)
    if form.validate_on_submit():
        try:
            update_person(person, **_person_fields(form))
        except BodiesError as error:
            refuse(form, error, form.email)
        else:
            db.session.commit()
            flash(_("%(person)s a été enregistré·e.", person=person.display_name), "success")
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template("bodies/persons/form.html", form=form, person=person), form_status(form)


def _detail_page(person: Person, *, invite_error: str | None = None, status: int = 200):
    return render_template(
        "bodies/persons/detail.html",
        person=person,
        status=declaration_status(person, paris_today()),
        mandates=person_mandates(person),
        declarations=person_declarations(person),
        entries=entries_for(person),
        invite_form=ActionForm(),
        invite_error=invite_error,
        today=paris_today(),
    ), status


@bp.get("/<id:person_id>")
@require(Permission.MANAGE_COMMITTEES)
def detail(person_id: int):
    return _detail_page(get_or_404(Person, person_id))


@bp.post("/<id:person_id>/invite")
@require(Permission.MANAGE_COMMITTEES)
def invite(person_id: int):
    person = get_or_404(Person, person_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _detail_page(person, invite_error=_("Le formulaire a expiré."), status=INVALID)
    try:
        user, created = invite_person(person, current_user._get_current_object())
    except BodiesError as error:
        db.session.rollback()
        return _detail_page(person, invite_error=str(error), status=INVALID)
    db.session.commit()
    if created:
        flash(_("Compte créé ; une invitation a été envoyée à %(email)s.", email=user.email))
    else:
        flash(
            _(
                "%(person)s est rattaché·e au compte %(email)s.",
                person=person.display_name,
                email=user.email,
            )
        )
    return redirect(url_for("persons.detail", person_id=person.id))


@bp.route("/<id:person_id>/declarations/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def new_declaration(person_id: int):
    person = get_or_404(Person, person_id)
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            file_declaration(person, form.declared_on.data, form.link_lines(), form.public_url.data)
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "La déclaration d'intérêts de %(person)s a été enregistrée.",
                    person=person.display_name,
                )
            )
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template(
        "bodies/declarations/form.html",
        form=form,
        person=person,
        back_url=url_for("persons.detail", person_id=person.id),
    ), form_status(form)
