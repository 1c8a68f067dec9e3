"""Forms of the secretariat's call screens: a call's settings, review, list filters.

Opening and closing are typed in Europe/Paris; the view converts them to UTC.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from committees.calls.administration.services import MAX_ATTACHMENTS
from committees.calls.labels import (
    AUDIENCE_LABELS,
    CONTRIBUTION_STATUS_LABELS,
    CONTRIBUTOR_KIND_LABELS,
    FILE_KIND_LABELS,
)
from committees.common.forms import int_or_none, offered_values, select_choices

#: the format of <input type="datetime-local">
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _max(length: int):
    return Length(max=length, message=_l("%(max)d caractères au plus."))


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (the ``form_field`` macro draws it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CallForm(FlaskForm):
    """A call's settings; the status changes through the publish and close buttons."""

    committee_id = SelectField(
        _l("Comité"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez le comité qui lance l'appel."))],
    )
    meeting_id = SelectField(
        _l("Séance concernée (auditions)"), coerce=int_or_none, validate_choice=False
    )
    reference = StringField(
        _l("Référence"),
        validators=[DataRequired(_l("Indiquez la référence de l'appel.")), _max(40)],
    )
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Indiquez le titre de l'appel.")), _max(300)]
    )
    body = TextAreaField(_l("Texte de l'appel"), validators=[_max(50_000)])
    audience = SelectField(
        _l("Public visé"),
        choices=select_choices((k.value, v) for k, v in AUDIENCE_LABELS.items()),
        validate_choice=False,
        default="anyone",
    )
    opens_at = DateTimeLocalField(
        _l("Ouverture (heure de Paris)"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(_l("Indiquez la date et l'heure d'ouverture."))],
    )
    closes_at = DateTimeLocalField(
        _l("Clôture (heure de Paris)"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(_l("Indiquez la date et l'heure de clôture."))],
    )
    themes = TextAreaField(_l("Thèmes"), validators=[_max(10_000)])
    template = FileField(_l("Modèle de contribution à télécharger"))
    remove_template = BooleanField(_l("Retirer le modèle actuel"))
    max_attachments = IntegerField(
        _l("Nombre maximal de pièces jointes"),
        default=3,
        validators=[
            InputRequired(_l("Indiquez un nombre de pièces jointes.")),
            NumberRange(
                min=0,
                max=MAX_ATTACHMENTS,
                message=_l("Indiquez un nombre de 0 à %(max)s."),
            ),
        ],
    )
    max_attachment_mb = DecimalField(
        _l("Taille maximale d'une pièce jointe (Mo)"),
        default=10,
        places=1,
        validators=[
            InputRequired(_l("Indiquez la taille maximale en Mo.")),
            NumberRange(
                min=0.1, max=200, message=_l("Indiquez une taille de %(min)s à %(max)s Mo.")
            ),
        ],
    )
    allowed_types = MultiCheckboxField(
        _l("Types de fichiers acceptés"),
        choices=select_choices(FILE_KIND_LABELS.items()),
        default=["pdf", "odt", "docx"],
        validate_choice=False,
    )
    contributions_publishable = BooleanField(
        _l("Les contributions peuvent être publiées (avec l'accord de leurs auteurs)"),
        default=True,
    )
    hearing_offer = StringField(_l("Offre d'audition"), validators=[_max(500)])
    submit = SubmitField(_l("Enregistrer l'appel"))

    def set_choices(self, committees, sessions) -> None:
        """Committees as (id, name); sessions as (id, label), all committees mixed."""
        self.committee_id.choices = select_choices(committees, blank=_l("— Choisir —"))
        self.meeting_id.choices = select_choices(sessions, blank=_l("— Aucune —"))

    def validate_committee_id(self, field) -> None:
        if field.data is None or field.data not in offered_values(field) - {""}:
            raise ValidationError(_l("Choisissez un comité de la liste."))

    def validate_meeting_id(self, field) -> None:
        if field.raw_data and field.raw_data[0] and field.data not in offered_values(field):
            raise ValidationError(_l("Choisissez une séance de la liste."))

    def validate_audience(self, field) -> None:
        if field.data not in offered_values(field) - {""}:
            raise ValidationError(_l("Choisissez le public visé dans la liste."))

    def validate_allowed_types(self, field) -> None:
        if set(field.data or ()) - set(FILE_KIND_LABELS):
            raise ValidationError(_l("Cochez des types de fichiers de la liste."))

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("La clôture doit suivre l'ouverture."))


REVIEW_CHOICES = select_choices(
    [
        ("eligible", _l("Recevable")),
        ("off_topic", _l("Hors sujet")),
    ]
)


class ReviewForm(FlaskForm):
    """Eligible or off-topic; off-topic needs a reason."""

    decision = RadioField(
        _l("Appréciation"),
        choices=REVIEW_CHOICES,
        validators=[InputRequired(_l("Choisissez « Recevable » ou « Hors sujet »."))],
    )
    reason = TextAreaField(_l("Motif"), validators=[_max(500)])
    submit = SubmitField(_l("Enregistrer l'appréciation"))

    def validate_reason(self, field) -> None:
        if self.decision.data == "off_topic" and not (field.data or "").strip():
            raise ValidationError(_l("Indiquez pourquoi la contribution est hors sujet."))


class ContributionFilterForm(FlaskForm):
    """Filters of the list of contributions, read from the query string (a GET)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Organisme contient"), validators=[_max(200)])
    status = SelectField(
        _l("Statut"),
        choices=select_choices(
            ((k.value, v) for k, v in CONTRIBUTION_STATUS_LABELS.items()), blank=_l("Tous")
        ),
        validate_choice=False,
    )
    kind = SelectField(
        _l("Type d'organisme"),
        choices=select_choices(
            ((k.value, v) for k, v in CONTRIBUTOR_KIND_LABELS.items()), blank=_l("Tous")
        ),
        validate_choice=False,
    )
    hearing = SelectField(
        _l("Souhaite être auditionné"),
        choices=select_choices([("yes", _l("Oui")), ("no", _l("Non"))], blank=_l("Peu importe")),
        validate_choice=False,
    )
    theme = SelectField(_l("Thème"), validate_choice=False)

    def set_themes(self, themes) -> None:
        self.theme.choices = select_choices(((t, t) for t in themes), blank=_l("Tous"))
