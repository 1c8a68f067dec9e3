"""Languages of the interface (French first, English second) and the switch in the header.

Part of the application shell, below every domain: ``languages`` chooses a page's language
(the locale selector Flask-Babel calls), ``prefix`` reads it from the address (``/en/…``),
``public_views`` holds the signed-in person's switch, and ``register(app)`` installs them.
"""

from __future__ import annotations

from flask import Flask, Response, g
from flask_babel import get_locale

from committees.i18n.languages import select_locale, supported
from committees.i18n.prefix import LanguagePrefix, language_url

__all__ = ["LanguagePrefix", "register", "select_locale"]


def register(app: Flask) -> None:
    """Install the switch route, the ``current_locale``/``languages``/``language_url``
    template values and the ``Vary: Accept-Language`` of pages chosen by the browser."""
    from committees.i18n import catalog, public_views

    catalog.install(app)
    app.register_blueprint(public_views.bp)
    app.context_processor(_locale_values)
    app.after_request(_vary_on_browser_language)


def _locale_values() -> dict:
    return {
        "current_locale": str(get_locale()),
        "languages": supported(),
        "language_url": language_url,
    }


def _vary_on_browser_language(response: Response) -> Response:
    # An address without /en or /fr (nor ?lang=) is in the browser's language: a shared
    # cache must keep one copy per Accept-Language, or better, the prefixed addresses only.
    if g.get("language_from_browser"):
        response.vary.add("Accept-Language")
    return response
