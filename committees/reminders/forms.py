"""The « Mes rappels » form: one box per reminder a person may turn off."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from committees.common.forms import AppForm, MultiCheckboxField
from committees.reminders.kinds import LABELS, Kind


class PreferencesForm(AppForm):
    """The optional reminders to keep (a box left unticked turns that reminder off)."""

    wanted = MultiCheckboxField(_l("Rappels que je souhaite recevoir"), choices=[])
    submit = SubmitField(_l("Enregistrer mes préférences"))

    def offer(self, kinds: list[Kind]) -> None:
        """Show a box for each of ``kinds``."""
        self.wanted.choices = [(k.value, LABELS[k]) for k in kinds]
