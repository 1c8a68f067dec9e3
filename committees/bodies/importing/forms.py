"""Forms of the CSV import of members: upload, then confirm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired

from committees.common.forms import AppForm


class UploadForm(AppForm):
    """Step 1: the file to preview."""

    file = FileField(
        _l("Fichier CSV des membres"),
        validators=[FileRequired(_l("Choisissez un fichier CSV."))],
    )
    submit = SubmitField(_l("Prévisualiser"))


class ConfirmForm(AppForm):
    """Step 2: the previewed text, sent back to be checked again and imported."""

    csv_text = HiddenField(validators=[DataRequired(_l("Le contenu du fichier a été perdu."))])
    submit = SubmitField(_l("Importer"))
