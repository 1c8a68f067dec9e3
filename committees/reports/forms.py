"""Forms of the report screens: the foreword, and the publish / unpublish buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from committees.common.forms import AppForm

#: longest foreword accepted (a few pages of text)
FOREWORD_MAX = 20_000


class ForewordForm(AppForm):
    """The foreword of a yearly report: the only text typed by hand."""

    foreword = TextAreaField(
        _l("Avant-propos (Markdown)"),
        validators=[
            Length(
                max=FOREWORD_MAX, message=_l("L'avant-propos ne peut dépasser %(max)d caractères.")
            )
        ],
    )
