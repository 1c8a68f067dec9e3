"""Search counts matches up to a cap (SEARCH_COUNT_CAP): exact below it, « plus de N »
beyond, pages stopping at it; the best results come first whatever the cap. Runs on both
engines."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from committees.common.timeutils import utcnow
from committees.search.services import search
from tests.support import search as make
from tests.support.helpers import text_of


@pytest.fixture
def monthly(db):
    """A committee with 23 monthly sessions and the minutes of two of them."""
    culture = make.committee(mission_fr="Spécifications techniques de la culture en France.")
    start = utcnow() + timedelta(days=30)
    sessions = [
        make.meeting(culture, f"Séance mensuelle {n}", number=n, starts_at=start + timedelta(n))
        for n in range(1, 24)
    ]
    for session in sessions[:2]:
        make.minutes(session, "Compte rendu de la séance mensuelle. Avis favorable.")
    db.session.commit()
    return culture


@pytest.fixture
def cap(app, monkeypatch):
    def set_cap(value: int) -> None:
        monkeypatch.setitem(app.config, "SEARCH_COUNT_CAP", value)

    return set_cap


def _kind_filter(response) -> list[str]:
    """The links of the « Résultats par type » navigation, as read."""
    html = response.get_data(as_text=True)
    nav = html.split('aria-label="Résultats par type">', 1)[1].split("</nav>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", link).split()) for link in nav.split("</li>")[:-1]]


def test_below_the_cap_every_count_is_exact(client, monthly, cap):
    cap(25)
    response = client.get("/search?q=mensuelle")
    page = text_of(response)
    assert "25 résultats pour « mensuelle »" in page  # 23 sessions, 2 minutes
    assert _kind_filter(response) == ["Tous (25)", "Séance (23)", "Compte rendu (2)"]
    assert "1 à 10 sur 25" in page
    assert "plus de" not in page.lower()


def test_exactly_the_cap_is_still_exact(client, monthly, cap):
    cap(25)
    results = search("mensuelle", "fr")
    assert (results.total, results.more_than_cap, results.pages) == (25, False, 3)
    assert results.counts == {"meeting": 23, "minutes": 2}


def test_beyond_the_cap_the_page_says_more_than(client, monthly, cap):
    cap(15)
    response = client.get("/search?q=mensuelle")
    page = text_of(response)
    assert "Plus de 15 résultats pour « mensuelle »" in page
    assert "25 résultats" not in page
    # Not all counted: every kind is offered, its number unknown until it is chosen.
    links = _kind_filter(response)
    assert links[0] == "Tous (plus de 15)"
    assert {"Séance", "Compte rendu", "Décision"} <= set(links[1:])
    assert "1 à 10 sur plus de 15" in page


def test_pages_stop_at_the_cap(client, monthly, cap):
    cap(15)
    first, last = search("mensuelle", "fr", page=1), search("mensuelle", "fr", page=2)
    assert first.pages == 2
    assert len(first.hits) == 10
    assert len(last.hits) == 5  # the 11th to the 15th, no further
    assert not {h.url for h in first.hits} & {h.url for h in last.hits}
    page = text_of(client.get("/search?q=mensuelle&page=2"))
    assert "11 à 15 sur plus de 15" in page
    assert "Page suivante" in page  # shown, but not as a link
    response = client.get("/search?q=mensuelle&page=9")  # beyond: the last page
    assert "11 à 15 sur plus de 15" in text_of(response)


def test_a_kind_beyond_the_cap_is_counted_on_its_own(client, monthly, cap):
    cap(15)
    response = client.get("/search?q=mensuelle&kind=minutes")
    assert "2 résultats pour « mensuelle »" in text_of(response)  # exact: below the cap
    links = _kind_filter(response)
    assert links[0] == "Tous (plus de 15)"
    assert "Compte rendu (2)" in links
    assert "Séance" in links
    response = client.get("/search?q=mensuelle&kind=meeting")
    assert "Plus de 15 résultats pour « mensuelle »" in text_of(response)
    assert "Séance (plus de 15)" in _kind_filter(response)


def test_the_best_match_comes_first_even_beyond_the_cap(client, db, monthly, cap):
    # Written last, so that it is not among the first matches the count reads.
    make.decision("2024-07", "Séances mensuelles : la séance mensuelle")
    db.session.commit()
    cap(3)
    results = search("mensuelle", "fr")
    assert results.more_than_cap
    assert results.hits[0].kind == "decision"
    # The same order as with no cap in the way.
    cap(1000)
    assert [h.url for h in search("mensuelle", "fr").hits[:3]] == [h.url for h in results.hits]
