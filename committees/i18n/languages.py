"""Which language a page is in: the URL's, ``?lang=``, the account's, the browser's, French."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: the environ key holding the language the path named (see ``committees.i18n.prefix``)
URL_LANGUAGE = "committees.url_language"


def supported() -> tuple[str, ...]:
    """The language codes the interface is offered in, French first."""
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The path's ``/en`` or ``/fr``, then ``?lang=``, then (signed in only) the person's
    saved choice, then Accept-Language, then French.

    A visitor who has not signed in is never read from the session: the same address is
    the same page for everybody (see ``committees.i18n.prefix``). Outside a request (CLI,
    mail sent by a worker, services called from tests) the default language applies;
    callers that know the recipient use ``force_locale``.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    langs = supported()
    named = address_language(request.environ, langs)
    if named:
        return named
    if getattr(current_user, "is_authenticated", False):
        chosen = session.get("locale")
        if chosen in langs:
            return chosen
        if current_user.locale in langs:
            return current_user.locale
    # The page now depends on a request header: say so to caches (see ``register``).
    g.language_from_browser = True
    return browser_language(request.environ, langs, current_app.config["BABEL_DEFAULT_LOCALE"])


def address_language(environ: Mapping, langs: tuple[str, ...]) -> str | None:
    """The language the address names: its ``/en`` or ``/fr`` segment, else ``?lang=``
    (its first value, as ``request.args`` reads it); None when it names none."""
    in_url = environ.get(URL_LANGUAGE)
    if in_url in langs:
        return in_url
    query = environ.get("QUERY_STRING", "")
    asked = next((value for key, value in parse_qsl(query) if key == "lang"), None)
    return asked if asked in langs else None


def visitor_language(environ: Mapping, langs: tuple[str, ...], default: str) -> str:
    """The language of a page for someone who has not signed in: the address's, else the
    browser's (what ``select_locale`` answers for them, read from the WSGI environ alone)."""
    return address_language(environ, langs) or browser_language(environ, langs, default)


def browser_language(environ: Mapping, langs: tuple[str, ...], default: str) -> str:
    """The best of ``langs`` for the request's Accept-Language, else ``default``."""
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
    return accepted.best_match(langs) or default


def remember_language(lang: str) -> bool:
    """Keep ``lang`` on the account and in the session of a signed-in person.

    Returns False (and changes nothing) for a language the site does not offer. A visitor
    who has not signed in keeps the language in the address only: nothing is stored, no
    cookie is set. The caller commits.
    """
    if lang not in supported():
        return False
    if current_user.is_authenticated:
        session["locale"] = lang
        if current_user.locale != lang:
            current_user.locale = lang
    return True


def without_lang_param(url: str) -> str:
    """``url`` minus its ``lang`` query parameter, which would override the switch."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))
