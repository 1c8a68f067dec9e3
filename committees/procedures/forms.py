"""Forms of written procedures: opening, a member's answer, a recusal, publication."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from committees.common.forms import AppForm, int_or_none, max_length, select_choices
from committees.meetings.rules import paris_to_utc
from committees.procedures.labels import CHOICE_LABELS


class OpenForm(AppForm):
    """Open a written procedure on a committee."""

    title = StringField(
        _l("Objet"),
        validators=[DataRequired(_l("Indiquez l'objet de la consultation.")), max_length(300)],
    )
    question = TextAreaField(
        _l("Question posée aux membres"),
        validators=[DataRequired(_l("Indiquez la question posée aux membres.")), max_length(20000)],
    )
    organisation = StringField(
        _l("Organisme concerné"),
        description=_l("Les membres ayant déclaré un lien avec cet organisme ne votent pas."),
        validators=[max_length(300)],
    )
    minutes_id = SelectField(
        _l("Adopter par écrit un projet de compte rendu"), coerce=int_or_none, validate_choice=False
    )
    deadline_day = DateField(
        _l("Date limite de réponse"),
        validators=[InputRequired(_l("Indiquez la date limite de réponse."))],
    )
    deadline_time = TimeField(
        _l("Heure limite (heure de Paris)"), default=time(18, 0), validators=[Optional()]
    )
    documents = MultipleFileField(_l("Documents (PDF, ODT, DOCX, ODS ou XLSX)"))
    submit = SubmitField(_l("Ouvrir la consultation et écrire aux membres"))

    def offer_minutes(self, minutes_list) -> None:
        self.minutes_id.choices = select_choices(
            ((m.id, m.meeting.title) for m in minutes_list), blank=_l("— aucun —")
        )

    def deadline(self) -> datetime | None:
        if self.deadline_day.data is None:
            return None
        return paris_to_utc(self.deadline_day.data, self.deadline_time.data or time(18, 0))


class AnswerForm(AppForm):
    """A consulted member's answer."""

    choice = RadioField(
        _l("Votre vote"),
        choices=select_choices(CHOICE_LABELS.items()),
        validators=[InputRequired(_l("Choisissez pour, contre ou abstention."))],
    )
    comment = TextAreaField(_l("Commentaire (facultatif)"), validators=[max_length(5000)])
    submit = SubmitField(_l("Enregistrer ma réponse"))


class RecusalForm(AppForm):
    """Record or lift a member's recusal (déport) on the procedure."""

    mandate_id = SelectField(_l("Membre"), coerce=int_or_none, validate_choice=False)
    reason = StringField(_l("Motif du déport (vide pour le lever)"), validators=[max_length(500)])
    submit = SubmitField(_l("Enregistrer le déport"))


class CloseForm(AppForm):
    """Close now, after the deadline."""

    submit = SubmitField(_l("Clore maintenant"))


class PublishForm(AppForm):
    """Publish the committee's opinion."""

    opinion = TextAreaField(_l("Texte de l'avis"), validators=[max_length(20000)])
    submit = SubmitField(_l("Publier l'avis"))
