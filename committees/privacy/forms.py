"""Forms of the personal-data pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from committees.common.forms import AppForm


class ExportForm(AppForm):
    """The download button: only the CSRF token."""

    submit = SubmitField(_l("Télécharger mes données"))


class AdminExportForm(AppForm):
    """The administrator's download button."""

    submit = SubmitField(_l("Télécharger les données"))


class ErasureForm(AppForm):
    """Erasure asks the administrator to confirm explicitly: it cannot be undone."""

    confirm = BooleanField(
        _l("Je confirme l'effacement : il est définitif."),
        validators=[DataRequired(_l("Cochez la case pour confirmer l'effacement."))],
    )
    submit = SubmitField(_l("Effacer les données personnelles"))
