"""The "Suivre" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField
from wtforms.validators import DataRequired, Length, Optional

from committees.auth.forms import _email_length, _email_valid, _strip
from committees.common.forms import AppForm, select_choices
from committees.follows.labels import FREQUENCY_LABELS


class FollowForm(AppForm):
    """Follow a scope; the address is asked of anonymous visitors only (checked in the view)."""

    scope = HiddenField(validators=[DataRequired(), Length(max=40)])
    next = HiddenField(validators=[Optional(), Length(max=500)])
    email = EmailField(
        _l("Votre adresse électronique"),
        filters=[_strip],
        validators=[Optional(), _email_length(), _email_valid()],
    )
    frequency = RadioField(
        _l("Fréquence"),
        choices=select_choices(FREQUENCY_LABELS.items()),
        default="immediate",
        validators=[DataRequired(message=_l("Choisissez une fréquence."))],
    )


class UnfollowForm(AppForm):
    """A signed-in person stops following (CSRF-protected)."""

    scope = HiddenField(validators=[DataRequired(), Length(max=40)])
    next = HiddenField(validators=[Optional(), Length(max=500)])
