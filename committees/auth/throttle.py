"""Sign-in throttling that an attacker cannot turn against the owner (OWASP ASVS 2.2).

Failed sign-ins are counted by Flask-Limiter (in Redis when configured, else in each
worker's memory), three ways:

- per client address, whatever the account (``LOGIN_LIMIT_PER_ADDRESS``): one machine
  trying many accounts;
- per account *and* address (``LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS``): one machine trying
  one account is stopped there, while the owner, from anywhere else, still signs in;
- per account, from every address (``LOGIN_LIMIT_PER_ACCOUNT``, much higher): a guess
  spread over many machines. Past it, the owner is sent a link (at most once per
  ``LOGIN_UNLOCK_MAX_AGE``) that lets their own browser past this last counter: the
  password is still needed, and the first two counters still apply.

Only wrong credentials count: a typo in the form or a success costs nothing.
"""

from __future__ import annotations

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user
from limits import RateLimitItemPerSecond

from committees.auth import services, tokens
from committees.extensions import client_address, config_limit, db, limiter

# Kept in the WSGI environ, which lives exactly as long as the request (``g`` lives as
# long as the app context, which a test or a CLI command may share across requests).
_FAILED = "committees.auth.credentials_failed"
# The session key of an unlock pass (a signed token received by e-mail).
_UNLOCK_KEY = "login_unlock"


def mark_attempt_failed() -> None:
    """Count this request against the sign-in limits: the credentials were wrong."""
    request.environ[_FAILED] = True


def _attempt_failed(_response) -> bool:
    return bool(request.environ.get(_FAILED))


def _submitted_email() -> str:
    return services.normalize_email(request.form.get("email", ""))


def _account() -> str:
    return "account:" + _submitted_email()


def _account_and_address() -> str:
    return f"account:{_submitted_email()}|address:{client_address()}"


def _signed_in_account_and_address() -> str:
    return f"user:{current_user.id}|address:{client_address()}"


# --- the unlock pass ------------------------------------------------------------------


def grant_unlock_pass(token: str) -> bool:
    """Let this browser past the per-account limit of the account ``token`` was sent for.

    Kept in the session until the next sign-in renews it. False when the link is not valid.
    """
    if tokens.load_unlock_token(token) is None:
        return False
    session[_UNLOCK_KEY] = token
    return True


def _holds_unlock_pass() -> bool:
    token = session.get(_UNLOCK_KEY)
    if not isinstance(token, str):
        return False
    user = tokens.load_unlock_token(token)
    return user is not None and user.email == _submitted_email()


def _offer_unlock(_breached) -> None:
    """The per-account limit was reached: send its owner an unlock link, once per window.

    Whether the account exists or not, the person is told the same thing.
    """
    once = RateLimitItemPerSecond(1, max(1, current_app.config["LOGIN_UNLOCK_MAX_AGE"]))
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "committees"
    email = _submitted_email()
    if not limiter.limiter.hit(once, prefix, "login-unlock-offer", email):
        return
    services.offer_unlock_link(email)
    db.session.commit()
    flash(
        _(
            "Ce compte reçoit trop de tentatives de connexion. S'il existe, un lien vient "
            "d'être envoyé à son adresse électronique pour vous connecter depuis ce navigateur."
        ),
        "info",
    )


# --- the limits -----------------------------------------------------------------------

login_per_address = limiter.limit(
    config_limit("LOGIN_LIMIT_PER_ADDRESS"),
    key_func=client_address,
    methods=["POST"],
    deduct_when=_attempt_failed,
)
login_per_account_and_address = limiter.limit(
    config_limit("LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"),
    key_func=_account_and_address,
    methods=["POST"],
    deduct_when=_attempt_failed,
)
login_per_account = limiter.limit(
    config_limit("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=_account,
    methods=["POST"],
    deduct_when=_attempt_failed,
    exempt_when=_holds_unlock_pass,
    on_breach=_offer_unlock,
)
#: guessing the current password on the password-change form, from one session's address
password_change_per_account_and_address = limiter.limit(
    config_limit("LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"),
    key_func=_signed_in_account_and_address,
    methods=["POST"],
    deduct_when=_attempt_failed,
)
