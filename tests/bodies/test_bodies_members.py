"""A member's own declarations of interests, and the dashboard panels of the bodies domain."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from committees.auth.models import Role
from committees.bodies.models import CommitteeKind, InterestDeclaration, MandateRole
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.common.timeutils import paris_today
from tests.support.helpers import DEFAULT_PASSWORD, login, post_form, text_of


@pytest.fixture
def member(db, client, make_user):
    """A member account tied to a person sitting in a committee, signed in."""
    user = make_user(Role.MEMBER, email="claire@example.org", full_name="Claire Martin")
    person = create_person(first_name="Claire", last_name="Martin", email="claire@example.org")
    person.user = user
    committee = create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Pharmacovigilance", start_date=date(2022, 3, 1)
    )
    add_mandate(committee, MandateLine(person, MandateRole.MEMBER, date(2022, 3, 1)))
    db.session.commit()
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return person


def test_member_without_declaration_is_not_cleared(client, member):
    text = text_of(client.get("/my/declarations"))
    assert "Mes déclarations d'intérêts" in text
    assert "non à jour Aucune déclaration d'intérêts." in text
    dashboard = text_of(client.get("/dashboard"))
    assert "Ma déclaration d'intérêts non à jour" in dashboard
    assert "Déposer une nouvelle déclaration" in dashboard


def test_member_files_a_declaration_and_becomes_cleared(client, db, member):
    today = paris_today()
    response = post_form(
        client,
        "/my/declarations/new",
        {
            "declared_on": today.isoformat(),
            "public_url": "",
            "links-0-organisation": "Laboratoire Alpha",
            "links-0-kind": "research_funding",
            "links-0-details": "Essai clinique",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/my/declarations")
    declaration = db.session.execute(select(InterestDeclaration)).scalar_one()
    assert declaration.person_id == member.id
    assert [link.organisation for link in declaration.links] == ["Laboratoire Alpha"]

    until = format_date(today + relativedelta(months=12), "long", locale="fr")
    text = text_of(client.get("/my/declarations"))
    declared = format_date(today, "long", locale="fr")
    assert f"à jour Déclaration du {declared}, valable jusqu'au {until}." in text
    assert "Laboratoire Alpha Financement de recherche Essai clinique" in text
    assert f"valable jusqu'au {until}" in text_of(client.get("/dashboard"))


def test_member_bad_declaration_is_refused(client, db, member):
    response = post_form(
        client,
        "/my/declarations/new",
        {"declared_on": paris_today().isoformat(), "links-2-details": "sans organisme"},
    )
    assert response.status_code == 422
    assert "Indiquez l'organisme." in text_of(response)
    assert db.session.execute(select(InterestDeclaration)).first() is None


def test_member_sees_only_their_own_declarations(client, db, member):
    other = create_person(first_name="Paul", last_name="Durand")
    file_declaration(other, date(2022, 1, 1), [])
    db.session.commit()
    assert "1er janvier 2022" not in text_of(client.get("/my/declarations"))


def test_member_account_not_tied_to_a_person(client, make_user):
    user = make_user(Role.MEMBER)
    login(client, user.email, DEFAULT_PASSWORD)
    assert "n'est pas encore rattaché" in text_of(client.get("/my/declarations"))
    assert client.get("/my/declarations/new").status_code == 404


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.CONTRIBUTOR])
def test_member_area_is_for_members(client, make_user, role):
    user = make_user(role)
    login(client, user.email, DEFAULT_PASSWORD)
    assert client.get("/my/declarations").status_code == 403
    assert client.get("/my/declarations/new").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/my/declarations")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_secretariat_panel_counts_current_members_not_cleared(client, db, make_user):
    committee = create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Pharmacovigilance", start_date=date(2022, 3, 1)
    )
    for n, declared in enumerate((paris_today(), date(2021, 1, 1), None)):
        person = create_person(first_name="P", last_name=f"Membre {n}")
        add_mandate(committee, MandateLine(person, MandateRole.MEMBER, date(2022, 3, 1)))
        if declared:
            file_declaration(person, declared, [])
    gone = create_person(first_name="P", last_name="Parti")
    add_mandate(
        committee, MandateLine(gone, MandateRole.MEMBER, date(2022, 3, 1), date(2022, 4, 1))
    )
    db.session.commit()
    user = make_user(Role.SECRETARIAT)
    login(client, user.email, DEFAULT_PASSWORD)
    text = text_of(client.get("/dashboard"))
    assert (
        "Déclarations d'intérêts à mettre à jour "
        "2 membres en fonction n'ont pas de déclaration à jour. Voir les comités" in text
    )
