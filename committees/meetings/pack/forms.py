"""The form replacing an agenda document by a new version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField

from committees.common.forms import AppForm, max_length


class ReplaceDocumentForm(AppForm):
    """A new version of a document: its file, and a new title if it changes."""

    file = FileField(
        _l("Nouvelle version"), validators=[FileRequired(_l("Choisissez un fichier."))]
    )
    title = StringField(
        _l("Nouveau titre (facultatif)"),
        description=_l("Laissez vide pour garder le titre actuel."),
        validators=[max_length(300)],
    )
    submit = SubmitField(_l("Remplacer le document"))
