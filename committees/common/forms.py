"""Helpers shared by the forms of every domain."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    Field,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.i18n import messages_path
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select, TextArea

from committees.common.lines import SINGLE_LINE_MESSAGE, has_control_characters


def int_or_none(value) -> int | None:
    """Coerce a select's value to an id; garbage becomes None, for the field's check to refuse."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def select_choices(pairs: Iterable[tuple], *, blank: str | None = None) -> list[SelectChoice]:
    """The options of a select field from ``(value, label)`` pairs, in their order.

    ``blank`` is the label of a leading empty option (value ""), for "none" or "all".
    WTForms 3.3 deprecates tuple choices; building SelectChoice here keeps every form
    on the supported shape.
    """
    options = [SelectChoice("", blank)] if blank is not None else []
    options.extend(SelectChoice(value, label) for value, label in pairs)
    return options


def offered_values(field) -> set:
    """The values a select field offers, its empty option included.

    A view may still set a field's choices as tuples; both shapes are read.
    """
    return {SelectChoice.from_input(choice).value for choice in field.choices}


def max_length(length: int) -> Length:
    """The length check of a text field, its message in the page's language."""
    return Length(max=length, message=_l("%(max)d caractères au plus."))


def single_line(_form, field: Field) -> None:
    """Refuse a line break, a tab or another control character in a one-line field."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(SINGLE_LINE_MESSAGE)


def is_single_line(field: Field) -> bool:
    """Whether ``field`` holds one line of text a person types: a text input of any kind
    (e-mail, search, URL...), not a text area. Passwords are never written anywhere and are
    left as typed; hidden fields carry what the page put there (a previewed CSV file, a
    key), each checked by its own rule."""
    return (
        isinstance(field, StringField)
        and not isinstance(field, TextAreaField | PasswordField | HiddenField)
        and not isinstance(field.widget, TextArea)
    )


class FastSelect(Select):
    """WTForms' select, its plain options written in one step: the same HTML (attributes
    in WTForms' sorted order), without a ``html_params`` call per option (a session's
    form lists every committee)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        quoted = escape(value).replace(Markup('"'), Markup("&quot;"))
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{quoted}">{label}</option>')  # noqa: S704


@cache
def _wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTranslations:
    """WTForms' own messages (« Not a valid choice. ») in the page's language, each
    catalog read from disk once per process: Flask-WTF reads it again on every request
    that builds a form."""

    @staticmethod
    def _catalog() -> support.Translations:
        return _wtforms_catalog(str(get_locale() or "fr"))

    def gettext(self, string: str) -> str:
        return self._catalog().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog().ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = _WTFormsTranslations()


class AppForm(FlaskForm):
    """The base of every form of the application (``FlaskForm`` with its CSRF token).

    Each one-line text field gets the ``single_line`` check when the form is built, so no
    form can forget it: a title, name, place or acronym never carries a line break into
    a calendar, a mail header or a feed.
    """

    class Meta:
        def get_translations(self, form):
            return _WTFORMS_TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if type(field.widget) is Select:
                field.widget = FastSelect(multiple=field.widget.multiple)
            if is_single_line(field):
                field.validators = [*field.validators, single_line]
            return field


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (the ``form_field`` macro draws it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(AppForm):
    """A button that changes something (start, send, publish...): only its CSRF token."""
