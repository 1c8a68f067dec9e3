"""The form of the calendar pages."""

from __future__ import annotations

from committees.common.forms import AppForm


class RegenerateForm(AppForm):
    """The « Régénérer le lien » button: nothing to fill, a CSRF token only."""
