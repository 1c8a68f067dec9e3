"""The translations a template's ``_()`` reads, found once per request and language.

Flask-Babel's Jinja callables look the catalog up again for every string (the request's
Babel context, its domain, the locale's name, a dictionary): a page of a hundred strings
paid for a hundred lookups. ``install`` replaces them with callables that keep the
catalog in that same context beside the locale it was found for, so that
``force_locale`` (an e-mail built in its recipient's language) still gets its own.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import get_translations


def current_catalog() -> NullTranslations:
    """The catalog of the current locale (Flask-Babel's, looked up once per locale)."""
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        # The locale is not chosen yet in this request (or no request): Flask-Babel's way.
        return get_translations()
    kept = getattr(context, "committees_catalog", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    catalog = get_translations()
    context.committees_catalog = (locale, catalog)
    return catalog


def install(app: Flask) -> None:
    """Give the templates' gettext functions the catalog of ``current_catalog``."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: current_catalog().ugettext(s),
        ngettext=lambda s, p, n: current_catalog().ungettext(s, p, n),
        pgettext=lambda c, s: current_catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
