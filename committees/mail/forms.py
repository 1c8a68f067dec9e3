"""Forms of the outbox screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class RetryForm(FlaskForm):
    """The "retry now" button: no field, but a CSRF token like every form."""

    submit = SubmitField(_l("Réessayer maintenant"))
