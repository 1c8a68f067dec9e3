"""Forms of the follow-up actions: a new action, and closing one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from committees.common.forms import AppForm, int_or_none, max_length, select_choices
from committees.meetings.models import AssigneeKind

ASSIGNEE_LABELS = {
    AssigneeKind.MEMBER.value: _l("Un membre du comité"),
    AssigneeKind.SECRETARIAT.value: _l("Le secrétariat"),
    AssigneeKind.SERVICE.value: _l("Un service de l'agence"),
}


class FollowUpForm(AppForm):
    """A new follow-up action; the choices of member and item are set by the view."""

    description = TextAreaField(
        _l("Action à mener"),
        validators=[DataRequired(_l("Indiquez l'action à mener.")), max_length(1000)],
    )
    assignee_kind = RadioField(
        _l("Qui"),
        choices=select_choices(ASSIGNEE_LABELS.items()),
        default=AssigneeKind.SECRETARIAT.value,
        validators=[InputRequired(_l("Indiquez qui mène l'action."))],
    )
    assignee_mandate_id = SelectField(_l("Membre"), coerce=int_or_none, validate_choice=False)
    assignee_text = StringField(_l("Service de l'agence"), validators=[max_length(200)])
    due_on = DateField(_l("Échéance"), validators=[Optional()])
    item_id = SelectField(_l("Point de l'ordre du jour"), coerce=int_or_none, validate_choice=False)
    is_public = BooleanField(_l("Publier dans le « Suivi des avis » du comité"))


class CloseActionForm(AppForm):
    """Closing an action: how it was done."""

    note = TextAreaField(
        _l("Comment l'action a été menée"),
        validators=[DataRequired(_l("Indiquez comment l'action a été menée.")), max_length(2000)],
    )
