"""Persons: list and search, identity, invitation to a member account, declarations."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from committees.auth.models import Role, User
from committees.bodies.models import (
    CommitteeKind,
    InterestDeclaration,
    InterestLink,
    LinkKind,
    MandateRole,
    Person,
)
from committees.bodies.persons.declarations import LinkLine, file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.mail.models import OutboxMessage
from tests.support.helpers import count_rows, post_form, text_of


@pytest.fixture
def person(db):
    person = create_person(
        first_name="Claire",
        last_name="Martin",
        title="Dr",
        email="claire.martin@chu.example",
        affiliation="CHU de Lyon",
    )
    db.session.commit()
    return person


def _person_form(**overrides) -> dict:
    return {
        "civility": "Mme",
        "title": "Pr",
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "N.Benali@Univ.example",
        "affiliation": "Université de Bordeaux",
        "qualification": "Addictologie",
        **overrides,
    }


# --- list, search, create, edit -------------------------------------------------------


def test_search_by_name_or_affiliation(client, db, secretariat, person):
    create_person(first_name="Paul", last_name="Durand", affiliation="Association Principes actifs")
    db.session.commit()
    assert "2 personnes trouvées" in text_of(client.get("/secretariat/persons"))
    by_name = text_of(client.get("/secretariat/persons?q=claire mar"))
    assert "1 personne trouvée" in by_name
    assert "Martin Claire" in by_name
    by_affiliation = text_of(client.get("/secretariat/persons?q=principes"))
    assert "Durand Paul" in by_affiliation
    assert "Martin" not in by_affiliation
    assert "Aucune personne ne correspond" in text_of(client.get("/secretariat/persons?q=100%"))


def test_person_list_is_paginated(client, db, secretariat):
    for n in range(30):
        create_person(first_name="P", last_name=f"Nom {n:02d}")
    db.session.commit()
    first = text_of(client.get("/secretariat/persons"))
    assert "Nom 00" in first
    assert "Nom 29" not in first
    assert "Nom 29" in text_of(client.get("/secretariat/persons?page=2"))


def test_create_and_edit_a_person(client, db, secretariat):
    response = post_form(client, "/secretariat/persons/new", _person_form())
    assert response.status_code == 302
    person = db.session.execute(select(Person)).scalar_one()
    assert person.email == "n.benali@univ.example"
    assert person.display_name == "Pr Nadia Benali"

    url = f"/secretariat/persons/{person.id}/edit"
    response = post_form(client, url, _person_form(affiliation="CHU de Bordeaux", email=""))
    assert response.status_code == 302
    db.session.expire_all()
    assert (person.affiliation, person.email) == ("CHU de Bordeaux", None)
    text = text_of(client.get(f"/secretariat/persons/{person.id}"))
    assert "CHU de Bordeaux" in text
    assert "création" in text
    assert "modification" in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"email": "claire.martin@chu.example"},
            "Une personne est déjà enregistrée avec l'adresse",
        ),
        ({"email": "pas une adresse"}, "Cette adresse électronique n'est pas valide."),
        ({"last_name": ""}, "Indiquez le nom."),
    ],
)
def test_bad_person_is_refused(client, db, secretariat, person, overrides, message):
    response = post_form(client, "/secretariat/persons/new", _person_form(**overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in text_of(response)
    assert re.search(r'<ul class="field-errors" id="(email|last_name)-errors">', html)
    assert 'value="Nadia"' in html
    assert count_rows(db, Person) == 1


def test_person_page_shows_mandates_declarations_and_clearance(client, db, secretariat, person):
    committee = create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Pharmacovigilance", start_date=date(2022, 3, 1)
    )
    add_mandate(committee, MandateLine(person, MandateRole.VICE_PRESIDENT, date(2022, 3, 1)))
    file_declaration(
        person,
        date(2021, 6, 8),
        [LinkLine("Laboratoire Alpha", LinkKind.CONSULTANCY, "Conseil ponctuel", date(2019, 1, 1))],
        public_url="https://dpi.sante.gouv.fr/claire-martin",
    )
    db.session.commit()
    text = text_of(client.get(f"/secretariat/persons/{person.id}"))
    assert "Pharmacovigilance Vice-président·e" in text
    assert "Déclaration du 8 juin 2021" in text
    assert "Laboratoire Alpha Activité de conseil Conseil ponctuel 01/01/2019 – en cours" in text
    assert "non à jour" in text  # more than twelve months ago
    assert "n'était valable que jusqu'au 8 juin 2022" in text


# --- invitation -----------------------------------------------------------------------


def _invite(client, person):
    return post_form(
        client,
        f"/secretariat/persons/{person.id}/invite",
        {},
        form_url=f"/secretariat/persons/{person.id}",
    )


def test_invite_creates_a_member_account_and_queues_the_invitation(client, db, secretariat, person):
    response = _invite(client, person)
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.email == person.email)).scalar_one()
    db.session.expire_all()
    assert person.user_id == user.id
    assert user.role == "member"
    assert user.email_confirmed_at is None
    [message] = db.session.execute(select(OutboxMessage)).scalars().all()
    assert message.recipient == "claire.martin@chu.example"
    assert message.kind == "invitation"
    assert "Sam Secrétaire vous a ouvert un compte" in message.body_text
    assert re.search(r"http://localhost/password/reset/\S+", message.body_text)
    assert "rattaché au compte claire.martin@chu.example" in text_of(
        client.get(f"/secretariat/persons/{person.id}")
    )


def test_invite_links_an_existing_member_account(client, db, make_user, secretariat, person):
    member = make_user(Role.MEMBER, email="Claire.Martin@chu.example")
    response = _invite(client, person)
    assert response.status_code == 302
    db.session.expire_all()
    assert person.user_id == member.id
    assert count_rows(db, OutboxMessage) == 0
    assert count_rows(db, User) == 2


def test_invite_refuses_a_non_member_account(client, db, make_user, secretariat, person):
    make_user(Role.CONTRIBUTOR, email="claire.martin@chu.example")
    response = _invite(client, person)
    assert response.status_code == 422
    assert "Le compte claire.martin@chu.example n'est pas un compte de membre de comité" in text_of(
        response
    )
    db.session.expire_all()
    assert person.user_id is None
    assert count_rows(db, OutboxMessage) == 0


def test_invite_needs_an_email(client, db, secretariat):
    person = create_person(first_name="Paul", last_name="Durand")
    db.session.commit()
    page = text_of(client.get(f"/secretariat/persons/{person.id}"))
    assert "Renseignez l'adresse électronique de la personne pour pouvoir l'inviter." in page
    response = _invite(client, person)
    assert response.status_code == 422
    assert "Indiquez d'abord l'adresse électronique de Paul Durand." in text_of(response)
    assert count_rows(db, User) == 1


# --- declarations recorded by the secretariat -----------------------------------------


def _declaration_form(**rows) -> dict:
    data = {"declared_on": "2022-02-01", "public_url": "https://dpi.sante.gouv.fr/x"}
    for index in range(5):
        for field in ("organisation", "kind", "details", "started_on", "ended_on"):
            data[f"links-{index}-{field}"] = ""
    data.update(rows)
    return data


def test_record_a_declaration_blank_rows_ignored(client, db, secretariat, person):
    url = f"/secretariat/persons/{person.id}/declarations/new"
    page = client.get(url).get_data(as_text=True)
    assert page.count('name="links-') == 25  # five empty rows of five fields
    response = post_form(
        client,
        url,
        _declaration_form(
            **{
                "links-0-organisation": "Laboratoire Alpha",
                "links-0-kind": "employment",
                "links-0-started_on": "2015-01-01",
                "links-0-ended_on": "2018-12-31",
                "links-3-organisation": "Société Beta",
                "links-3-kind": "financial_holding",
                "links-3-details": "Actions",
            }
        ),
    )
    assert response.status_code == 302, text_of(response)
    declaration = db.session.execute(select(InterestDeclaration)).scalar_one()
    assert declaration.declared_on == date(2022, 2, 1)
    assert [(link.organisation, link.kind) for link in declaration.links] == [
        ("Laboratoire Alpha", "employment"),
        ("Société Beta", "financial_holding"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"links-1-details": "sans organisme", "links-1-kind": "other"}, "Indiquez l'organisme."),
        ({"links-0-organisation": "Alpha"}, "Choisissez la nature du lien."),
        (
            {
                "links-0-organisation": "Alpha",
                "links-0-kind": "employment",
                "links-0-started_on": "2020-01-01",
                "links-0-ended_on": "2019-01-01",
            },
            "La fin précède le début.",
        ),
        (
            {"declared_on": "2999-01-01"},
            "La date de la déclaration ne peut pas être dans le futur.",
        ),
        ({"public_url": "javascript:alert(1)"}, "Indiquez une adresse web complète"),
    ],
)
def test_bad_declaration_is_refused_and_nothing_saved(
    client, db, secretariat, person, rows, message
):
    url = f"/secretariat/persons/{person.id}/declarations/new"
    response = post_form(client, url, _declaration_form(**rows))
    assert response.status_code == 422
    assert message in text_of(response)
    assert count_rows(db, InterestDeclaration) == 0
    assert count_rows(db, InterestLink) == 0
