"""Forms of sign-in, registration and password management (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from committees.auth.services import password_problem
from committees.common.forms import AppForm


def acceptable_password(_form, field) -> None:
    """WTForms validator delegating to the account rules (length bounds from the settings)."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _strip(value: str | None) -> str | None:
    # Addresses pasted from an e-mail often carry spaces around them.
    return value.strip() if isinstance(value, str) else value


def _email_required():
    return DataRequired(message=_l("Indiquez votre adresse électronique."))


def _email_valid():
    return Email(
        message=_l("Cette adresse électronique n'est pas valide (exemple : nom@domaine.fr)."),
        check_deliverability=False,
    )


def _email_length():
    return Length(max=254, message=_l("L'adresse électronique est trop longue."))


def _confirmation(field_name: str) -> PasswordField:
    return PasswordField(
        _l("Confirmation du mot de passe"),
        validators=[
            InputRequired(message=_l("Saisissez de nouveau le mot de passe.")),
            EqualTo(field_name, message=_l("Les deux mots de passe ne sont pas identiques.")),
        ],
    )


class LoginForm(AppForm):
    email = EmailField(_l("Adresse électronique"), validators=[_email_required()], filters=[_strip])
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(message=_l("Indiquez votre mot de passe."))],
    )
    remember = BooleanField(_l("Rester connecté sur cet appareil"))
    next = HiddenField()


class RegistrationForm(AppForm):
    full_name = StringField(
        _l("Nom et prénom"),
        validators=[
            DataRequired(message=_l("Indiquez votre nom et votre prénom.")),
            Length(max=200, message=_l("Le nom ne peut dépasser 200 caractères.")),
        ],
    )
    email = EmailField(
        _l("Adresse électronique"),
        validators=[_email_required(), _email_length(), _email_valid()],
        filters=[_strip],
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(message=_l("Choisissez un mot de passe.")), acceptable_password],
    )
    password_confirm = _confirmation("password")
    accept_privacy = BooleanField(
        _l("J'ai lu la notice relative à mes données personnelles et j'accepte leur traitement."),
        validators=[
            DataRequired(
                message=_l("Vous devez accepter la notice relative aux données personnelles.")
            )
        ],
    )


class EmailForm(AppForm):
    """A single address: forgotten password, new confirmation link."""

    email = EmailField(
        _l("Adresse électronique"),
        validators=[_email_required(), _email_length(), _email_valid()],
        filters=[_strip],
    )


class ResetPasswordForm(AppForm):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[InputRequired(message=_l("Choisissez un mot de passe.")), acceptable_password],
    )
    password_confirm = _confirmation("password")


class ChangePasswordForm(AppForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[InputRequired(message=_l("Indiquez votre mot de passe actuel."))],
    )
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[InputRequired(message=_l("Choisissez un mot de passe.")), acceptable_password],
    )
    password_confirm = _confirmation("password")
