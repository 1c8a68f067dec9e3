"""The search box (a GET form: it changes nothing, so no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length

from committees.common.forms import AppForm, select_choices
from committees.search.registry import kind_labels
from committees.search.services import MAX_QUERY_LENGTH


class SearchForm(AppForm):
    """What to look for, and optionally which kind of publication."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Rechercher"),
        validators=[
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l("La recherche est trop longue : %(max)s caractères au plus."),
            )
        ],
    )
    kind = SelectField(_l("Type de publication"), validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The kinds the domains registered (from their init_app), in their order.
        self.kind.choices = select_choices(kind_labels().items(), blank=_l("Tous"))
