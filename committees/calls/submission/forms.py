"""Forms of the contributor's side: submitting and editing a contribution."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from committees.calls.labels import CONTRIBUTOR_KIND_LABELS
from committees.calls.models import Call, ContributionAttachment
from committees.calls.rules import CallError, call_themes, clean_siren
from committees.calls.submission.services import ContributionData
from committees.common.forms import AppForm, MultiCheckboxField, offered_values, select_choices


def _offered_only(message):
    def check(_form, field) -> None:
        allowed = {str(value) for value in offered_values(field)}
        if any(str(value) not in allowed for value in field.data or []):
            raise ValidationError(message)

    return check


def new_idempotency_key() -> str:
    """A random one-time key for a submission form."""
    return secrets.token_urlsafe(24)


class ContributionForm(AppForm):
    """A written contribution; the rules about files and the deadline are the service's."""

    organisation = StringField(
        _l("Organisation"),
        validators=[
            DataRequired(_l("Indiquez le nom de l'organisation.")),
            Length(max=300, message=_l("Le nom ne peut dépasser %(max)d caractères.")),
        ],
    )
    organisation_kind = SelectField(
        _l("Type d'organisation"),
        validate_choice=False,
        validators=[DataRequired(_l("Choisissez le type d'organisation."))],
    )
    siren = StringField(
        _l("Numéro SIREN (facultatif)"),
        validators=[Optional(), Length(max=20, message=_l("Le numéro SIREN compte 9 chiffres."))],
    )
    contact_name = StringField(
        _l("Personne à contacter"),
        validators=[
            DataRequired(_l("Indiquez la personne à contacter.")),
            Length(max=200, message=_l("Le nom ne peut dépasser %(max)d caractères.")),
        ],
    )
    contact_function = StringField(
        _l("Fonction de la personne à contacter"),
        validators=[
            Length(max=200, message=_l("La fonction ne peut dépasser %(max)d caractères."))
        ],
    )
    themes = MultiCheckboxField(
        _l("Thèmes abordés"),
        validate_choice=False,
        validators=[_offered_only(_l("Choisissez les thèmes parmi ceux de l'appel."))],
    )
    text = TextAreaField(
        _l("Texte de la contribution"),
        validators=[
            DataRequired(_l("Rédigez le texte de la contribution.")),
            Length(max=100_000, message=_l("Le texte ne peut dépasser %(max)d caractères.")),
        ],
    )
    attachments = MultipleFileField(_l("Pièces jointes"))
    consent_publication = BooleanField(
        _l(
            "J'accepte que cette contribution soit publiée "
            "(sans les coordonnées de la personne à contacter)"
        )
    )
    wants_hearing = BooleanField(_l("Nous souhaitons être auditionnés"))
    idempotency_key = HiddenField(
        validators=[
            DataRequired(_l("Le formulaire est incomplet : rechargez la page puis recommencez.")),
            Regexp(
                r"^[A-Za-z0-9_-]{16,64}$",
                message=_l("Le formulaire est incomplet : rechargez la page puis recommencez."),
            ),
        ]
    )
    submit = SubmitField(_l("Déposer la contribution"))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_kind.choices = select_choices(
            CONTRIBUTOR_KIND_LABELS.items(), blank=_l("— Choisir —")
        )
        self.themes.choices = select_choices((theme, theme) for theme in call_themes(call))
        if not call.contributions_publishable:
            del self.consent_publication
        if not call.hearing_offer:
            del self.wants_hearing
        if not self.is_submitted() and not self.idempotency_key.data:
            self.idempotency_key.data = new_idempotency_key()

    def validate_organisation_kind(self, field) -> None:
        if field.data not in offered_values(field) - {""}:
            raise ValidationError(_l("Choisissez un type d'organisation dans la liste."))

    def validate_siren(self, field) -> None:
        try:
            field.data = clean_siren(field.data) or ""
        except CallError as error:
            raise ValidationError(str(error)) from None

    def contribution_data(self) -> ContributionData:
        """What was typed, for the service."""
        return ContributionData(
            organisation=self.organisation.data or "",
            organisation_kind=self.organisation_kind.data or "",
            siren=self.siren.data or None,
            contact_name=self.contact_name.data or "",
            contact_function=self.contact_function.data or "",
            themes=list(self.themes.data or []),
            text=self.text.data or "",
            consent_publication=bool(
                "consent_publication" in self and self.consent_publication.data
            ),
            wants_hearing=bool("wants_hearing" in self and self.wants_hearing.data),
        )


class EditContributionForm(ContributionForm):
    """A new version of a contribution: same fields, files to drop, the version edited."""

    remove_attachments = MultiCheckboxField(
        _l("Pièces jointes à retirer"),
        coerce=int,
        validate_choice=False,
        validators=[
            _offered_only(_l("Cette pièce jointe ne fait plus partie de la contribution."))
        ],
    )
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Enregistrer la nouvelle version"))

    def __init__(self, *args, call: Call, current_files: list[ContributionAttachment], **kwargs):
        super().__init__(*args, call=call, **kwargs)
        del self.idempotency_key
        self.remove_attachments.choices = select_choices((a.id, a.filename) for a in current_files)


class WithdrawForm(AppForm):
    """Confirm the withdrawal of a contribution."""

    submit = SubmitField(_l("Retirer la contribution"))


class RestoreForm(AppForm):
    """Undo the withdrawal of a contribution."""

    submit = SubmitField(_l("Annuler le retrait"))
