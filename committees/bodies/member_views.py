"""A member's own declarations of interests, under /my/declarations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.bodies import panels  # noqa: F401 - registers the dashboard panels
from committees.bodies.forms import DeclarationForm
from committees.bodies.services import (
    BodiesError,
    declaration_status,
    file_declaration,
    person_declarations,
    person_for_user,
)
from committees.common.timeutils import paris_today
from committees.extensions import db

bp = Blueprint("my_declarations", __name__, url_prefix="/my/declarations")

#: status of a POST whose form does not validate, across the application
INVALID = 422


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
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            file_declaration(person, form.declared_on.data, form.link_lines(), form.public_url.data)
        except BodiesError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Votre déclaration d'intérêts a été enregistrée."), "success")
            return redirect(url_for("my_declarations.index"))
    status = INVALID if form.errors else 200
    return render_template(
        "bodies/declarations/form.html",
        form=form,
        person=person,
        back_url=url_for("my_declarations.index"),
    ), status
