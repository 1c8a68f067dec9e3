"""The form of the calendar pages."""

from __future__ import annotations

from flask_wtf import FlaskForm


class RegenerateForm(FlaskForm):
    """The « Régénérer le lien » button: nothing to fill, a CSRF token only."""
