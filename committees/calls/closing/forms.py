"""The confirmation of an early closing: the reason told to the contributors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired

from committees.calls.closing.services import REASON_MAX
from committees.common.forms import AppForm, max_length


class CloseEarlyForm(AppForm):
    """Why the call closes before its deadline (sent to every contributor)."""

    reason = TextAreaField(
        _l("Motif de la clôture anticipée"),
        validators=[
            DataRequired(_l("Indiquez pourquoi l'appel est clos avant sa date limite.")),
            max_length(REASON_MAX),
        ],
        description=_l("Il est envoyé par courriel à chaque contributeur."),
    )
    submit = SubmitField(_l("Clore l'appel maintenant"))
