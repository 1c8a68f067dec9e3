"""Forms of account administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SearchField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from committees.admin.roles import role_choices
from committees.admin.services import STATUS_LABELS, AccountStatus
from committees.common.forms import AppForm, select_choices


def _strip(value: str | None) -> str | None:
    """Pasted addresses and names often carry stray spaces; they are not part of the value."""
    return value.strip() if isinstance(value, str) else value


def _status_pairs() -> list[tuple[str, str]]:
    return [(status.value, str(STATUS_LABELS[status])) for status in AccountStatus]


def _full_name_field() -> StringField:
    return StringField(
        _l("Nom complet"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Indiquez le nom de la personne.")),
            Length(max=200, message=_l("Le nom ne peut dépasser %(max)d caractères.")),
        ],
    )


def _role_field() -> SelectField:
    # Choices are set per instance: their labels follow the page's language.
    return SelectField(_l("Rôle"), validators=[DataRequired(_l("Choisissez un rôle."))])


class UserFilterForm(AppForm):
    """The list's filters, read from the query string.

    A GET form changes nothing, so it carries no CSRF token: its URL can be shared.
    """

    class Meta:
        csrf = False

    q = SearchField(_l("Nom ou adresse contient"), validators=[Length(max=200)])
    role = SelectField(_l("Rôle"), validate_choice=False)
    status = SelectField(_l("Statut"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = select_choices(role_choices(), blank=_l("Tous les rôles"))
        self.status.choices = select_choices(_status_pairs(), blank=_l("Tous les statuts"))


class UserCreateForm(AppForm):
    """Invite a person: the account is created and they choose their own password."""

    email = EmailField(
        _l("Adresse électronique"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Indiquez l'adresse électronique.")),
            Length(max=254, message=_l("L'adresse ne peut dépasser %(max)d caractères.")),
            Email(_l("Cette adresse électronique n'est pas valide.")),
        ],
    )
    full_name = _full_name_field()
    role = _role_field()
    submit = SubmitField(_l("Créer le compte et envoyer l'invitation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = select_choices(role_choices())


class UserEditForm(AppForm):
    """Change an account's name, role and whether it may sign in."""

    full_name = _full_name_field()
    role = _role_field()
    is_enabled = BooleanField(_l("Compte actif (la personne peut se connecter)"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = select_choices(role_choices())


class ResendInvitationForm(AppForm):
    """A button: send a fresh invitation link to an account not confirmed yet."""

    submit = SubmitField(_l("Renvoyer l'invitation"))
