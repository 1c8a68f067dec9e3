"""A second application on the suite's database, with routes that fail on purpose and an
English catalogue of the error pages (fixtures ``probe_app`` and its client ``probe``)."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import abort
from werkzeug.exceptions import TooManyRequests

from committees import create_app
from committees.auth.permissions import Permission, require
from committees.extensions import babel, limiter
from committees.extensions import db as _db

#: the English the lead's catalogue will carry, for the headings the tests look for
ENGLISH = {
    "Erreur %(status)s": "Error %(status)s",
    "Le formulaire a expiré": "The form has expired",
    "Accès refusé": "Access denied",
    "Page introuvable": "Page not found",
    "Action impossible sur cette page": "This action is not possible on this page",
    "Fichier trop volumineux": "File too large",
    "L'envoi dépasse la taille maximale autorisée de %(limit)s Mo.": (
        "The upload exceeds the maximum allowed size of %(limit)s MB."
    ),
    "Trop de tentatives": "Too many attempts",
    "Vous pourrez réessayer dans %(delay)s.": "You can try again in %(delay)s.",
    "Erreur inattendue": "Unexpected error",
    "Revenir à l'accueil": "Back to the home page",
}


ONE_MB = 1024 * 1024


def write_english_catalogue(directory) -> None:
    catalog = Catalog(locale="en")
    for source, english in ENGLISH.items():
        catalog.add(source, english)
    target = directory / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)


def add_failing_routes(application) -> None:
    """Routes that fail on purpose: the session app refuses new routes once it has served."""

    @application.get("/boom")
    def boom():
        raise RuntimeError("deliberate failure")

    @application.get("/api/boom")
    def api_boom():
        raise RuntimeError("deliberate failure")

    @application.get("/slow-down")
    def slow_down():
        raise TooManyRequests(retry_after=120)

    @application.get("/limited")
    @limiter.limit("1 per minute")
    def limited():
        return "ok"

    @application.get("/gone")
    def gone():
        abort(410)

    @application.get("/staff-only")
    @require(Permission.MANAGE_USERS)
    def staff_only():
        return "ok"


@pytest.fixture(scope="module")
def probe_app(app, tmp_path_factory):
    """A second application on the same database, with failing routes and an English catalogue."""
    translations = tmp_path_factory.mktemp("translations")
    write_english_catalogue(translations)
    probe = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "BABEL_TRANSLATION_DIRECTORIES": str(translations),
            "MAX_CONTENT_LENGTH": ONE_MB,
        }
    )
    add_failing_routes(probe)
    # Flask-Babel caches catalogues per language for the whole process, not per app:
    # forget them so that neither application sees the other's English.
    with probe.app_context():
        babel.domain_instance.cache.clear()
    yield probe
    with probe.app_context():
        babel.domain_instance.cache.clear()
        _db.engine.dispose()


@pytest.fixture
def probe(probe_app):
    # Another application: Flask pushes a fresh app context for each of its requests.
    return probe_app.test_client()
