"""What every view module shares: the status of a form in error, one way of showing a
refused operation beside its field, and loaders that answer 404.

Routes stay thin: they validate a form, call a service, and on a domain error call
``refuse`` so that nothing of the operation is kept and its reason is shown where the
person typed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, flash
from flask_wtf import FlaskForm

from committees.extensions import db

#: status of a POST whose form does not validate, across the application
INVALID = 422

ModelT = TypeVar("ModelT")


def form_status(*forms: FlaskForm | None) -> int:
    """422 when any of ``forms`` carries an error (a field's or the form's), else 200."""
    for form in forms:
        if form is not None and (form.errors or getattr(form, "form_errors", None)):
            return INVALID
    return 200


def refuse(form: FlaskForm, error: Exception, field: Any = None) -> None:
    """A refused operation: nothing of it is kept, its reason is shown with the form.

    The reason goes beside ``field`` when given, else beside the field the error names
    (its ``field`` attribute, a field name), else above the form.
    """
    db.session.rollback()
    if field is None:
        name = getattr(error, "field", None)
        field = form[name] if name and name in form else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def get_or_404(model: type[ModelT], ident: Any) -> ModelT:
    """The row of ``model`` with primary key ``ident``, or a 404 page."""
    return db.get_or_404(model, ident)


def one_or_404(value: ModelT | None) -> ModelT:
    """``value``, or a 404 page when the lookup that produced it found nothing."""
    if value is None:
        abort(404)
    return value


def flash_refusal(error: Exception) -> None:
    """A refused button (no form to show it beside): nothing is kept, the reason is flashed."""
    db.session.rollback()
    flash(str(error), "error")
