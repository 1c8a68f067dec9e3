"""Forms of the minutes screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from committees.common.forms import int_or_none, offered_values, select_choices
from committees.meetings.labels import ADOPTION_MODE_LABELS, choices
from committees.meetings.models import AdoptionMode


class RevisionForm(FlaskForm):
    """The text of the minutes and the revision it was started from."""

    body = TextAreaField(
        _l("Texte du compte rendu (Markdown)"),
        validators=[DataRequired(_l("Le texte du compte rendu ne peut pas être vide."))],
    )
    #: the revision the person started from: a stale one means someone saved meanwhile
    base_number = HiddenField(filters=[int_or_none])
    note = StringField(
        _l("Note de version"),
        validators=[Length(max=300, message=_l("%(max)d caractères au plus."))],
    )

    def validate_base_number(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Version de départ inconnue : rechargez la page."))


class AdoptForm(FlaskForm):
    """When and how the minutes were adopted."""

    adopted_on = DateField(
        _l("Date d'adoption"),
        validators=[InputRequired(_l("Indiquez une date d'adoption valide."))],
    )
    mode = RadioField(
        _l("Mode d'adoption"),
        choices=select_choices(choices(ADOPTION_MODE_LABELS)),
        default=AdoptionMode.SESSION.value,
        validators=[InputRequired(_l("Choisissez le mode d'adoption."))],
    )
    at_meeting_id = SelectField(
        _l("Séance qui l'adopte"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[Optional()],
    )

    def __init__(self, *args, meeting_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.at_meeting_id.choices = select_choices(meeting_choices, blank=_l("— Aucune —"))

    def validate_at_meeting_id(self, field) -> None:
        if field.data is not None and field.data not in offered_values(field) - {""}:
            raise ValidationError(_l("Choisissez une séance de la liste."))
        if self.mode.data == AdoptionMode.SESSION and field.data is None:
            raise ValidationError(_l("Choisissez la séance qui a adopté le compte rendu."))


class CommentForm(FlaskForm):
    """A participant's comment on one section of the draft."""

    # The service gives the reason a section is refused (recusal, another session).
    item_id = SelectField(_l("Point de l'ordre du jour"), coerce=int_or_none, validate_choice=False)
    body = TextAreaField(
        _l("Votre observation"),
        validators=[
            DataRequired(_l("Écrivez votre observation.")),
            Length(max=5000, message=_l("%(max)d caractères au plus.")),
        ],
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_id.choices = select_choices(
            [(item.id, f"{item.position}. {item.title}") for item in items]
        )


class ProcessCommentForm(FlaskForm):
    """The secretariat's answer to a comment and the revision that takes it into account."""

    answer = TextAreaField(
        _l("Réponse"),
        validators=[Length(max=5000, message=_l("%(max)d caractères au plus."))],
    )
    taken_in_revision = SelectField(
        _l("Prise en compte dans la version"), coerce=int_or_none, validate_choice=False
    )

    def __init__(self, *args, revisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_in_revision.choices = select_choices(
            [(n, _l("Version %(number)s", number=n)) for n in revisions], blank=_l("—")
        )
