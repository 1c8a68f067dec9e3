"""Forms of the decision screens (secretariat) and of the public decision list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from flask_wtf.i18n import translations
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from committees.bodies.labels import MANDATE_ROLE_LABELS, choices
from committees.bodies.models import MandateRole, Person
from committees.bodies.services import MandateLine
from committees.common.forms import AppForm, MultiCheckboxField, offered_values, select_choices
from committees.decisions.labels import DECISION_KIND_LABELS, STATUS_LABELS

#: rows of the nomination table; blank rows are ignored
NOMINATION_ROWS = 15
#: the vote of a nomination row; « selon le rôle » (empty) leaves it to the role
_VOTING = {"yes": True, "no": False}


class KnownChoice:
    """Refuse a value that is not among the field's choices, with a French message.

    Select fields are built with ``validate_choice=False`` so that this message,
    not WTForms' generic one, reaches the person.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        allowed = {str(value) for value in offered_values(field)}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(str(value) not in allowed for value in values):
            raise ValidationError(self.message)


class DecisionForm(AppForm):
    """Create or edit a decision; the number is checked by the service."""

    number = StringField(
        _l("Numéro de la décision"),
        validators=[
            DataRequired(_l("Indiquez le numéro de la décision (par exemple 2022-30).")),
            Length(max=12, message=_l("Le numéro ne peut dépasser %(max)d caractères.")),
        ],
    )
    title = StringField(
        _l("Titre"),
        validators=[
            DataRequired(_l("Indiquez le titre de la décision.")),
            Length(max=300, message=_l("Le titre ne peut dépasser %(max)d caractères.")),
        ],
    )
    kind = SelectField(
        _l("Nature de la décision"),
        validate_choice=False,
        validators=[
            DataRequired(_l("Choisissez la nature de la décision.")),
            KnownChoice(_l("Choisissez une nature de décision dans la liste.")),
        ],
    )
    signed_on = DateField(
        _l("Date de signature"),
        validators=[InputRequired(_l("Indiquez la date de signature (JJ/MM/AAAA)."))],
    )
    summary = TextAreaField(
        _l("Résumé"),
        validators=[Length(max=5000, message=_l("Le résumé ne peut dépasser %(max)d caractères."))],
    )
    pdf = FileField(_l("Décision signée (PDF)"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices(choices(DECISION_KIND_LABELS))


class SecretariatFilterForm(AppForm):
    """Filters of the secretariat's list, read from the query string (no CSRF: a GET)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Numéro ou titre contient"), validators=[Length(max=200)])
    year = SelectField(_l("Année"), validate_choice=False)
    committee = SelectField(_l("Comité"), validate_choice=False)
    status = SelectField(_l("Statut"), validate_choice=False)

    def __init__(self, *args, years=(), committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = _year_choices(years)
        self.committee.choices = select_choices(
            ((str(c.id), c.name_fr) for c in committees), blank=_l("Tous les comités")
        )
        self.status.choices = select_choices(STATUS_LABELS.items(), blank=_l("Tous les statuts"))


def _year_choices(years) -> list[SelectChoice]:
    return select_choices(((str(y), str(y)) for y in years), blank=_l("Toutes les années"))


class PublicFilterForm(AppForm):
    """Filters of the public list: year, committee (by its address) and a search."""

    class Meta:
        csrf = False

    q = SearchField(_l("Numéro ou titre contient"), validators=[Length(max=200)])
    year = SelectField(_l("Année"), validate_choice=False)
    committee = SelectField(_l("Comité"), validate_choice=False)

    def __init__(self, *args, years=(), committees=(), locale="fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = _year_choices(years)
        self.committee.choices = select_choices(
            ((c.slug, c.name(locale)) for c in committees), blank=_l("Tous les comités")
        )


def _committee_field(required_message: str) -> SelectField:
    """A committee to choose; the form fills its options with ``_committee_choices``."""
    return SelectField(
        _l("Comité"),
        validate_choice=False,
        validators=[
            DataRequired(required_message),
            KnownChoice(_l("Choisissez un comité dans la liste.")),
        ],
    )


class CommitteeChoiceForm(AppForm):
    """One committee, for « Créer le comité » and « Concerne le comité »."""

    committee = _committee_field(_l("Choisissez un comité."))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.committee.choices = _committee_choices(committees)


def _committee_choices(committees) -> list[SelectChoice]:
    """The committees to choose from, led by the empty « — Choisir — »."""
    return select_choices(
        ((str(c.id), f"{c.name_fr} ({c.acronym})" if c.acronym else c.name_fr) for c in committees),
        blank=_l("— Choisir —"),
    )


class _LineMeta:
    # Plain Form (no CSRF of its own inside the FieldList), but WTForms' messages in French.
    def get_translations(self, form):
        return translations


class NominationLineForm(Form):
    """One row of the nomination table; a row without a person is ignored."""

    class Meta(_LineMeta):
        pass

    person = SelectField(
        _l("Personne"),
        validate_choice=False,
        validators=[KnownChoice(_l("Choisissez une personne dans la liste."))],
    )
    role = SelectField(
        _l("Rôle"),
        default=MandateRole.MEMBER.value,
        validate_choice=False,
        validators=[KnownChoice(_l("Choisissez un rôle dans la liste."))],
    )
    voting = SelectField(
        _l("Voix délibérative"),
        validate_choice=False,
        validators=[KnownChoice(_l("Choisissez oui, non ou selon le rôle."))],
    )
    start_date = DateField(_l("Début"), validators=[Optional()])
    end_date = DateField(_l("Fin"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = select_choices(choices(MANDATE_ROLE_LABELS))
        self.voting.choices = select_choices(
            [("yes", _l("Oui")), ("no", _l("Non"))], blank=_l("Selon le rôle")
        )

    @property
    def is_blank(self) -> bool:
        return not self.person.data

    def validate_role(self, field) -> None:
        if not self.is_blank and not field.data:
            raise ValidationError(_l("Choisissez le rôle."))


class NominationForm(AppForm):
    """A nomination: the committee, then one row per person appointed."""

    committee = _committee_field(_l("Choisissez le comité."))
    lines = FieldList(FormField(NominationLineForm), min_entries=NOMINATION_ROWS)
    submit = SubmitField(_l("Enregistrer les nominations"))

    def __init__(self, *args, committees=(), persons: Iterable[Person] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.committee.choices = _committee_choices(committees)
        # The persons offered, by id: a valid row names one of them (``KnownChoice``).
        self._persons = {p.id: p for p in persons}
        person_choices = select_choices(
            (
                (str(p.id), f"{p.sort_name} ({p.affiliation})" if p.affiliation else p.sort_name)
                for p in self._persons.values()
            ),
            blank=_l("— Aucune —"),
        )
        for row in self.lines:
            row.form.person.choices = person_choices

    def filled_lines(self) -> list[tuple[int, NominationLineForm]]:
        """(row number from 1, row) of the rows that name a person."""
        return [(n, row.form) for n, row in enumerate(self.lines, start=1) if not row.form.is_blank]

    def mandate_lines(
        self, *, default_start: date, prefilled: date | None = None
    ) -> list[tuple[int, MandateLine]]:
        """The filled rows of a validated form as numbered mandate lines, each naming one of
        the persons offered; a row without a start date, or with the ``prefilled`` one left
        as it was, starts on ``default_start`` (never before the committee)."""
        return [
            (
                number,
                MandateLine(
                    person=self._persons[int(row.person.data)],
                    role=MandateRole(row.role.data),
                    start_date=default_start
                    if row.start_date.data in (None, prefilled)
                    else row.start_date.data,
                    end_date=row.end_date.data,
                    voting=_VOTING.get(row.voting.data),
                ),
            )
            for number, row in self.filled_lines()
        ]

    def validate_lines(self, field) -> None:
        if not self.filled_lines():
            raise ValidationError(_l("Choisissez au moins une personne à nommer."))


class ExtensionForm(AppForm):
    """A committee's new end date, and whether its running mandates follow."""

    committee = _committee_field(_l("Choisissez le comité."))
    new_end_date = DateField(
        _l("Nouvelle date de fin"),
        validators=[InputRequired(_l("Indiquez la nouvelle date de fin."))],
    )
    extend_mandates = BooleanField(
        _l("Prolonger aussi les mandats en cours jusqu'à cette date"), default=True
    )
    submit = SubmitField(_l("Enregistrer la prolongation"))

    def __init__(self, *args, committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.committee.choices = _committee_choices(committees)


class EndOfMandatesForm(AppForm):
    """The mandates a decision ends, on which day and why."""

    mandates = MultiCheckboxField(
        _l("Mandats à clore"),
        validate_choice=False,
        validators=[KnownChoice(_l("Un des mandats choisis n'est plus en cours."))],
    )
    end_date = DateField(
        _l("Date de fin"),
        validators=[InputRequired(_l("Indiquez la date de fin des mandats."))],
    )
    reason = StringField(
        _l("Motif"),
        validators=[
            DataRequired(_l("Indiquez le motif de fin des mandats.")),
            Length(max=300, message=_l("Le motif ne peut dépasser %(max)d caractères.")),
        ],
    )
    submit = SubmitField(_l("Clore les mandats"))

    def __init__(self, *args, mandate_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mandates.choices = select_choices(mandate_choices)

    def validate_mandates(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Cochez au moins un mandat."))
