"""Languages of the interface (French first, English second) and the switch in the header.

Part of the application shell, below every domain: ``languages`` chooses a page's language
(the locale selector Flask-Babel calls), ``public_views`` holds the switch, and
``register(app)`` installs both.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from committees.i18n.languages import select_locale, supported

__all__ = ["register", "select_locale"]


def register(app: Flask) -> None:
    """Install the switch route and the ``current_locale``/``languages`` template values."""
    from committees.i18n import public_views

    app.register_blueprint(public_views.bp)
    app.context_processor(_locale_values)


def _locale_values() -> dict:
    return {"current_locale": str(get_locale()), "languages": supported()}
