"""The translations every ``_()`` reads, found once per request and language.

Flask-Babel looks the catalog up again for every string: the request's Babel context,
its domain, the locale's name, a dictionary. A list page translates a hundred labels
(its lazy ones included), so that lookup cost more than the translating. ``install``
gives Flask-Babel a domain that keeps the catalog in that same context beside the locale
it was found for, and the templates' ``_()`` callables that read it directly; a change
of locale within a request (``force_locale``: an e-mail in its recipient's language)
is a new locale object, hence its own catalog.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import Domain

from committees.extensions import babel


class CatalogDomain(Domain):
    """Flask-Babel's domain, its catalog kept for the request's current locale."""

    def get_translations(self) -> NullTranslations:
        context = g.get("_flask_babel")
        locale = getattr(context, "babel_locale", None)
        if locale is None:
            # The locale is not chosen yet in this request (or no request): Flask-Babel's way.
            return super().get_translations()
        kept = getattr(context, "committees_catalog", None)
        if kept is not None and kept[0] is locale:
            return kept[1]
        catalog = super().get_translations()
        context.committees_catalog = (locale, catalog)
        return catalog


def install(app: Flask) -> None:
    """Make ``CatalogDomain`` the application's domain, and give the templates' gettext
    functions its catalog."""
    domain = CatalogDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    # Flask-Babel reads its default domain from this cached property of the extension.
    babel.domain_instance = domain
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
