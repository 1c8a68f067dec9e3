"""Forms of the minutes screens."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from committees.common.forms import AppForm, int_or_none, offered_values, select_choices
from committees.meetings.labels import ADOPTION_MODE_LABELS, choices
from committees.meetings.models import AdoptionMode


class RevisionForm(AppForm):
    """The revision the person started from and the version note; the sections' fields
    are added per minutes by ``revision_form``."""

    #: the revision the person started from: a stale one means someone saved meanwhile
    base_number = HiddenField(filters=[int_or_none])
    note = StringField(
        _l("Note de version"),
        validators=[Length(max=300, message=_l("%(max)d caractères au plus."))],
    )

    def validate_base_number(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Version de départ inconnue : rechargez la page."))

    def texts(self) -> dict[str, str]:
        """The sections' texts, by section key."""
        return {key: self[name].data or "" for key, name in self.text_fields.items()}

    def outcomes(self) -> dict[str, str]:
        """The publishable outcomes of the closed items, by section key."""
        return {key: self[name].data or "" for key, name in self.outcome_fields.items()}


def field_name(prefix: str, key: str) -> str:
    """The form field of a section key (``item-12`` → ``text_item_12``)."""
    return f"{prefix}_{key.replace('-', '_')}"


def revision_form(sections, base_number: int, **kwargs) -> RevisionForm:
    """The edit form of the minutes: one textarea per section of ``sections`` (whose texts
    it starts with), and for a closed item one for the outcome made public."""

    class SectionsForm(RevisionForm):
        text_fields: ClassVar[dict[str, str]] = {}
        outcome_fields: ClassVar[dict[str, str]] = {}

    data = {"base_number": base_number}
    for section in sections:
        name = field_name("text", section.key)
        setattr(SectionsForm, name, TextAreaField(section.label, validators=[_max_length]))
        SectionsForm.text_fields[section.key] = name
        data[name] = section.body
        if section.item is not None and not section.is_public:
            name = field_name("outcome", section.key)
            label = _l("Issue rendue publique (seul texte publié de ce point)")
            setattr(SectionsForm, name, TextAreaField(label, validators=[_max_length]))
            SectionsForm.outcome_fields[section.key] = name
            data[name] = section.public_outcome
    return SectionsForm(data=data, **kwargs)


_max_length = Length(max=200_000, message=_l("%(max)d caractères au plus."))


class AdoptForm(AppForm):
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


class CommentForm(AppForm):
    """A participant's comment on one section of the draft."""

    # The service gives the reason a section is refused (recusal, another session).
    section_id = SelectField(
        _l("Section du compte rendu"), coerce=int_or_none, validate_choice=False
    )
    body = TextAreaField(
        _l("Votre observation"),
        validators=[
            DataRequired(_l("Écrivez votre observation.")),
            Length(max=5000, message=_l("%(max)d caractères au plus.")),
        ],
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section_id.choices = select_choices([(s.row_id, s.label) for s in sections])


class ProcessCommentForm(AppForm):
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
