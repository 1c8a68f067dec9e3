"""Error pages: right status, clear words in the visitor's language, a way on; JSON for APIs."""

from __future__ import annotations

import re
from html import unescape

import pytest

from committees import create_app
from committees.auth.models import Role
from committees.extensions import db as _db
from tests.support.helpers import open_session, text_of
from tests.support.probe import ONE_MB


def heading(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), flags=re.S)
    assert match, "no h1"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def trigger(client, status: int, make_user):
    """Make the application answer ``status`` the way a visitor would."""
    if status == 400:
        return client.post("/language", data={"lang": "en", "next": "/"})
    if status == 403:
        open_session(client, make_user(Role.MEMBER))
        return client.get("/staff-only")
    if status == 404:
        return client.get("/no-such-page")
    if status == 405:
        return client.post("/")
    if status == 413:
        return client.post("/language", data={"lang": "en", "blob": "x" * (2 * ONE_MB)})
    if status == 429:
        return client.get("/slow-down")
    return client.get("/boom")


PAGES = {
    400: ("Le formulaire a expiré", "The form has expired"),
    403: ("Accès refusé", "Access denied"),
    404: ("Page introuvable", "Page not found"),
    405: ("Action impossible sur cette page", "This action is not possible on this page"),
    413: ("Fichier trop volumineux", "File too large"),
    429: ("Trop de tentatives", "Too many attempts"),
    500: ("Erreur inattendue", "Unexpected error"),
}


@pytest.mark.parametrize("status", sorted(PAGES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_error_page_in_the_visitor_language(probe, make_user, status, lang):
    probe.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang

    response = trigger(probe, status, make_user)

    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    french, english = PAGES[status]
    assert heading(response) == (french if lang == "fr" else english)
    text = text_of(response)
    assert (f"Erreur {status}" if lang == "fr" else f"Error {status}") in text
    assert 'href="/"' in html  # a way forward
    assert (f"{french} –" if lang == "fr" else f"{english} –") in html  # the <title>


def test_404_on_the_real_application(client):
    response = client.get("/comites/inexistant")

    assert response.status_code == 404
    assert heading(response) == "Page introuvable"
    assert "n'existe pas ou a été déplacée" in text_of(response)


def test_post_to_a_read_only_page_is_405_with_allow_header(client):
    response = client.post("/legal")

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert heading(response) == "Action impossible sur cette page"


def test_form_without_csrf_token_explains_the_form_expired(client):
    response = client.post("/language", data={"lang": "en", "next": "/"})

    assert response.status_code == 400
    text = text_of(response)
    assert "Le formulaire a expiré" in text
    assert "rechargez-la" in text
    assert "Rien n'a été enregistré" in text


def test_too_large_upload_shows_the_limit(app, client):
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2 * ONE_MB + ONE_MB // 2
    try:
        response = client.post("/language", data={"blob": "x" * (3 * ONE_MB)})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved

    assert response.status_code == 413
    assert "taille maximale autorisée de 2,5 Mo" in text_of(response)


def test_413_in_english_shows_the_limit_in_megabytes(probe):
    probe.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = probe.post("/language", data={"blob": "x" * (2 * ONE_MB)})

    assert "maximum allowed size of 1 MB" in text_of(response)


def test_429_says_when_to_try_again(probe):
    response = probe.get("/slow-down")

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "120"
    assert "Vous pourrez réessayer dans 2 minutes." in text_of(response)


def test_429_from_the_rate_limiter(probe):
    assert probe.get("/limited").status_code == 200

    response = probe.get("/limited")

    assert response.status_code == 429
    assert heading(response) == "Trop de tentatives"
    assert "Retry-After" in response.headers
    assert re.search(r"Vous pourrez réessayer dans \d+ (secondes?|minute)", text_of(response))


def test_403_for_a_signed_in_person_without_the_permission(probe, make_user):
    open_session(probe, make_user(Role.SECRETARIAT))

    response = probe.get("/staff-only")

    assert response.status_code == 403
    assert "Votre compte ne donne pas accès à cette page." in text_of(response)


def test_other_errors_get_a_generic_page(probe):
    response = probe.get("/gone")

    assert response.status_code == 410
    assert heading(response) == "La demande n'a pas abouti"
    assert "Erreur 410" in text_of(response)


def test_500_page_does_not_show_the_person_or_their_menu(probe, make_user):
    open_session(probe, make_user(Role.ADMIN, full_name="Claire Dupont"))

    response = probe.get("/boom")

    assert response.status_code == 500
    text = text_of(response)
    assert "Erreur inattendue" in text
    assert "Claire Dupont" not in text
    assert "/admin/users" not in response.get_data(as_text=True)


def test_error_page_survives_a_database_that_does_not_answer(tmp_path, make_user):
    broken = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}",
        }
    )
    client = broken.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"  # signed in: the page must load the person
        session["_fresh"] = True

    response = client.get("/")

    # An infrastructure failure, not a bug: 503, come back later (tests/app/test_faults.py).
    assert response.status_code == 503
    assert heading(response) == "Service momentanément indisponible"
    assert '<html lang="fr">' in response.get_data(as_text=True)
    with broken.app_context():
        _db.engine.dispose()


@pytest.mark.parametrize(
    ("method", "path", "status", "title"),
    [
        ("get", "/api/nothing", 404, "Not Found"),
        ("post", "/healthz", 405, "Method Not Allowed"),
    ],
)
def test_machine_clients_get_problem_details(client, method, path, status, title):
    response = getattr(client, method)(path)

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {"type": "about:blank", "title": title, "status": status}
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_unexpected_failure_on_the_api_is_json_too(probe):
    response = probe.get("/api/boom")

    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
    }
