"""Account rules: creation, passwords, authentication, sign-in, registration and reset.

Views, CLI and tests call these. Nothing here commits: the caller commits the change
together with the e-mails it queues, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from committees.auth import tokens
from committees.auth.models import Role, User, new_session_token
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.mail.services import queue_email

# Hashed once so that an unknown address costs as much time as a wrong password.
_dummy_hashes: dict[str, str] = {}


def _hash_method() -> str:
    # scrypt by default; the test profile lowers the cost, never the algorithm family's use.
    return current_app.config["PASSWORD_HASH_METHOD"]


def _dummy_hash() -> str:
    method = _hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("not-a-real-password", method=method)
    return _dummy_hashes[method]


#: the upper bound keeps hashing cheap and matches what password managers produce
PASSWORD_MAX_LENGTH = 128


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the person."""


class InvalidCredentialsError(AccountError):
    """Unknown address, wrong password or disabled account: deliberately indistinguishable."""


class WrongPasswordError(AccountError):
    """The current password given to confirm a change is not the account's password."""


class EmailNotConfirmedError(AccountError):
    """The password is right but the account's address has not been confirmed yet."""

    def __init__(self, message: str, user: User) -> None:
        super().__init__(message)
        self.user = user


def normalize_email(email: str) -> str:
    """The stored form of an address: trimmed and lower-cased."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this address, whatever its case, or None."""
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used (a message for the person), or None when it can."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Le mot de passe doit contenir au moins %(n)d caractères.", n=minimum)
    if len(password) > PASSWORD_MAX_LENGTH:
        return _("Le mot de passe doit contenir au plus %(n)d caractères.", n=PASSWORD_MAX_LENGTH)
    return None


def hash_password(password: str) -> str:
    """The stored form of ``password`` (werkzeug scrypt): the one place passwords are hashed."""
    return generate_password_hash(password, method=_hash_method())


def end_sessions(user: User) -> None:
    """Close every session and « se souvenir de moi » cookie of ``user``, on every device.

    Both carry the account's session token (``User.get_id``), which the loader looks up on
    each request: a new token makes every copy of the old cookies worthless.
    """
    user.session_token = new_session_token()


def set_password(user: User, password: str) -> None:
    """Store a new password hash and sign out every session of the account."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def create_user(
    email: str,
    full_name: str,
    password: str,
    role: Role,
    *,
    confirmed: bool = True,
) -> User:
    """Add an account to the session (not committed); refuses a taken address."""
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account already exists for {normalize_email(email)}.")
    user = User(
        email=normalize_email(email),
        full_name=full_name.strip(),
        role=Role(role).value,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def check_password(user: User | None, password: str) -> bool:
    """Compare a password in constant time, even when there is no such user."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


def authenticate(email: str, password: str) -> User | None:
    """The enabled account matching these credentials, or None (the same for every failure)."""
    user = find_user_by_email(email)
    if not check_password(user, password) or user is None or not user.is_enabled:
        return None
    return user


def needs_email_confirmation(user: User) -> bool:
    """Whether ``user`` must confirm their address before signing in.

    Only self-registered stakeholders must: staff accounts are vouched for by whoever
    created them.
    """
    return user.role == Role.CONTRIBUTOR.value and user.email_confirmed_at is None


def sign_in(email: str, password: str) -> User:
    """Check credentials and record the sign-in; the caller logs the user in and commits.

    Raises InvalidCredentialsError (one message for every failure, so that nobody learns
    which addresses have accounts) or EmailNotConfirmedError (only once the password is right).
    """
    user = authenticate(email, password)
    if user is None:
        raise InvalidCredentialsError(_("Adresse électronique ou mot de passe incorrect."))
    if needs_email_confirmation(user):
        raise EmailNotConfirmedError(
            _(
                "Votre adresse électronique n'est pas encore confirmée : ouvrez le lien "
                "que nous vous avons envoyé par courriel, ou demandez-en un nouveau."
            ),
            user,
        )
    user.last_login_at = utcnow()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the password of a signed-in person, who must prove they know the current one.

    Every other session of the account is signed out (the session token rotates).
    """
    if not check_password(user, current_password):
        raise WrongPasswordError(_("Le mot de passe actuel est incorrect."))
    problem = password_problem(new_password)
    if problem:
        raise AccountError(problem)
    set_password(user, new_password)


# --- password reset -------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Queue a reset link when ``email`` belongs to an enabled account; otherwise send nothing.

    The caller answers the same way in both cases, so the form reveals no account; and both
    cases do the same work (sign a token, render the message, write it to the outbox), so
    that the time taken reveals none either: for an unknown address the message, written
    for a stand-in account, is rolled back.
    """
    user = find_user_by_email(email)
    _same_work(_queue_reset, user if user is not None and user.is_enabled else None, email)


def _same_work(queue: Callable[[User], object], user: User | None, email: str) -> None:
    """Queue ``user``'s message; with no such account, do the same work (sign a token,
    render the message, write it to the outbox, in a savepoint either way) for a stand-in
    at ``email`` and keep none of it: an address without an account takes as long."""
    kept = user is not None
    if user is None:
        user = User(id=0, email=normalize_email(email), full_name="", password_hash=_dummy_hash())
    with db.session.begin_nested() as step:
        queue(user)
        db.session.flush()
        if not kept:
            step.rollback()


def _queue_reset(user: User) -> None:
    queue_email(
        user.email,
        _l("Réinitialisation de votre mot de passe"),
        "auth/password_reset",
        locale=user.locale,
        kind="password_reset",
        user=user,
        secrets={"token": tokens.make_reset_token(user)},
        validity=timedelta(seconds=current_app.config["PASSWORD_RESET_MAX_AGE"]),
    )


def user_for_reset_token(token: str) -> User | None:
    """The enabled account a reset link was issued for, or None if the link is not valid."""
    user = tokens.load_reset_token(token)
    if user is None or not user.is_enabled:
        return None
    return user


def reset_password(user: User, new_password: str) -> None:
    """Set a new password from a reset link; the link dies with the old password.

    Following the link proves the person reads the address, so it also confirms it.
    """
    problem = password_problem(new_password)
    if problem:
        raise AccountError(problem)
    set_password(user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


# --- self-registration ----------------------------------------------------------------


def register_contributor(
    full_name: str, email: str, password: str, *, locale: str | None = None
) -> User | None:
    """Create an unconfirmed stakeholder account and queue its confirmation e-mail.

    When the address already has an account, nothing is created: the owner of the
    address is told by e-mail that someone tried to register and how to reset their
    password. Returns the new account, or None in that case; the caller shows the same
    page either way so that the form reveals no account. Both cases hash the password
    once and queue one message, so that the time taken reveals no account either.
    """
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    existing = find_user_by_email(email)
    if existing is not None:
        hash_password(password)  # the work a new account costs, thrown away
        queue_email(
            existing.email,
            _l("Tentative d'inscription avec votre adresse"),
            "auth/already_registered",
            locale=existing.locale,
            kind="already_registered",
            user=existing,
        )
        return None
    user = create_user(email, full_name, password, Role.CONTRIBUTOR, confirmed=False)
    _queue_confirmation(user, locale=locale)
    return user


def resend_confirmation(email: str, *, locale: str | None = None) -> None:
    """Queue a new confirmation link when ``email`` has an enabled, unconfirmed account;
    otherwise do the same work and keep none of it (see ``_same_work``)."""
    user = find_user_by_email(email)
    if user is None or not user.is_enabled or user.email_confirmed_at is not None:
        user = None
    _same_work(lambda account: _queue_confirmation(account, locale=locale), user, email)


def confirm_email(token: str) -> User | None:
    """Mark the address of a confirmation link as confirmed; None if the link is not valid.

    Following a link a second time is harmless: the address stays confirmed.
    """
    user = tokens.load_confirm_token(token)
    if user is None or not user.is_enabled:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def _queue_confirmation(user: User, *, locale: str | None) -> None:
    queue_email(
        user.email,
        _l("Confirmez votre adresse électronique"),
        "auth/confirm_email",
        locale=user.locale or locale,
        kind="confirm_email",
        user=user,
        secrets={"token": tokens.make_confirm_token(user)},
        validity=timedelta(seconds=current_app.config["EMAIL_CONFIRM_MAX_AGE"]),
    )


# --- sign-in unlock -------------------------------------------------------------------


def offer_unlock_link(email: str) -> None:
    """Queue, for the owner of an enabled account under attack, a link that lets their own
    browser past the per-account sign-in throttle (see throttle.py); otherwise do the same
    work and keep none of it (see ``_same_work``)."""
    user = find_user_by_email(email)
    _same_work(_queue_unlock, user if user is not None and user.is_enabled else None, email)


def _queue_unlock(user: User) -> None:
    queue_email(
        user.email,
        _l("Tentatives de connexion à votre compte"),
        "auth/login_unlock",
        locale=user.locale,
        kind="login_unlock",
        user=user,
        secrets={"token": tokens.make_unlock_token(user)},
        validity=timedelta(seconds=current_app.config["LOGIN_UNLOCK_MAX_AGE"]),
    )
