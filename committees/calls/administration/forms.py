"""Forms of the secretariat's call screens: a call's settings, review, list filters.

Opening and closing are typed in Europe/Paris and read back in UTC (``CallForm``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from committees.bodies.models import Committee
from committees.calls.administration.review import ContributionFilter
from committees.calls.administration.services import MAX_ATTACHMENTS
from committees.calls.labels import (
    AUDIENCE_LABELS,
    CONTRIBUTION_STATUS_LABELS,
    CONTRIBUTOR_KIND_LABELS,
    FILE_KIND_LABELS,
)
from committees.calls.models import Call
from committees.calls.rules import allowed_kinds
from committees.common.forms import (
    AppForm,
    MultiCheckboxField,
    int_or_none,
    max_length,
    offered_values,
    select_choices,
)
from committees.common.timeutils import to_paris
from committees.meetings.models import Meeting
from committees.meetings.rules import paris_to_utc

#: the form asks sizes in megabytes, the call keeps bytes
MEGABYTE = 1024 * 1024
#: the format of <input type="datetime-local">
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _utc(value: datetime) -> datetime:
    return paris_to_utc(value.date(), value.time())


class CallForm(AppForm):
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
        validators=[DataRequired(_l("Indiquez la référence de l'appel.")), max_length(40)],
    )
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Indiquez le titre de l'appel.")), max_length(300)]
    )
    body = TextAreaField(_l("Texte de l'appel"), validators=[max_length(50_000)])
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
    themes = TextAreaField(_l("Thèmes"), validators=[max_length(10_000)])
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
    hearing_offer = StringField(_l("Offre d'audition"), validators=[max_length(500)])
    submit = SubmitField(_l("Enregistrer l'appel"))

    def set_choices(self, committees, sessions) -> None:
        """Committees as (id, name); sessions as ``SelectChoice`` grouped by committee."""
        self.committee_id.choices = select_choices(committees, blank=_l("— Choisir —"))
        self.meeting_id.choices = [SelectChoice("", _l("— Aucune —")), *sessions]

    def show_call(self, call: Call) -> None:
        """Fill the fields ``obj=call`` cannot: Paris times, megabytes, file kinds."""
        self.opens_at.data = to_paris(call.opens_at).replace(tzinfo=None)
        self.closes_at.data = to_paris(call.closes_at).replace(tzinfo=None)
        self.max_attachment_mb.data = Decimal(call.max_attachment_bytes) / MEGABYTE
        self.allowed_types.data = allowed_kinds(call)

    def call_fields(self, committee: Committee | None, meeting: Meeting | None) -> dict[str, Any]:
        """What was typed, as the fields of ``create_call`` and ``update_call``."""
        return {
            "committee": committee,
            "meeting": meeting,
            "reference": self.reference.data,
            "title": self.title.data,
            "body": self.body.data or "",
            "audience": self.audience.data,
            "opens_at": _utc(self.opens_at.data),
            "closes_at": _utc(self.closes_at.data),
            "themes": self.themes.data or "",
            "max_attachments": self.max_attachments.data,
            "max_attachment_bytes": int(self.max_attachment_mb.data * MEGABYTE),
            "allowed_types": self.allowed_types.data or [],
            "contributions_publishable": self.contributions_publishable.data,
            "hearing_offer": self.hearing_offer.data or "",
        }

    def template_upload(self, limit: int) -> tuple[bytes, str] | None:
        """The uploaded template (read up to just past ``limit``) and its name, if any."""
        upload = self.template.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        return upload.stream.read(limit + 1), upload.filename

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


class ReviewForm(AppForm):
    """Eligible or off-topic; off-topic needs a reason."""

    decision = RadioField(
        _l("Appréciation"),
        choices=REVIEW_CHOICES,
        validators=[InputRequired(_l("Choisissez « Recevable » ou « Hors sujet »."))],
    )
    reason = TextAreaField(_l("Motif"), validators=[max_length(500)])
    submit = SubmitField(_l("Enregistrer l'appréciation"))

    def validate_reason(self, field) -> None:
        if self.decision.data == "off_topic" and not (field.data or "").strip():
            raise ValidationError(_l("Indiquez pourquoi la contribution est hors sujet."))


class ContributionFilterForm(AppForm):
    """Filters of the list of contributions, read from the query string (a GET)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Organisme contient"), validators=[max_length(200)])
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

    def criteria(self) -> ContributionFilter:
        """The filters asked, as the service reads them (unknown values are ignored there)."""
        return ContributionFilter(
            status=self.status.data or None,
            kind=self.kind.data or None,
            wants_hearing={"yes": True, "no": False}.get(self.hearing.data or ""),
            theme=self.theme.data or None,
            q=(self.q.data or "").strip()[:200],
        )
