"""Forms of the agenda screens: items, documents, hearings.

Each form hands the services the fields they take (``item_fields``, ``hearing_fields``):
organisations typed one per line become a list, a slot typed in Paris time becomes UTC.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, DataRequired, Optional, ValidationError

from committees.common.forms import AppForm, max_length, select_choices
from committees.common.timeutils import to_paris
from committees.meetings.labels import (
    HEARING_MODE_LABELS,
    HEARING_STATUS_LABELS,
    ITEM_KIND_LABELS,
    ORGANISATION_KIND_LABELS,
    choices,
)
from committees.meetings.models import Hearing
from committees.meetings.rules import paris_to_utc

MARKDOWN_HINT = _l("Mise en forme Markdown : **gras**, listes « - », liens [texte](https://…).")


def parse_organisations(text: str | None) -> list[str]:
    """Organisation names typed one per line: trimmed, blank lines and repeats left out."""
    names: list[str] = []
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name[:300])
    return names


def _minutes(_form, field) -> None:
    # A value that is not a number already carries the field's conversion message.
    if field.data is not None and not 1 <= field.data <= 24 * 60:
        raise ValidationError(_l("La durée est un nombre de minutes entre 1 et 1440."))


class MoveForm(AppForm):
    """Move an item one place up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"], message=_l("Déplacement inconnu."))])


class ItemForm(AppForm):
    """An agenda item."""

    title = StringField(
        _l("Intitulé"),
        validators=[DataRequired(_l("Indiquez l'intitulé du point.")), max_length(300)],
    )
    kind = SelectField(_l("Nature du point"), choices=select_choices(choices(ITEM_KIND_LABELS)))
    rapporteur = StringField(_l("Rapporteur"), validators=[max_length(200)])
    duration_minutes = IntegerField(
        _l("Durée prévue (minutes)"),
        validators=[Optional(), _minutes],
    )
    closed = BooleanField(
        _l("Point à huis clos"),
        description=_l("Un point à huis clos n'apparaît pas dans l'ordre du jour public."),
    )
    description = TextAreaField(_l("Présentation"), description=MARKDOWN_HINT)
    organisations = TextAreaField(
        _l("Organismes concernés"),
        description=_l(
            "Un organisme par ligne ; les déclarations d'intérêts des membres sont comparées "
            "à ces noms."
        ),
    )
    submit = SubmitField(_l("Enregistrer le point"))

    @property
    def item_fields(self) -> dict:
        """What ``add_item`` and ``update_item`` take."""
        return {
            "title": self.title.data or "",
            "kind": self.kind.data,
            "rapporteur": self.rapporteur.data or "",
            "duration_minutes": self.duration_minutes.data,
            "is_public": not self.closed.data,
            "description": self.description.data or "",
            "organisations": parse_organisations(self.organisations.data),
        }


class DeleteItemForm(AppForm):
    """Confirmation of an item's removal (required once the agenda is published)."""

    confirm = BooleanField(_l("Je confirme la suppression de ce point de l'ordre du jour publié"))
    submit = SubmitField(_l("Supprimer le point"))


class DocumentForm(AppForm):
    """A working document of an item."""

    title = StringField(
        _l("Titre du document"),
        validators=[DataRequired(_l("Indiquez le titre du document.")), max_length(300)],
    )
    file = FileField(_l("Fichier"), validators=[FileRequired(_l("Choisissez un fichier."))])
    visibility = RadioField(
        _l("Diffusion"),
        choices=select_choices(
            [
                ("members", _l("Réservé aux membres")),
                ("public", _l("Public (une fois l'ordre du jour publié)")),
            ]
        ),
        default="members",
        validators=[DataRequired(_l("Choisissez la diffusion du document."))],
    )
    submit = SubmitField(_l("Ajouter le document"))


class HearingForm(AppForm):
    """A hearing of an organisation, with its slot in Paris time."""

    organisation = StringField(
        _l("Organisme auditionné"),
        validators=[DataRequired(_l("Indiquez l'organisme auditionné.")), max_length(300)],
    )
    organisation_kind = SelectField(
        _l("Type d'organisme"), choices=select_choices(choices(ORGANISATION_KIND_LABELS))
    )
    representatives = TextAreaField(
        _l("Représentants"), description=_l("Un par ligne : nom et fonction.")
    )
    slot_day = DateField(
        _l("Jour du créneau"),
        validators=[Optional()],
        description=_l("Laissez vide pour le jour de la séance."),
    )
    slot_start = TimeField(
        _l("Début du créneau (heure de Paris)"),
        validators=[Optional()],
        render_kw={"step": 60},
    )
    slot_end = TimeField(
        _l("Fin du créneau (heure de Paris)"),
        validators=[Optional()],
        render_kw={"step": 60},
    )
    mode = RadioField(
        _l("Modalité"),
        choices=select_choices(choices(HEARING_MODE_LABELS)),
        default="on_site",
        validators=[DataRequired(_l("Choisissez la modalité de l'audition."))],
    )
    status = SelectField(_l("Statut"), choices=select_choices(choices(HEARING_STATUS_LABELS)))
    summary = TextAreaField(_l("Synthèse écrite"), description=MARKDOWN_HINT)
    submit = SubmitField(_l("Enregistrer l'audition"))

    def hearing_fields(self, meeting_day: date) -> dict:
        """What ``add_hearing`` and ``update_hearing`` take; the slot is on the day typed,
        else on ``meeting_day``, in Paris time."""
        day = self.slot_day.data or meeting_day
        return {
            "organisation": self.organisation.data or "",
            "organisation_kind": self.organisation_kind.data,
            "representatives": self.representatives.data or "",
            "slot_start": paris_to_utc(day, self.slot_start.data) if self.slot_start.data else None,
            "slot_end": paris_to_utc(day, self.slot_end.data) if self.slot_end.data else None,
            "mode": self.mode.data,
            "status": self.status.data,
            "summary": self.summary.data or "",
        }

    def show_slot(self, hearing: Hearing) -> None:
        """The stored UTC slot shown back in Paris time."""
        if hearing.slot_start is not None:
            start = to_paris(hearing.slot_start)
            self.slot_day.data = start.date()
            self.slot_start.data = start.time().replace(tzinfo=None)
        else:
            self.slot_start.data = None
        self.slot_end.data = (
            to_paris(hearing.slot_end).time().replace(tzinfo=None) if hearing.slot_end else None
        )
