"""Forms of the session screens: one session, a series, cancel, postpone, filters.

Times are typed in Europe/Paris (a date and two times); the views convert them to UTC
with ``rules.paris_to_utc``.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Optional, ValidationError

from committees.common.forms import (
    AppForm,
    MultiCheckboxField,
    int_or_none,
    max_length,
    offered_values,
    select_choices,
)
from committees.meetings.labels import (
    MEETING_FORMAT_LABELS,
    MEETING_STATUS_LABELS,
    MONTH_LABELS,
    NTH_LABELS,
    WEEKDAY_LABELS,
    choices,
)
from committees.meetings.queries import WHEN_PAST, WHEN_UPCOMING

#: a series spans at most this long, so that a typo in a year cannot create hundreds of sessions
MAX_SERIES_SPAN = timedelta(days=5 * 366)

VISIBILITY_CHOICES = select_choices(
    [
        ("public", _l("Publique")),
        ("closed", _l("À huis clos (fermée au public)")),
    ]
)


def _link():
    return [
        Optional(),
        URL(message=_l("Indiquez une adresse complète, commençant par https://.")),
        max_length(500),
    ]


def _web_address(_form, field) -> None:
    """Only an http(s) address becomes a link on the public page."""
    value = (field.data or "").strip().lower()
    if value and not value.startswith(("https://", "http://")):
        raise ValidationError(_l("Indiquez une adresse complète, commençant par https://."))


def _end_after_start(form, field) -> None:
    start = form.start_time.data
    if field.data and start and field.data <= start:
        raise ValidationError(_l("L'heure de fin doit suivre l'heure de début."))


class _CommitteeChoice:
    """A committee select filled by the view, refusing values it did not offer."""

    committee_id = SelectField(
        _l("Comité"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez le comité."))],
    )

    def set_committees(self, pairs) -> None:
        self.committee_id.choices = select_choices(pairs, blank=_l("— Choisir —"))

    def validate_committee_id(self, field) -> None:
        if field.data is None or field.data not in offered_values(field) - {""}:
            raise ValidationError(_l("Choisissez un comité de la liste."))


class _Practical:
    """Format, place, links and visibility, shared by one session and a series."""

    format = SelectField(
        _l("Format"), choices=select_choices(choices(MEETING_FORMAT_LABELS)), default="on_site"
    )
    place = StringField(
        _l("Lieu"),
        validators=[max_length(300)],
        description=_l("Salle et adresse, pour une séance sur place ou hybride."),
    )
    remote_link = URLField(
        _l("Lien de visioconférence"),
        validators=_link(),
        description=_l("Communiqué aux seuls membres, jamais publié."),
    )
    visibility = RadioField(
        _l("Séance"),
        choices=VISIBILITY_CHOICES,
        default="public",
        validators=[InputRequired(_l("Indiquez si la séance est publique."))],
    )

    @property
    def practical_fields(self) -> dict:
        return {
            "format": self.format.data,
            "place": (self.place.data or "").strip(),
            "remote_link": (self.remote_link.data or "").strip(),
            "is_public": self.visibility.data == "public",
        }


class MeetingForm(_CommitteeChoice, _Practical, AppForm):
    """One session: when (Paris time), where, how, for whom."""

    title = StringField(
        _l("Titre"),
        validators=[DataRequired(_l("Indiquez le titre de la séance.")), max_length(300)],
    )
    day = DateField(_l("Date"), validators=[InputRequired(_l("Indiquez la date de la séance."))])
    start_time = TimeField(
        _l("Heure de début (heure de Paris)"),
        validators=[InputRequired(_l("Indiquez l'heure de début."))],
    )
    end_time = TimeField(
        _l("Heure de fin (heure de Paris)"),
        validators=[InputRequired(_l("Indiquez l'heure de fin.")), _end_after_start],
    )
    recording_link = URLField(_l("Lien de l'enregistrement"), validators=_link())
    broadcast_link = URLField(
        _l("Lien de la diffusion en direct"),
        validators=[*_link(), _web_address],
        description=_l("Séance publique : affiché sur sa page publique pendant la séance."),
    )
    confirm = BooleanField(_l("Enregistrer malgré les avertissements"))
    submit = SubmitField(_l("Enregistrer la séance"))


class SeriesForm(_CommitteeChoice, _Practical, AppForm):
    """A series: « le 1er jeudi de chaque mois, 14:00-17:00, de juin 2021 à décembre 2022,
    sauf août »."""

    title_template = StringField(
        _l("Titre des séances"),
        default="Séance du {date}",
        validators=[DataRequired(_l("Indiquez le titre des séances.")), max_length(280)],
        description=_l("{date} est remplacé par la date de chaque séance."),
    )
    nth = SelectField(
        _l("Quel jour du mois"),
        choices=select_choices((str(k), v) for k, v in NTH_LABELS.items()),
        default="1",
    )
    weekday = SelectField(
        _l("Jour de la semaine"),
        choices=select_choices((str(k), v) for k, v in WEEKDAY_LABELS.items()),
        default="3",
    )
    start_time = TimeField(
        _l("Heure de début (heure de Paris)"),
        validators=[InputRequired(_l("Indiquez l'heure de début."))],
    )
    end_time = TimeField(
        _l("Heure de fin (heure de Paris)"),
        validators=[InputRequired(_l("Indiquez l'heure de fin.")), _end_after_start],
    )
    first_day = DateField(
        _l("À partir du"), validators=[InputRequired(_l("Indiquez le premier jour."))]
    )
    last_day = DateField(
        _l("Jusqu'au"), validators=[InputRequired(_l("Indiquez le dernier jour."))]
    )
    except_months = MultiCheckboxField(
        _l("Sauf en"),
        choices=select_choices((str(k), v) for k, v in MONTH_LABELS.items()),
        validators=[Optional()],
    )
    preview = SubmitField(_l("Prévoir les dates"))
    create = SubmitField(_l("Créer les séances"))

    def validate_last_day(self, field) -> None:
        first: date | None = self.first_day.data
        if field.data and first:
            if field.data < first:
                raise ValidationError(_l("Le dernier jour précède le premier."))
            if field.data - first > MAX_SERIES_SPAN:
                raise ValidationError(_l("Une série couvre au plus cinq ans."))

    @property
    def months_excluded(self) -> frozenset[int]:
        return frozenset(int(m) for m in self.except_months.data or [])


class CancelForm(AppForm):
    """Why the session is cancelled."""

    reason = TextAreaField(
        _l("Motif de l'annulation"),
        validators=[DataRequired(_l("Indiquez le motif de l'annulation.")), max_length(500)],
    )
    submit = SubmitField(_l("Annuler la séance"))


class PostponeForm(AppForm):
    """The new date and times (Paris) of a postponed session, and why."""

    day = DateField(
        _l("Nouvelle date"), validators=[InputRequired(_l("Indiquez la nouvelle date."))]
    )
    start_time = TimeField(
        _l("Heure de début (heure de Paris)"),
        validators=[InputRequired(_l("Indiquez l'heure de début."))],
    )
    end_time = TimeField(
        _l("Heure de fin (heure de Paris)"),
        validators=[InputRequired(_l("Indiquez l'heure de fin.")), _end_after_start],
    )
    reason = TextAreaField(
        _l("Motif du report"),
        validators=[DataRequired(_l("Indiquez le motif du report.")), max_length(500)],
    )
    submit = SubmitField(_l("Reporter la séance"))


class HeldForm(AppForm):
    """« Marquer comme tenue »: only the CSRF token."""

    submit = SubmitField(_l("Marquer comme tenue"))


class MeetingFilterForm(AppForm):
    """The filters of the session lists (query string, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    committee = SelectField(_l("Comité"), validate_choice=False)
    status = SelectField(
        _l("Statut"),
        choices=select_choices(choices(MEETING_STATUS_LABELS), blank=_l("Tous")),
        validate_choice=False,
    )
    when = SelectField(
        _l("Période"),
        choices=select_choices(
            [(WHEN_UPCOMING, _l("À venir")), (WHEN_PAST, _l("Passées"))], blank=_l("Toutes")
        ),
        validate_choice=False,
    )

    def set_committees(self, pairs) -> None:
        self.committee.choices = select_choices(
            ((str(k), v) for k, v in pairs), blank=_l("Tous les comités")
        )

    def committee_id(self) -> int | None:
        """The chosen committee, or None for an empty or unknown value."""
        value = int_or_none(self.committee.data)
        known = offered_values(self.committee) - {""}
        return value if value is not None and str(value) in known else None

    def status_value(self) -> str | None:
        value = self.status.data or ""
        return value if value in offered_values(self.status) - {""} else None

    def when_value(self, default: str = "") -> str:
        value = self.when.data
        return value if value in (WHEN_UPCOMING, WHEN_PAST, "") else default
