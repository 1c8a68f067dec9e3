"""What issue 11 (every page usable, RGAA) changes in the HTML every visitor receives:
the language of French-only texts on English pages, each fact said once, the header."""

from __future__ import annotations

import re

from tests.support import search as make
from tests.support.helpers import login, post_form, text_of


def _main(response) -> str:
    html = response.get_data(as_text=True)
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_french_only_texts_are_marked_french_on_english_pages(client, db):
    owner = make.committee(name_en="Cannabis culture in France")
    session = make.meeting(owner, "Séance plénière", agenda=[("Auditions des associations", True)])
    db.session.commit()

    english = _main(client.get(f"/meetings/{session.id}?lang=en"))
    assert '<h1><span lang="fr">Séance plénière</span></h1>' in english
    assert '<span lang="fr">Auditions des associations</span>' in english
    # The committee has an English name: shown as it is, not marked French.
    assert ">Cannabis culture in France</a>" in english

    french = _main(client.get(f"/meetings/{session.id}?lang=fr"))
    assert 'lang="fr"' not in french
    assert "<h1>Séance plénière</h1>" in french


def test_a_committee_without_english_name_is_marked_french(client, db):
    make.committee()
    db.session.commit()
    html = client.get("/plan-du-site?lang=en").get_data(as_text=True)
    assert '<span lang="fr">Culture en France du cannabis à usage médical</span>' in html


def test_a_public_session_names_its_committee_once_and_numbers_its_items_once(client, db):
    owner = make.committee()
    session = make.meeting(owner, "Séance plénière", agenda=[("Auditions", True)])
    db.session.commit()
    page = text_of(client.get(f"/meetings/{session.id}"))
    main = page.split("En lien avec cette information")[0]  # related links come after
    assert main.count("Culture en France du cannabis à usage médical") == 1
    assert "Point 1 — Auditions" in main


def test_every_page_has_the_search_field_and_the_menu_button(client, db):
    html = client.get("/committees").get_data(as_text=True)
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert re.search(r'<form class="header-search" method="get" action="/search"', header)
    assert '<input type="search" id="header-search-q" name="q"' in header
    assert '<button type="button" class="menu-toggle" hidden aria-expanded="false"' in header
    assert '<script src="/static/js/menu.js" defer></script>' in html


def test_statement_says_non_conforme_until_an_audit_is_recorded(client):
    page = text_of(client.get("/accessibility"))
    assert "est non conforme avec le référentiel général" in page
    assert "n'a pas encore fait l'objet d'un audit" in page
    assert "Accessibilité : non conforme" in page  # the footer of every page
    for words in (
        "article 47 de la loi n° 2005-102",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Cette déclaration a été établie le 4 décembre 2026.",
        "accessibilite@ansm.example",
        "Défenseur des droits",
        "Libre réponse 71120",
    ):
        assert words in page, words
    html = client.get("/accessibility").get_data(as_text=True)
    assert '<a href="https://ansm.example/accessibilite/schema-pluriannuel">' in html
    assert '<a href="mailto:accessibilite@ansm.example">' in html


def test_statement_reports_a_recorded_audit(client, app, monkeypatch):
    monkeypatch.setitem(
        app.config,
        "ACCESSIBILITY_AUDIT",
        {
            "date": "2027-03-15",
            "rate": 87.5,
            "auditor": "Access Audit SAS",
            "environment": ["Firefox 128 et NVDA 2024.4"],
            "tools": ["Assistant RGAA"],
            "pages": [["Accueil", "/"], ["Les comités", "/committees"]],
        },
    )
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT", "a11y@example.org")
    page = text_of(client.get("/accessibility"))
    assert "est partiellement conforme avec le référentiel général" in page
    assert "réalisé le 15 mars 2027 par Access Audit SAS révèle que 87,5 % des critères" in page
    assert "Cette déclaration a été établie le 15 mars 2027." in page
    for words in ("Firefox 128 et NVDA 2024.4", "Assistant RGAA", "a11y@example.org"):
        assert words in page
    assert "Accessibilité : partiellement conforme" in text_of(client.get("/"))
    english = text_of(client.get("/accessibility?lang=en"))
    assert "is partially compliant with the French accessibility framework" in english
    assert "Accessibility: partially compliant" in english


def test_full_and_low_rates_give_their_legal_status(client, app, monkeypatch):
    # Settings change at a restart, which the kept pages' key sees; here they change
    # between two requests of one process, so no page is kept.
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_BYTES", 0)
    for rate, status in ((100, "totalement conforme"), (42, "non conforme")):
        monkeypatch.setitem(app.config, "ACCESSIBILITY_AUDIT", {"date": "2027-03-15", "rate": rate})
        assert f"Accessibilité : {status}" in text_of(client.get("/legal"))


def _title(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


def test_page_titles_say_the_page_number_of_a_list(client, db):
    assert _title(client.get("/decisions")) == "Décisions – ANSM"  # one page: no number
    owner = make.committee()
    for n in range(1, 22):
        make.decision(f"2022-{n:02d}", f"Décision {n}", concerns=owner)
    db.session.commit()
    assert _title(client.get("/decisions")) == "Décisions – page 1 sur 2 – ANSM"
    assert _title(client.get("/decisions?page=2")) == "Décisions – page 2 sur 2 – ANSM"
    assert _title(client.get("/decisions?page=2&lang=en")) == "Decisions – page 2 of 2 – ANSM"


def test_page_titles_of_forms_in_error_start_with_erreur(client, db):
    assert _title(client.get("/login")) == "Connexion – ANSM"
    failed = login(client, "nobody@example.org", "wrong password")
    assert _title(failed) == "Erreur : Connexion – ANSM"
    empty = post_form(client, "/register", {})
    assert _title(empty).startswith("Erreur : ")


def _description(response) -> str:
    html = response.get_data(as_text=True)
    return re.search(r'<meta name="description" content="([^"]*)">', html).group(1)


def test_public_pages_describe_themselves(client, db):
    owner = make.committee()
    session = make.meeting(owner, "Séance plénière", number=4)
    make.decision("2022-30", "Nomination des membres", concerns=owner)
    db.session.commit()
    assert "comités scientifiques" in _description(client.get("/"))
    assert _description(client.get("/committees/culture")).startswith(
        "Culture en France du cannabis à usage médical : mission, composition"
    )
    assert _description(client.get(f"/meetings/{session.id}")).startswith(
        "Séance n°4 du comité Culture en France du cannabis à usage médical, "
    )
    assert "Nomination des membres" in _description(client.get("/decisions/2022-30"))


def test_secretariat_pages_in_english_mark_french_titles(client, db, secretariat):
    owner = make.committee()
    session = make.meeting(owner, "Séance plénière", agenda=[("Auditions", True)])
    db.session.commit()
    html = _main(client.get(f"/secretariat/meetings/{session.id}?lang=en"))
    assert '<h1><span lang="fr">Séance plénière</span></h1>' in html
    agenda = _main(client.get(f"/secretariat/meetings/{session.id}/agenda?lang=en"))
    assert '<span lang="fr">Auditions</span>' in agenda
    assert '<span lang="fr">Culture en France du cannabis à usage médical</span>' in agenda
