"""A member's own declarations of interests, under /my/declarations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.bodies.persons.declarations import (
    declaration_status,
    file_declaration,
    person_declarations,
    renewal_data,
)
from committees.bodies.persons.forms import DeclarationForm
from committees.bodies.persons.services import person_for_user
from committees.bodies.rules import BodiesError
from committees.common.timeutils import paris_today
from committees.common.views import form_status, refuse
from committees.extensions import db

bp = Blueprint("my_declarations", __name__, url_prefix="/my/declarations")


@bp.get("")
@require(Permission.MEMBER_AREA)
def index():
    person = person_for_user(current_user)
    return render_template(
        "bodies/my/declarations.html",
        person=person,
        status=declaration_status(person, paris_today()) if person else None,
        declarations=person_declarations(person) if person else [],
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MEMBER_AREA)
def new():
    person = person_for_user(current_user)
    if person is None:
        # Only the secretariat ties an account to a member: nothing to declare for yet.
        abort(404)
    # A renewal starts from the latest declaration: the member changes what changed.
    previous = renewal_data(person) if request.method == "GET" else None
    form = DeclarationForm(data=previous) if previous else DeclarationForm()
    if form.validate_on_submit():
        try:
            file_declaration(person, form.declared_on.data, form.link_lines(), form.public_url.data)
        except BodiesError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Votre déclaration d'intérêts a été enregistrée."), "success")
            return redirect(url_for("my_declarations.index"))
    return render_template(
        "bodies/declarations/form.html",
        form=form,
        person=person,
        back_url=url_for("my_declarations.index"),
    ), form_status(form)
