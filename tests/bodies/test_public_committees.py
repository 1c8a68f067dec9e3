"""Public committee pages: committees by kind, a committee's mission, composition and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from committees.bodies.models import Committee, CommitteeKind, Mandate, MandateRole
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee, end_mandate
from committees.decisions.models import DecisionKind
from committees.decisions.services import (
    create_decision,
    publish_decision,
    record_creation,
    record_extension,
)
from tests.support.helpers import text_of

PUBLISHED = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
START = date(2021, 8, 2)


@dataclass
class Culture:
    committee: Committee
    president: Mandate
    member: Mandate
    resigned: Mandate


def _committee(db, **fields) -> Committee:
    values = {
        "kind": CommitteeKind.TEMPORARY,
        "name_fr": "Culture en France du cannabis à usage médical",
        "name_en": "Cultivation of medical cannabis in France",
        "acronym": "CST",
        "start_date": START,
        "end_date": date(2024, 12, 31),
        "meeting_cadence": "mensuelle",
        "mission_fr": "Accompagner la **mise en place** de la culture.",
        "published_at": PUBLISHED,
    }
    values.update(fields)
    committee = create_committee(**values)
    db.session.commit()
    return committee


def _mandate(committee, first, last, role, start=date(2022, 2, 17), **person):
    holder = create_person(first_name=first, last_name=last, **person)
    return add_mandate(committee, MandateLine(holder, role, start))


@pytest.fixture
def culture(db) -> Culture:
    committee = _committee(db)
    creation = create_decision(
        number="2021-286",
        title="Création du CST culture",
        kind=DecisionKind.CREATION,
        signed_on=date(2021, 8, 2),
    )
    record_creation(creation, committee)
    publish_decision(creation, PUBLISHED)
    extension = create_decision(
        number="2024-12",
        title="Prolongation du CST culture",
        kind=DecisionKind.EXTENSION,
        signed_on=date(2024, 3, 1),
    )
    record_extension(extension, committee, date(2039, 12, 31))
    publish_decision(extension, PUBLISHED)
    draft = create_decision(
        number="2039-1",
        title="Prolongation en préparation",
        kind=DecisionKind.EXTENSION,
        signed_on=date(2039, 6, 1),
    )
    record_extension(draft, committee, date(2040, 6, 30))

    president = _mandate(
        committee,
        "Claire",
        "Martin",
        MandateRole.PRESIDENT,
        title="Pr",
        email="claire.martin@chu.example",
        affiliation="CHU de Lyon",
        qualification="Pharmacologie",
    )
    file_declaration(president.person, date(2022, 1, 10), [], "https://dpi.example/old")
    file_declaration(president.person, date(2023, 1, 10), [], "https://dpi.example/claire-martin")
    member = _mandate(
        committee,
        "Paul",
        "Durand",
        MandateRole.PATIENT_REPRESENTATIVE,
        affiliation="France Patients",
    )
    resigned = _mandate(committee, "Marc", "Roux", MandateRole.MEMBER)
    end_mandate(resigned, date(2022, 6, 30), "Démission")
    db.session.commit()
    return Culture(committee, president, member, resigned)


def test_committee_page_shows_current_composition_roles_and_declarations(client, culture):
    response = client.get("/committees/culture-en-france-du-cannabis-a-usage-medical")

    assert response.status_code == 200
    page = text_of(response)
    html = response.get_data(as_text=True)
    assert "Composition actuelle" in page
    assert "Pr Claire Martin Président·e CHU de Lyon Pharmacologie" in page
    assert "Paul Durand Représentant·e d'une association de patients France Patients" in page
    assert 'href="https://dpi.example/claire-martin"' in html
    assert "https://dpi.example/old" not in html
    assert "Déclaration non publiée" in page
    assert "Marc Roux" not in page  # resigned in June 2022
    assert "claire.martin@chu.example" not in html


def test_committee_page_shows_dates_extensions_decisions_and_publication(client, culture):
    page = text_of(client.get("/committees/culture-en-france-du-cannabis-a-usage-medical"))

    assert "Comité scientifique temporaire" in page
    assert "Du 2 août 2021 au 30 juin 2040" in page
    assert "mensuelle" in page
    assert "Mise en place" in page or "mise en place" in page
    assert (
        "Prolongé du 31 décembre 2024 au 31 décembre 2039 par la décision n°2024-12 "
        "du 1er mars 2024" in page
    )
    assert "2040" not in page.split("Prolongations")[1], "a draft decision's extension stays hidden"
    assert "Décision n°2021-286 du 2 août 2021 – Création du CST culture" in page
    assert "2039-1" not in page
    assert "Publié le 1er mars 2022 · Mis à jour le" in page


def test_decision_links_point_to_the_public_decision(client, culture):
    html = client.get("/committees/culture-en-france-du-cannabis-a-usage-medical").get_data(
        as_text=True
    )

    assert 'href="/decisions/2021-286"' in html
    assert 'href="/decisions/2024-12"' in html


def test_past_composition_includes_an_ended_mandate(client, culture):
    response = client.get("/committees/culture-en-france-du-cannabis-a-usage-medical?on=2022-03-01")

    assert response.status_code == 200
    page = text_of(response)
    assert "Composition au 1er mars 2022" in page
    assert "Marc Roux Membre" in page
    # Before any appointment, nobody sits.
    early = text_of(
        client.get("/committees/culture-en-france-du-cannabis-a-usage-medical?on=2021-09-01")
    )
    assert "Aucun membre à cette date." in early


@pytest.mark.parametrize("value", ["01/03/2022", "2022-02-30", "hier"])
def test_a_bad_date_gives_a_clear_message_and_400(client, culture, value):
    response = client.get(
        "/committees/culture-en-france-du-cannabis-a-usage-medical", query_string={"on": value}
    )

    assert response.status_code == 400
    page = text_of(response)
    assert f"La date « {value} » n'est pas valide" in page
    assert "Pr Claire Martin" in page  # the current composition is still shown


def test_unpublished_or_unknown_committee_is_not_found(client, db):
    _committee(db, name_fr="Comité en préparation", published_at=None)

    assert client.get("/committees/comite-en-preparation").status_code == 404
    assert client.get("/committees/nothing-here").status_code == 404
    assert "Comité en préparation" not in text_of(client.get("/committees"))


def test_list_groups_published_committees_by_kind(client, db):
    _committee(db, name_fr="Suivi de l'expérimentation", acronym="CST")
    _committee(
        db,
        kind=CommitteeKind.PERMANENT,
        name_fr="Pharmacovigilance et addictovigilance",
        acronym="CSP",
        start_date=date(2022, 3, 1),
        end_date=None,
    )
    _committee(
        db,
        name_fr="Comité à venir",
        start_date=date(2099, 1, 1),
        end_date=date(2099, 12, 31),
    )
    _committee(db, name_fr="Ancien comité", start_date=date(2020, 1, 1), end_date=date(2020, 6, 30))

    response = client.get("/committees")

    assert response.status_code == 200
    page = text_of(response)
    temporary = page.index("Comité scientifique temporaire")
    permanent = page.index("Comité scientifique permanent")
    assert temporary < page.index("Suivi de l'expérimentation") < permanent
    assert permanent < page.index("Pharmacovigilance et addictovigilance (CSP)")
    assert "Ancien comité (CST) Terminé Du 1er janvier 2020 au 30 juin 2020" in page
    assert "Comité à venir (CST) À venir" in page
    assert "Pharmacovigilance et addictovigilance (CSP) En activité Depuis le 1er mars 2022" in page
    assert 'href="/committees/pharmacovigilance-et-addictovigilance"' in response.get_data(
        as_text=True
    )


def test_list_is_paginated_and_each_page_groups_its_committees_by_kind(client, db):
    for n in range(1, 21):
        _committee(db, name_fr=f"Comité temporaire {n:02d}", acronym="CST")
    for n in range(1, 7):
        _committee(db, kind=CommitteeKind.PERMANENT, name_fr=f"Comité permanent {n}", end_date=None)

    first = text_of(client.get("/committees"))
    second = client.get("/committees?page=2")

    assert "Comité temporaire 20" in first
    assert "Comité permanent 4" in first
    assert "Comité permanent 5" not in first
    assert "1 à 24 sur 26" in first
    assert "Page suivante" in first
    assert second.status_code == 200
    page = text_of(second)
    assert "Comité temporaire" not in page
    assert page.index("Comité scientifique permanent") < page.index("Comité permanent 5")
    assert "Comité permanent 6" in page
    assert "25 à 26 sur 26" in page
    beyond = text_of(client.get("/committees?page=9"))
    assert "Cette page n'existe pas : la liste tient en 2 pages." in beyond
    assert "Aucun comité n'est encore publié." not in beyond


def test_english_pages_show_the_english_name(client, culture):
    page = text_of(client.get("/committees?lang=en"))

    assert "Cultivation of medical cannabis in France" in page


def test_mission_markdown_is_rendered_safely(client, db):
    _committee(
        db,
        name_fr="Comité piégé",
        mission_fr=(
            "Une **mission**.\n\n<script>alert('x')</script>\n\n"
            "[cliquez](javascript:alert('x')) et [la source](https://ansm.example/cst)"
        ),
    )

    html = client.get("/committees/comite-piege").get_data(as_text=True)

    assert "<strong>mission</strong>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert 'href="javascript:' not in html.lower()
    assert 'href="https://ansm.example/cst"' in html


def test_a_script_declaration_address_is_not_a_link(client, db):
    committee = _committee(db)
    mandate = _mandate(committee, "Eve", "Malice", MandateRole.MEMBER)
    file_declaration(mandate.person, date(2023, 1, 1), [], "javascript:alert(1)")
    db.session.commit()

    response = client.get(f"/committees/{committee.slug}")

    assert "javascript:" not in response.get_data(as_text=True)
    assert "Eve Malice Membre Déclaration non publiée" in text_of(response)


def test_committee_page_costs_the_same_queries_whatever_the_composition(client, db, count_queries):
    def queries_for(size: int) -> int:
        committee = _committee(db, name_fr=f"Comité de {size}")
        for n in range(size):
            mandate = _mandate(committee, f"Prénom{n}", f"Nom{n}", MandateRole.MEMBER)
            file_declaration(mandate.person, date(2023, 1, 1), [], f"https://dpi.example/{n}")
        db.session.commit()
        with count_queries() as queries:
            response = client.get(f"/committees/{committee.slug}")
        assert response.status_code == 200
        assert text_of(response).count("Déclaration d'intérêts de Prénom") == size
        return len(queries)

    small, large = queries_for(2), queries_for(15)

    assert small == large
    # one of them lists the published activity reports, one the public follow-up actions,
    # one the published written procedures
    assert large <= 12
