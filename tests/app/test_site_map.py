"""Plan du site (RGAA 12.1): a second way to every page, linked from every page's footer."""

from __future__ import annotations

from committees.auth.models import Role
from committees.common.timeutils import paris_today
from committees.demo import seed_all
from tests.support.helpers import text_of


def test_the_site_map_lists_the_public_sections_and_each_committee(client, db):
    seed_all(today=paris_today())
    response = client.get("/plan-du-site")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for href in ("/committees", "/meetings", "/decisions", "/calls", "/search", "/login"):
        assert f'href="{href}"' in html, href
    assert 'href="/committees/suivi-experimentation-cannabis-medical"' in html
    assert "Gestion des séances" not in text_of(response)
    # Linked from the footer of every page.
    assert 'href="/plan-du-site"' in client.get("/").get_data(as_text=True)
    assert 'href="/plan-du-site"' in client.get("/calls").get_data(as_text=True)


def test_the_site_map_shows_the_signed_in_person_their_areas(client, signed_in):
    signed_in(Role.SECRETARIAT)
    page = text_of(client.get("/plan-du-site"))
    assert "Gestion des séances" in page
    assert "Mes contributions" not in page


def test_the_site_map_in_english(client):
    page = text_of(client.get("/plan-du-site?lang=en"))
    assert "Site map" in page
    assert "Public pages" in page
