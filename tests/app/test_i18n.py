"""Language: French by default, English on request or under /en, a switch (links for visitors,
a form that remembers for signed-in people), strings extractable."""

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


def test_the_address_chooses_the_language_before_anything_else(client):
    assert lang_of(client.get("/en/legal", headers={"Accept-Language": "fr"})) == "en"
    assert lang_of(client.get("/fr/legal?lang=en", headers={"Accept-Language": "en"})) == "fr"
    assert lang_of(client.get("/en", headers={"Accept-Language": "fr"})) == "en"
    assert lang_of(client.get("/en/")) == "en"
    # Only a whole first segment is a language.
    assert client.get("/enquiry").status_code == 404


def test_links_of_a_page_keep_its_language_but_static_files_do_not(client):
    html = client.get("/en/legal").get_data(as_text=True)

    assert 'class="brand" href="/en/"' in html
    assert 'href="/en/committees"' in html  # the main menu
    assert 'href="/en/privacy"' in html  # the footer (url_for)
    assert 'action="/en/search"' in html
    assert 'href="/static/css/app.css"' in html
    assert '<link rel="alternate" hreflang="fr" href="/fr/legal">' in html
    assert '<link rel="alternate" hreflang="en" href="/en/legal">' in html


def test_a_page_without_language_in_its_address_varies_on_the_browser_language(client):
    assert "Accept-Language" in client.get("/legal").headers.get("Vary", "")
    assert "Accept-Language" not in client.get("/en/legal").headers.get("Vary", "")


def test_switch_links_say_which_language_is_on(client):
    html = client.get("/legal?lang=en&x=1").get_data(as_text=True)
    switch_html = re.search(r'<div class="lang-switch">.*?</div>\s*</div>', html, flags=re.S).group(
        0
    )

    assert "<form" not in switch_html
    assert "csrf_token" not in html
    assert (
        '<a class="lang-switch__button" href="/fr/legal?x=1" lang="fr" hreflang="fr"\n'
        '             title="Français">FR</a>'
    ) in switch_html
    assert (
        '<a class="lang-switch__button" href="/en/legal?x=1" lang="en" hreflang="en"\n'
        '             title="English" aria-current="true">EN</a>'
    ) in switch_html
    assert 'aria-label="Site language"' in switch_html


def test_switch_links_lead_to_the_page_in_the_other_language_with_no_cookie(client):
    french = client.get("/committees")
    english = client.get(
        re.search(r'href="(/en[^"]*)" lang="en"', french.get_data(as_text=True))[1]
    )

    assert lang_of(english) == "en"
    assert "Committees" in english.get_data(as_text=True)
    assert "Set-Cookie" not in french.headers
    assert "Set-Cookie" not in english.headers
    assert lang_of(client.get("/committees", headers={"Accept-Language": "fr"})) == "fr"


@pytest.fixture
def signed_in(client, make_user):
    open_session(client, make_user(Role.MEMBER, email="claire@example.org"))
    return client


def test_signed_in_switch_buttons_say_which_language_is_on(signed_in):
    html = signed_in.get("/legal").get_data(as_text=True)
    form = re.search(r'<form class="lang-switch".*?</form>', html, flags=re.S).group(0)

    assert 'action="/language"' in form
    assert 'method="post"' in form
    assert 'name="next" value="/legal"' in form
    assert re.search(r'value="fr" lang="fr"\s+title="Français" aria-pressed="true">FR<', form)
    assert re.search(r'value="en" lang="en"\s+title="English" aria-pressed="false">EN<', form)


def test_switch_keeps_the_page_and_the_choice(signed_in):
    response = switch(signed_in, "en", "/privacy?section=droits", page="/privacy?section=droits")

    assert response.status_code == 303
    assert response.headers["Location"] == "/en/privacy?section=droits"
    later = signed_in.get("/", headers={"Accept-Language": "fr"})
    assert lang_of(later) == "en"
    html = later.get_data(as_text=True)
    assert re.search(r'value="en" lang="en"\s+title="English" aria-pressed="true"', html)

    assert switch(signed_in, "fr", "/").headers["Location"] == "/fr/"
    assert lang_of(signed_in.get("/", headers={"Accept-Language": "en"})) == "fr"


def test_switch_from_an_english_address_goes_to_the_french_one(signed_in):
    token = csrf_token_from(signed_in.get("/en/legal").get_data(as_text=True))
    response = signed_in.post(
        "/en/language", data={"csrf_token": token, "lang": "fr", "next": "/legal"}
    )

    assert response.headers["Location"] == "/fr/legal"


def test_switch_drops_a_lang_parameter_that_would_undo_it(signed_in):
    response = switch(signed_in, "fr", "/legal?lang=en&x=1")

    assert response.headers["Location"] == "/fr/legal?x=1"
    assert lang_of(signed_in.get(response.headers["Location"])) == "fr"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:alert(1)"],
)
def test_switch_never_leaves_the_site(signed_in, target):
    response = switch(signed_in, "en", target)

    assert response.status_code == 303
    assert response.headers["Location"] == "/en/"
    assert lang_of(signed_in.get("/")) == "en"


def test_switch_ignores_a_language_the_site_does_not_offer(signed_in):
    response = switch(signed_in, "de", "/legal")

    assert response.headers["Location"] == "/legal"
    assert lang_of(signed_in.get("/legal")) == "fr"


def test_switch_is_saved_on_the_account_and_follows_the_person(app, client, db, make_user):
    user = make_user(Role.MEMBER, email="claire@example.org")
    open_session(client, user)

    switch(client, "en", "/")

    saved = db.session.execute(select(User.locale).where(User.email == "claire@example.org"))
    assert saved.scalar_one() == "en"
    elsewhere = app.test_client()  # another browser, French headers
    open_session(elsewhere, user)
    assert lang_of(elsewhere.get("/", headers={"Accept-Language": "fr"})) == "en"


def test_a_saved_choice_in_an_old_cookie_no_longer_moves_a_visitor(client):
    with client.session_transaction() as session:
        session["locale"] = "en"

    assert lang_of(client.get("/legal", headers={"Accept-Language": "fr"})) == "fr"


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
