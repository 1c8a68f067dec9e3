"""Forms of the person screens: identity, search, declarations of interests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Optional,
    ValidationError,
)

from committees.bodies.labels import LINK_KIND_LABELS, choices
from committees.bodies.models import LinkKind
from committees.bodies.persons.declarations import LinkLine
from committees.common.forms import AppForm, max_length, select_choices
from committees.common.timeutils import paris_today

#: empty link rows offered by a declaration form
LINK_ROWS = 5


class PersonSearchForm(AppForm):
    """The person list's search box (query string)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Nom ou organisme contient"), validators=[max_length(200)])


class PersonForm(AppForm):
    """A person's identity and private contact."""

    civility = SelectField(
        _l("Civilité"), choices=select_choices([("Mme", "Mme"), ("M.", "M.")], blank=_l("—"))
    )
    title = StringField(_l("Titre (Dr, Pr…)"), validators=[max_length(20)])
    first_name = StringField(
        _l("Prénom"), validators=[DataRequired(_l("Indiquez le prénom.")), max_length(100)]
    )
    last_name = StringField(
        _l("Nom"), validators=[DataRequired(_l("Indiquez le nom.")), max_length(100)]
    )
    email = EmailField(
        _l("Adresse électronique privée"),
        validators=[
            Optional(),
            max_length(254),
            Email(_l("Cette adresse électronique n'est pas valide.")),
        ],
        description=_l("Jamais publiée ; sert aux convocations et à l'invitation."),
    )
    affiliation = StringField(_l("Organisme de rattachement"), validators=[max_length(300)])
    qualification = StringField(_l("Qualité ou spécialité"), validators=[max_length(300)])
    submit = SubmitField(_l("Enregistrer"))


class LinkForm(Form):
    """One row of links of interest; a row left blank is ignored."""

    organisation = StringField(_l("Organisme"), validators=[max_length(300)])
    kind = SelectField(
        _l("Nature du lien"), choices=select_choices(choices(LINK_KIND_LABELS), blank="—")
    )
    details = StringField(_l("Précisions"), validators=[max_length(500)])
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


class DeclarationForm(AppForm):
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
            max_length(500),
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
