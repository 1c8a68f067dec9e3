"""Forms of the outbox screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from committees.common.forms import AppForm


class RetryForm(AppForm):
    """The "retry now" button: no field, but a CSRF token like every form."""

    submit = SubmitField(_l("Réessayer maintenant"))
