"""Which language a page is in: ``?lang=``, the visitor's choice, their browser's, French."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def supported() -> tuple[str, ...]:
    """The language codes the interface is offered in, French first."""
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """``?lang=``, then the person's saved choice, then Accept-Language, then French.

    Outside a request (CLI, mail sent by a worker, services called from tests) the
    default language applies; callers that know the recipient use ``force_locale``.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    langs = supported()
    asked = request.args.get("lang")
    if asked in langs:
        return asked
    chosen = session.get("locale")
    if chosen in langs:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    return request.accept_languages.best_match(langs) or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(lang: str) -> bool:
    """Keep ``lang`` for this browser and, when signed in, on the account.

    Returns False (and changes nothing) for a language the site does not offer.
    The caller commits.
    """
    if lang not in supported():
        return False
    session["locale"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
    return True


def without_lang_param(url: str) -> str:
    """``url`` minus its ``lang`` query parameter, which would override the switch."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))
