"""Forms of the committee, person, mandate and declaration screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from committees.bodies.labels import (
    COMMITTEE_KIND_LABELS,
    LINK_KIND_LABELS,
    MANDATE_ROLE_LABELS,
    choices,
)
from committees.bodies.models import LinkKind
from committees.bodies.services import LinkLine
from committees.common.forms import int_or_none, offered_values, select_choices
from committees.common.timeutils import paris_today

#: empty link rows offered by a declaration form
LINK_ROWS = 5


def _max(length: int):
    return Length(max=length, message=_l("%(max)d caractères au plus."))


def _end_after_start(form, field) -> None:
    start = form.start_date.data
    if field.data and start and field.data < start:
        raise ValidationError(_l("La date de fin précède la date de début."))


class OnDateForm(FlaskForm):
    """The day a composition is shown for (query string, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    on = DateField(
        _l("Composition au"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )


class CommitteeForm(FlaskForm):
    """Every field of a committee."""

    kind = SelectField(_l("Type de comité"), choices=select_choices(choices(COMMITTEE_KIND_LABELS)))
    name_fr = StringField(
        _l("Nom en français"),
        validators=[DataRequired(_l("Indiquez le nom du comité.")), _max(300)],
    )
    name_en = StringField(_l("Nom en anglais"), validators=[_max(300)])
    acronym = StringField(_l("Sigle"), validators=[_max(40)])
    slug = StringField(
        _l("Adresse de la page publique (slug)"),
        validators=[_max(120)],
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
    meeting_cadence = StringField(_l("Rythme des séances"), validators=[_max(120)])
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


class PersonSearchForm(FlaskForm):
    """The person list's search box (query string)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Nom ou organisme contient"), validators=[_max(200)])


class PersonForm(FlaskForm):
    """A person's identity and private contact."""

    civility = SelectField(
        _l("Civilité"), choices=select_choices([("Mme", "Mme"), ("M.", "M.")], blank=_l("—"))
    )
    title = StringField(_l("Titre (Dr, Pr…)"), validators=[_max(20)])
    first_name = StringField(
        _l("Prénom"), validators=[DataRequired(_l("Indiquez le prénom.")), _max(100)]
    )
    last_name = StringField(_l("Nom"), validators=[DataRequired(_l("Indiquez le nom.")), _max(100)])
    email = EmailField(
        _l("Adresse électronique privée"),
        validators=[
            Optional(),
            _max(254),
            Email(_l("Cette adresse électronique n'est pas valide.")),
        ],
        description=_l("Jamais publiée ; sert aux convocations et à l'invitation."),
    )
    affiliation = StringField(_l("Organisme de rattachement"), validators=[_max(300)])
    qualification = StringField(_l("Qualité ou spécialité"), validators=[_max(300)])
    submit = SubmitField(_l("Enregistrer"))


class MandateForm(FlaskForm):
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


class EndMandateForm(FlaskForm):
    """Close a mandate: the last day and why."""

    end_date = DateField(
        _l("Dernier jour du mandat"),
        validators=[InputRequired(_l("Indiquez la date de fin."))],
    )
    end_reason = StringField(
        _l("Motif de fin"),
        validators=[DataRequired(_l("Indiquez le motif de fin du mandat.")), _max(300)],
    )
    submit = SubmitField(_l("Mettre fin au mandat"))


class LinkForm(Form):
    """One row of links of interest; a row left blank is ignored."""

    organisation = StringField(_l("Organisme"), validators=[_max(300)])
    kind = SelectField(
        _l("Nature du lien"), choices=select_choices(choices(LINK_KIND_LABELS), blank="—")
    )
    details = StringField(_l("Précisions"), validators=[_max(500)])
    started_on = DateField(_l("Début"), validators=[Optional()])
    ended_on = DateField(_l("Fin"), validators=[Optional()])

    @property
    def is_blank(self) -> bool:
        return not any(
            (
                (self.organisation.data or "").strip(),
                self.kind.data,
                (self.details.data or "").strip(),
                self.started_on.raw_data and self.started_on.raw_data[0],
                self.ended_on.raw_data and self.ended_on.raw_data[0],
            )
        )

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank:
            return True
        valid = super().validate(extra_validators)
        if not (self.organisation.data or "").strip():
            self.organisation.errors.append(_l("Indiquez l'organisme."))
            valid = False
        if not self.kind.data:
            self.kind.errors.append(_l("Choisissez la nature du lien."))
            valid = False
        start, end = self.started_on.data, self.ended_on.data
        if start and end and end < start:
            self.ended_on.errors.append(_l("La fin précède le début."))
            valid = False
        return valid


class DeclarationForm(FlaskForm):
    """A declaration of interests with its links."""

    declared_on = DateField(
        _l("Date de la déclaration"),
        default=paris_today,
        validators=[InputRequired(_l("Indiquez la date de la déclaration."))],
    )
    public_url = URLField(
        _l("Adresse de la déclaration publique"),
        validators=[
            Optional(),
            _max(500),
            URL(message=_l("Indiquez une adresse web complète (https://…).")),
        ],
    )
    links = FieldList(
        FormField(LinkForm), label=_l("Liens d'intérêts"), min_entries=LINK_ROWS, max_entries=50
    )
    submit = SubmitField(_l("Enregistrer la déclaration"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The summary at the top lists messages, not the nested dicts of the rows.
        self.links.errors = [
            _l("Ligne %(number)s : %(error)s", number=number, error=errors[0])
            for number, entry in enumerate(self.links, start=1)
            for errors in entry.form.errors.values()
            if errors
        ][:1]
        return valid

    def validate_declared_on(self, field) -> None:
        if field.data and field.data > paris_today():
            raise ValidationError(_l("La date de la déclaration ne peut pas être dans le futur."))

    def link_lines(self) -> list[LinkLine]:
        """The rows that were filled in, for ``file_declaration``."""
        return [
            LinkLine(
                organisation=row.organisation.data.strip(),
                kind=LinkKind(row.kind.data),
                details=(row.details.data or "").strip(),
                started_on=row.started_on.data,
                ended_on=row.ended_on.data,
            )
            for row in (entry.form for entry in self.links)
            if not row.is_blank
        ]


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""
