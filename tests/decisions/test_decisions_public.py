"""Decisions, public side: the list, its filters, the decision page and its PDF."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from committees.bodies.models import CommitteeKind, MandateRole
from committees.bodies.services import MandateLine
from committees.common.filestore import staged_files
from committees.decisions.models import DecisionKind
from committees.decisions.services import (
    publish_decision,
    record_concerns,
    record_creation,
    record_extension,
    record_nomination,
)
from committees.decisions.signed_pdf import attach_pdf
from tests.support.decisions import (
    PDF,
    make_committee,
    make_decision,
    make_person,
)
from tests.support.helpers import text_of

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PUBLISHED = datetime(2022, 2, 18, 9, 30, tzinfo=UTC)


def _numbers(response) -> list[str]:
    return re.findall(r'href="/decisions/(20\d\d-\d+)"', response.get_data(as_text=True))


@pytest.fixture
def record(db):
    """The public record of the cannabis committees, mostly published."""
    culture = make_committee(published_at=PUBLISHED)
    suivi = make_committee(
        "Suivi de l'expérimentation française de l'usage médical du cannabis",
        slug="suivi",
        start_date=date(2021, 6, 8),
        end_date=date(2023, 3, 26),
        published_at=PUBLISHED,
    )
    hidden = make_committee(
        "Comité en préparation", kind=CommitteeKind.PERMANENT, end_date=None, acronym="CSP"
    )
    creation = make_decision(
        "2021-286",
        kind=DecisionKind.CREATION,
        title="Création du CST « Culture en France du cannabis à usage médical »",
        signed_on=date(2021, 8, 2),
    )
    record_creation(creation, culture)
    nomination = make_decision("2022-30", summary="Le directeur général nomme les membres.")
    record_nomination(
        nomination,
        culture,
        [
            MandateLine(make_person("Claire", "Martin"), MandateRole.PRESIDENT, date(2022, 2, 17)),
            MandateLine(make_person("Paul", "Durand"), MandateRole.MEMBER, date(2022, 2, 17)),
        ],
    )
    record_concerns(nomination, hidden)
    extension = make_decision(
        "2023-12",
        kind=DecisionKind.EXTENSION,
        title="Prolongation du CST « Suivi de l'expérimentation »",
        signed_on=date(2023, 3, 1),
    )
    record_extension(extension, suivi, date(2024, 3, 26))
    draft = make_decision("2022-31", title="Projet de décision non signé")
    record_concerns(draft, culture)
    for decision in (creation, nomination, extension):
        publish_decision(decision, when=PUBLISHED)
    db.session.commit()
    return {"culture": culture, "suivi": suivi, "hidden": hidden, "nomination": nomination}


def test_list_shows_published_decisions_only_newest_first(client, record):
    response = client.get("/decisions")
    assert response.status_code == 200
    assert _numbers(response) == ["2023-12", "2022-30", "2021-286"]
    page = text_of(response)
    assert "Décision DG n°2022-30 du 17/02/2022" in page
    assert "Nomination des membres du CST culture du cannabis" in page
    assert "Publié le 18 février 2022 · Mis à jour le" in page
    assert "Projet de décision non signé" not in page
    # the committees concerned: published ones are links, others plain names
    html = response.get_data(as_text=True)
    assert '<a href="/committees/culture-en-france-du-cannabis-a-usage-medical">' in html
    assert "Comité en préparation" in page
    assert 'href="/committees/comite-en-preparation"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=2022", ["2022-30"]),
        ("?year=2021", ["2021-286"]),
        ("?committee=suivi", ["2023-12"]),
        ("?committee=culture-en-france-du-cannabis-a-usage-medical", ["2022-30", "2021-286"]),
        ("?q=2022-3", ["2022-30"]),  # the draft 2022-31 stays hidden
        ("?q=PROLONGATION", ["2023-12"]),
        ("?q=culture&year=2021", ["2021-286"]),
        ("?q=nothing-like-this", []),
        # Wildcards are characters: "%" or "_" alone match no title.
        ("?q=%25", []),
        ("?q=_", []),
    ],
)
def test_list_filters_and_search(client, record, query, expected):
    response = client.get(f"/decisions{query}")
    assert response.status_code == 200
    assert _numbers(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?committee=xyz",
        "?page=-1",
        "?page=abc",
        "?page=999",
        "?year=99999999999999999999",
        "?q=" + "x" * 5000,
        "?committee=comite-en-preparation",  # unpublished: not a filter the public may use
    ],
)
def test_bad_query_parameters_answer_a_clean_page(client, record, query):
    response = client.get(f"/decisions{query}")
    assert response.status_code == 200
    assert "Décisions du directeur général" in text_of(response)


def test_list_is_paginated(client, db):
    for n in range(1, 26):
        publish_decision(make_decision(f"2022-{n}", title=f"Décision numéro {n}"))
    db.session.commit()
    first = client.get("/decisions")
    assert len(_numbers(first)) == 20
    second = client.get("/decisions?page=2")
    assert len(_numbers(second)) == 5
    assert "21 à 25 sur 25" in text_of(second)


def test_decision_page(client, record):
    response = client.get("/decisions/2022-30")
    assert response.status_code == 200
    page = text_of(response)
    assert "Décision DG n°2022-30 du 17/02/2022" in page
    assert "Le directeur général nomme les membres." in page
    assert "Publié le 18 février 2022" in page
    # appointed persons by name and role
    assert "Claire Martin Président·e" in page
    assert "Paul Durand Membre" in page
    html = response.get_data(as_text=True)
    assert 'href="/committees/culture-en-france-du-cannabis-a-usage-medical"' in html
    # no PDF uploaded: no link, and the address answers 404
    assert "/decisions/2022-30/pdf" not in html
    assert client.get("/decisions/2022-30/pdf").status_code == 404


def test_extension_on_the_decision_page(client, record):
    page = text_of(client.get("/decisions/2023-12"))
    assert "prolongé jusqu'au 26 mars 2024" in page


@pytest.mark.parametrize("number", ["2022-31", "2099-1", "nothing", "2022-31/pdf"])
def test_drafts_and_unknown_numbers_are_not_found(client, record, number):
    assert client.get(f"/decisions/{number}").status_code == 404


def test_pdf_download_is_byte_identical_with_its_original_name(app, client, db, record):
    with staged_files():
        attach_pdf(record["nomination"], PDF, "Décision DG 2022-30.pdf")
    db.session.commit()

    html = client.get("/decisions/2022-30").get_data(as_text=True)
    assert 'href="/decisions/2022-30/pdf"' in html
    response = client.get("/decisions/2022-30/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == PDF
    assert (
        "filename*=UTF-8''D%C3%A9cision%20DG%202022-30.pdf"
        in response.headers["Content-Disposition"]
    )


def test_a_draft_pdf_is_not_served(client, db, record):
    draft = make_decision("2022-40", title="Brouillon avec PDF")
    with staged_files():
        attach_pdf(draft, PDF, "brouillon.pdf")
    db.session.commit()
    assert client.get("/decisions/2022-40/pdf").status_code == 404


def test_no_email_address_on_public_decision_pages(client, record):
    urls = ["/decisions", "/decisions?year=2022"]
    urls += [f"/decisions/{n}" for n in _numbers(client.get("/decisions"))]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not EMAIL.search(html), f"{url} shows {EMAIL.search(html).group(0)}"
        assert "prive.example.net" not in html


def test_public_list_costs_the_same_number_of_queries_for_3_or_20_decisions(
    client, db, count_queries
):
    committee = make_committee(published_at=PUBLISHED)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            decision = make_decision(f"2022-{i}", title=f"Décision {i}")
            record_concerns(decision, committee)
            publish_decision(decision)
        db.session.commit()

    add(3, 1)
    client.get("/decisions")
    with count_queries() as few:
        assert len(_numbers(client.get("/decisions"))) == 3
    add(17, 4)
    with count_queries() as many:
        assert len(_numbers(client.get("/decisions"))) == 20
    assert len(many) == len(few)
