"""Search of the public site: accents and case, decision numbers, public objects only,
index kept in step with publication, bad queries, pagination. Runs on both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from committees.common.timeutils import utcnow
from committees.decisions.models import Decision
from committees.search.models import SearchDocument
from committees.search.services import reindex_all, search
from tests.support import search as make
from tests.support.helpers import errors_beside, text_of


@pytest.fixture
def published(db):
    culture = make.committee(mission_fr="Spécifications techniques de la **culture** en France.")
    make.decision(
        "2022-30",
        "Nomination des membres du comité",
        concerns=culture,
        summary="Le directeur général nomme les membres.",
    )
    make.decision("2022-31", "Décision en préparation", published_at=None)
    session = make.meeting(
        culture,
        "Séance du 4 mai 2022",
        agenda=[("Audition des opérateurs économiques", True), ("Point sous embargo", False)],
        remote_link="https://visio.ansm.example/cst",
    )
    make.minutes(session, "La séance est ouverte. Avis favorable à l'unanimité.")
    db.session.commit()
    return culture


def _titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def test_accents_and_case_do_not_matter(client, published):
    for query in ("seance", "SEANCE", "séance", "Séance"):
        results = search(query, "fr")
        kinds = {hit.kind for hit in results.hits}
        assert {"meeting", "minutes"} <= kinds, query


def test_a_decision_is_found_by_its_number(client, published):
    results = search("decision 2022-30", "fr")
    assert [hit.kind for hit in results.hits] == ["decision"]
    assert "2022-30" in results.hits[0].title
    assert results.hits[0].url == "/decisions/2022-30"
    assert _titles(search("2022-30", "fr")) == _titles(results)


def test_only_public_objects_and_fields_are_found(client, published):
    assert search("préparation", "fr").hits == []  # unpublished decision
    assert search("embargo", "fr").hits == []  # closed agenda item
    assert search("visio", "fr").hits == []  # remote link


def test_an_unpublished_agenda_and_draft_minutes_are_not_found(client, db, published):
    hidden = make.meeting(
        published,
        "Séance de juin",
        number=2,
        agenda=[("Bilan trimestriel", True)],
        agenda_published=False,
    )
    make.minutes(hidden, "Brouillon confidentiel", published=False)
    db.session.commit()
    assert search("trimestriel", "fr").hits == []
    assert search("confidentiel", "fr").hits == []
    assert [hit.title for hit in search("juin", "fr").hits] == ["Séance de juin"]


def test_the_index_follows_publication(client, db, published):
    draft = db.session.execute(select(Decision).where(Decision.number == "2022-31")).scalar_one()
    draft.published_at = utcnow()
    db.session.commit()
    assert [hit.url for hit in search("préparation", "fr").hits] == ["/decisions/2022-31"]

    draft.published_at = None
    db.session.commit()
    assert search("préparation", "fr").hits == []

    published.published_at = None  # the committee withdrawn: its sessions and minutes too
    db.session.commit()
    assert search("seance", "fr").hits == []


def test_a_rolled_back_change_leaves_the_index_alone(client, db, published):
    draft = db.session.execute(select(Decision).where(Decision.number == "2022-31")).scalar_one()
    draft.published_at = utcnow()
    db.session.flush()
    db.session.rollback()
    assert search("préparation", "fr").hits == []


def test_reindex_all_rebuilds_the_same_documents(client, db, published):
    before = db.session.execute(select(SearchDocument.kind, SearchDocument.url)).all()
    db.session.execute(SearchDocument.__table__.delete())
    assert search("seance", "fr").hits == []
    reindex_all()
    db.session.commit()
    after = db.session.execute(select(SearchDocument.kind, SearchDocument.url)).all()
    assert sorted(after) == sorted(before)
    assert search("seance", "fr").hits


def test_the_page_shows_labelled_results_with_highlighted_extracts(client, published):
    response = client.get("/search?q=operateurs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<mark>opérateurs</mark>" in html
    page = text_of(response)
    assert "Séance du 4 mai 2022" in page
    assert "2 résultats pour « operateurs »" in page  # the session, and its minutes
    assert "Séance" in page  # the kind label


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "(",
        ")",
        "seance*",
        'NEAR("a" "b")',
        "a AND OR NOT",
        "-",
        ":",
        "^seance",
        "col:seance",
        "'",
        "séance'); DROP TABLE search_documents; --",
        "\\",
        "%",
        "_",
    ],
)
def test_syntax_characters_never_break_the_search(client, published, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert client.get("/search?q=seance").status_code == 200


def test_a_query_too_long_is_refused_beside_the_field(client, published):
    response = client.get("/search", query_string={"q": "séance " * 40})
    assert response.status_code == 400
    assert "200 caractères au plus" in errors_beside(response, "q")
    assert "séance séance" in response.get_data(as_text=True)  # what was typed is kept


def test_an_empty_query_shows_the_form_only(client, published):
    response = client.get("/search?q=")
    assert response.status_code == 200
    assert "résultat" not in text_of(response)


def test_results_are_paginated_and_filtered_by_kind(client, db, published):
    start = utcnow() + timedelta(days=30)
    for n in range(2, 25):
        make.meeting(
            published, f"Séance mensuelle {n}", number=n, starts_at=start + timedelta(days=n)
        )
    db.session.commit()
    first = search("mensuelle", "fr", page=1)
    second = search("mensuelle", "fr", page=3)
    assert first.total == 23
    assert first.pages == 3
    assert len(first.hits) == 10
    assert len(second.hits) == 3
    assert not set(_titles(first)) & set(_titles(second))
    assert search("seance", "fr", kind="minutes").total == 1
    response = client.get("/search?q=mensuelle&page=2")
    assert "Page suivante" in text_of(response)


def test_english_rows_use_the_english_name(client, db, published):
    published.name_en = "Cultivation of medical cannabis in France"
    db.session.commit()
    assert [h.kind for h in search("cultivation", "en").hits] == ["committee"]
    assert search("cultivation", "fr").hits == []
    response = client.get("/search?q=cultivation&lang=en")
    assert "Cultivation of medical cannabis in France" in text_of(response)
