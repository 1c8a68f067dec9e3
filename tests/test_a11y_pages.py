"""What issue 11 (every page usable, RGAA) changes in the HTML every visitor receives:
the language of French-only texts on English pages, each fact said once, the header."""

from __future__ import annotations

import re

from tests import search_factories as make
from tests.helpers import text_of


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
