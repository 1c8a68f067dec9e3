"""A form field as every page draws it: a label tied to its field, help and errors tied by
``aria-describedby``, the typed value kept.

The ``form_field`` macro of ``_macros.html`` hands its arguments here. Written in Python
rather than in Jinja because forms are the most drawn thing of the signed-in pages (a
session's form has a dozen fields, a list's filters five): each Jinja macro call,
``set`` and sub-macro cost as much as the whole field costs here. The HTML is the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup
from wtforms import Field

_REQUIRED = Markup(' <span class="required" aria-hidden="true">*</span>')
_HIDDEN = ("HiddenField", "CSRFTokenField")
_GROUPS = ("RadioField", "MultiCheckboxField")


def form_field(
    field: Field,
    help: Any = None,
    autocomplete: str | None = None,
    class_: str = "",
    attributes: Mapping[str, Any] | None = None,
) -> Markup:
    """``field`` with its label, ``help`` text and errors; ``attributes`` go to the input
    (rows=6, inputmode=...)."""
    if field.type in _HIDDEN:
        return field()
    described = _described_by(field, help)
    attrs = dict(attributes or {})
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    error_class = " field--error" if field.errors else ""
    hint = _hint(field, help)
    errors = _errors(field)
    required = _REQUIRED if field.flags.required else ""
    if field.type in _GROUPS:
        described_attr = Markup(' aria-describedby="%s"') % described if described else ""
        options = Markup("").join(
            Markup('\n    <div class="choice">\n      %s %s\n    </div>')
            % (option(), option.label(class_="label--inline"))
            for option in field
        )
        return Markup(
            '<fieldset class="field field--group%s %s" id="%s"%s>\n'
            "    <legend>%s%s</legend>%s%s\n    %s\n  </fieldset>"
        ) % (error_class, class_, field.id, described_attr, field.label.text, required, hint,
             options, errors)  # fmt: skip
    if field.type == "BooleanField":
        return Markup(
            '<div class="field field--checkbox%s %s">\n    <div class="choice">\n'
            "      %s\n      %s%s\n    </div>%s\n    %s\n  </div>"
        ) % (error_class, class_, field(**attrs), field.label(class_="label--inline"),
             required, hint, errors)  # fmt: skip
    return Markup('<div class="field%s %s">\n    %s%s%s\n    %s\n    %s\n  </div>') % (
        error_class,
        class_,
        field.label(),
        required,
        hint,
        field(**attrs),
        errors,
    )


def _described_by(field: Field, help: Any) -> str:
    ids = []
    if help:
        ids.append(f"{field.id}-help")
    if field.errors:
        ids.append(f"{field.id}-errors")
    return " ".join(ids)


def _hint(field: Field, help: Any) -> Markup | str:
    if not help:
        return ""
    return Markup('<p class="hint" id="%s-help">%s</p>') % (field.id, help)


def _errors(field: Field) -> Markup | str:
    if not field.errors:
        return ""
    items = Markup("").join(Markup("<li>%s</li>") % error for error in field.errors)
    return Markup('\n    <ul class="field-errors" id="%s-errors">%s\n    </ul>') % (
        field.id,
        items,
    )
