"""Language: French by default, English on request, a switch that remembers, strings extractable."""

from __future__ import annotations

import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from sqlalchemy import select

from committees.auth.models import Role, User
from tests.support.helpers import ROOT, csrf_token_from, open_session


def lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


def switch(client, lang: str, next_url: str, *, page: str = "/"):
    """Press a language button the way the header form sends it."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post("/language", data={"csrf_token": token, "lang": lang, "next": next_url})


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9", "fr"),
        (None, "fr"),
    ],
)
def test_accept_language_chooses_the_page_language(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    assert lang_of(client.get("/", headers=headers)) == expected


def test_lang_parameter_wins_over_the_browser(client):
    response = client.get("/legal?lang=en", headers={"Accept-Language": "fr"})
    assert lang_of(response) == "en"


def test_switch_buttons_say_which_language_is_on(client):
    html = client.get("/legal").get_data(as_text=True)
    form = re.search(r'<form class="lang-switch".*?</form>', html, flags=re.S).group(0)

    assert 'action="/language"' in form
    assert 'method="post"' in form
    assert 'name="next" value="/legal"' in form
    assert re.search(r'value="fr" lang="fr"\s+title="Français" aria-pressed="true">FR<', form)
    assert re.search(r'value="en" lang="en"\s+title="English" aria-pressed="false">EN<', form)


def test_switch_keeps_the_page_and_the_choice(client):
    response = switch(client, "en", "/privacy?section=droits", page="/privacy?section=droits")

    assert response.status_code == 303
    assert response.headers["Location"] == "/privacy?section=droits"
    later = client.get("/", headers={"Accept-Language": "fr"})
    assert lang_of(later) == "en"
    html = later.get_data(as_text=True)
    assert re.search(r'value="en" lang="en"\s+title="English" aria-pressed="true"', html)

    switch(client, "fr", "/")
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "fr"


def test_switch_drops_a_lang_parameter_that_would_undo_it(client):
    response = switch(client, "fr", "/legal?lang=en&x=1")

    assert response.headers["Location"] == "/legal?x=1"
    assert lang_of(client.get(response.headers["Location"])) == "fr"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:alert(1)"],
)
def test_switch_never_leaves_the_site(client, target):
    response = switch(client, "en", target)

    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert lang_of(client.get("/")) == "en"


def test_switch_ignores_a_language_the_site_does_not_offer(client):
    response = switch(client, "de", "/legal")

    assert response.headers["Location"] == "/legal"
    assert lang_of(client.get("/legal")) == "fr"


def test_switch_is_saved_on_the_account_and_follows_the_person(app, client, db, make_user):
    user = make_user(Role.MEMBER, email="claire@example.org")
    open_session(client, user)

    switch(client, "en", "/")

    saved = db.session.execute(select(User.locale).where(User.email == "claire@example.org"))
    assert saved.scalar_one() == "en"
    elsewhere = app.test_client()  # another browser, French headers
    open_session(elsewhere, user)
    assert lang_of(elsewhere.get("/", headers={"Accept-Language": "fr"})) == "en"


def test_switch_without_csrf_token_is_refused(client):
    response = client.post("/language", data={"lang": "en", "next": "/"})

    assert response.status_code == 400
    assert lang_of(client.get("/")) == "fr"


def test_babel_cfg_extracts_python_and_template_strings(tmp_path, monkeypatch):
    pot = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)

    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ]
    )

    with pot.open("rb") as handle:
        ids = {message.id for message in read_po(handle) if message.id}
    assert "Page introuvable" in ids  # a template
    assert "Aller au contenu" in ids  # the layout
    assert "Connectez-vous pour accéder à cette page." in ids  # lazy_gettext in Python
    assert "L'envoi dépasse la taille maximale autorisée de %(limit)s Mo." in ids
