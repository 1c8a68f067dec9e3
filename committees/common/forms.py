"""Helpers shared by the forms of every domain."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget


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


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (the ``form_field`` macro draws it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button that changes something (start, send, publish...): only its CSRF token."""
