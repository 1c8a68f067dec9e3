"""Forms of the committee and mandate screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from committees.bodies.labels import (
    COMMITTEE_KIND_LABELS,
    MANDATE_ROLE_LABELS,
    choices,
)
from committees.common.forms import AppForm, int_or_none, max_length, offered_values, select_choices


def _end_after_start(form, field) -> None:
    start = form.start_date.data
    if field.data and start and field.data < start:
        raise ValidationError(_l("La date de fin précède la date de début."))


class OnDateForm(AppForm):
    """The day a composition is shown for (query string, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    on = DateField(
        _l("Composition au"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )


class CommitteeForm(AppForm):
    """Every field of a committee."""

    kind = SelectField(_l("Type de comité"), choices=select_choices(choices(COMMITTEE_KIND_LABELS)))
    name_fr = StringField(
        _l("Nom en français"),
        validators=[DataRequired(_l("Indiquez le nom du comité.")), max_length(300)],
    )
    name_en = StringField(_l("Nom en anglais"), validators=[max_length(300)])
    acronym = StringField(_l("Sigle"), validators=[max_length(40)])
    slug = StringField(
        _l("Adresse de la page publique (slug)"),
        validators=[max_length(120)],
        description=_l("Laissez vide pour la déduire du nom."),
    )
    mission_fr = TextAreaField(_l("Mission (français, Markdown)"))
    mission_en = TextAreaField(_l("Mission (anglais, Markdown)"))
    creating_decision_id = SelectField(
        _l("Décision de création"), coerce=int_or_none, validate_choice=False
    )
    start_date = DateField(
        _l("Date de début"),
        validators=[InputRequired(_l("Indiquez la date de début."))],
    )
    end_date = DateField(
        _l("Date de fin"),
        validators=[Optional(), _end_after_start],
        description=_l("Obligatoire pour un comité scientifique temporaire."),
    )
    meeting_cadence = StringField(_l("Rythme des séances"), validators=[max_length(120)])
    quorum_percent = IntegerField(
        _l("Quorum (pourcentage des membres votants à dépasser)"),
        default=50,
        validators=[
            InputRequired(_l("Indiquez le quorum.")),
            NumberRange(1, 100, _l("Le quorum est un pourcentage entre 1 et 100.")),
        ],
    )
    published = BooleanField(_l("Publié sur le site public"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, decision_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.creating_decision_id.choices = select_choices(decision_choices, blank=_l("— Aucune —"))

    def validate_creating_decision_id(self, field) -> None:
        known = offered_values(field) - {""}
        if field.data is not None and field.data not in known:
            raise ValidationError(_l("Choisissez une décision de la liste."))


class MandateForm(AppForm):
    """A mandate: who, which role, whether they vote, when, appointed by which decision."""

    person_id = SelectField(_l("Personne"), coerce=int_or_none, validate_choice=False)
    role = SelectField(_l("Rôle"), choices=select_choices(choices(MANDATE_ROLE_LABELS)))
    voting = SelectField(
        _l("Voix délibérative"),
        choices=select_choices([("yes", _l("Oui")), ("no", _l("Non"))], blank=_l("Selon le rôle")),
        description=_l("Un·e expert·e invité·e ne vote jamais."),
    )
    start_date = DateField(
        _l("Début du mandat"),
        validators=[InputRequired(_l("Indiquez le début du mandat."))],
    )
    end_date = DateField(_l("Fin du mandat"), validators=[Optional(), _end_after_start])
    appointing_decision_id = SelectField(
        _l("Décision de nomination"), coerce=int_or_none, validate_choice=False
    )
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, person_choices=(), decision_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = select_choices(person_choices, blank=_l("— Choisissez —"))
        self.appointing_decision_id.choices = select_choices(
            decision_choices, blank=_l("— Aucune —")
        )

    @property
    def voting_value(self) -> bool | None:
        """None leaves the vote to the role's default."""
        return {"yes": True, "no": False}.get(self.voting.data)

    def validate_person_id(self, field) -> None:
        known = offered_values(field) - {""}
        if field.data is None and field.raw_data and field.raw_data[0] in ("", None):
            raise ValidationError(_l("Choisissez une personne."))
        if field.data not in known:
            raise ValidationError(_l("Cette personne n'existe pas : choisissez-la dans la liste."))

    def validate_appointing_decision_id(self, field) -> None:
        known = offered_values(field) - {""}
        if field.data is not None and field.data not in known:
            raise ValidationError(_l("Choisissez une décision de la liste."))


class EndMandateForm(AppForm):
    """Close a mandate: the last day and why."""

    end_date = DateField(
        _l("Dernier jour du mandat"),
        validators=[InputRequired(_l("Indiquez la date de fin."))],
    )
    end_reason = StringField(
        _l("Motif de fin"),
        validators=[DataRequired(_l("Indiquez le motif de fin du mandat.")), max_length(300)],
    )
    submit = SubmitField(_l("Mettre fin au mandat"))
