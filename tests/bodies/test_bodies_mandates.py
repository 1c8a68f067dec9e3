"""Adding, editing and ending mandates from the committee screens."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from committees.audit.models import AuditEntry
from committees.auth.models import Role
from committees.bodies.models import Mandate, MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate
from tests.support.helpers import DEFAULT_PASSWORD, csrf_token_from, login, post_form, text_of


@pytest.fixture
def person(db):
    person = create_person(first_name="Claire", last_name="Martin", title="Pr")
    db.session.commit()
    return person


def _form(person_id, **overrides) -> dict:
    return {
        "person_id": str(person_id),
        "role": "member",
        "voting": "",
        "start_date": "2022-02-17",
        "end_date": "",
        "appointing_decision_id": "",
        **overrides,
    }


def _mandates(db) -> list[Mandate]:
    return list(db.session.execute(select(Mandate).order_by(Mandate.id)).scalars())


def _new_url(committee) -> str:
    return f"/secretariat/committees/{committee.id}/mandates/new"


def test_add_a_mandate(client, db, secretariat, culture_committee, person):
    response = post_form(client, _new_url(culture_committee), _form(person.id, role="president"))
    assert response.status_code == 302
    [mandate] = _mandates(db)
    assert (mandate.role, mandate.voting, mandate.start_date) == (
        "president",
        True,
        date(2022, 2, 17),
    )
    text = text_of(client.get(f"/secretariat/committees/{culture_committee.id}?on=2022-03-01"))
    assert "Pr Claire Martin Président·e oui" in text


def test_expert_gets_no_vote_by_default(client, db, secretariat, culture_committee, person):
    post_form(client, _new_url(culture_committee), _form(person.id, role="invited_expert"))
    [mandate] = _mandates(db)
    assert mandate.voting is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": "invited_expert", "voting": "yes"}, "Un expert invité ne vote pas."),
        ({"end_date": "2022-01-01"}, "La date de fin précède la date de début."),
        ({"start_date": "2020-01-01"}, "commence hors de la période du comité"),
        ({"person_id": "999999"}, "Cette personne n'existe pas : choisissez-la dans la liste."),
        ({"person_id": "abc"}, "Cette personne n'existe pas : choisissez-la dans la liste."),
        ({"person_id": ""}, "Choisissez une personne."),
        ({"start_date": ""}, "Indiquez le début du mandat."),
        ({"appointing_decision_id": "4242"}, "Choisissez une décision de la liste."),
    ],
)
def test_bad_mandate_is_refused_and_nothing_saved(
    client, db, secretariat, culture_committee, person, overrides, message
):
    response = post_form(client, _new_url(culture_committee), {**_form(person.id), **overrides})
    assert response.status_code == 422
    assert message in text_of(response)
    assert _mandates(db) == []


def test_overlapping_mandate_is_refused(client, db, secretariat, culture_committee, person):
    add_mandate(culture_committee, MandateLine(person, MandateRole.MEMBER, date(2021, 9, 1)))
    db.session.commit()
    response = post_form(client, _new_url(culture_committee), _form(person.id, role="president"))
    assert response.status_code == 422
    assert "Pr Claire Martin a déjà un mandat dans ce comité sur cette période." in text_of(
        response
    )
    assert len(_mandates(db)) == 1


def test_edit_a_mandate_is_not_an_overlap_with_itself(
    client, db, secretariat, culture_committee, person
):
    mandate = add_mandate(
        culture_committee, MandateLine(person, MandateRole.MEMBER, date(2021, 9, 1))
    )
    db.session.commit()
    url = f"/secretariat/mandates/{mandate.id}/edit"
    response = post_form(
        client, url, _form(person.id, role="invited_expert", start_date="2021-10-01")
    )
    assert response.status_code == 302, text_of(response)
    db.session.expire_all()
    assert (mandate.role, mandate.voting, mandate.start_date) == (
        "invited_expert",
        False,
        date(2021, 10, 1),
    )


def test_edit_cannot_change_the_holder(client, db, secretariat, culture_committee, person):
    mandate = add_mandate(
        culture_committee, MandateLine(person, MandateRole.MEMBER, date(2021, 9, 1))
    )
    other = create_person(first_name="Paul", last_name="Durand")
    db.session.commit()
    post_form(client, f"/secretariat/mandates/{mandate.id}/edit", _form(other.id))
    db.session.expire_all()
    assert mandate.person_id == person.id


def test_end_a_mandate_keeps_it_and_is_audited(
    client, db, make_user, secretariat, culture_committee, person
):
    mandate = add_mandate(
        culture_committee, MandateLine(person, MandateRole.MEMBER, date(2022, 2, 17))
    )
    db.session.commit()
    url = f"/secretariat/mandates/{mandate.id}/end"
    response = post_form(client, url, {"end_date": "2022-06-30", "end_reason": "Démission"})
    assert response.status_code == 302

    db.session.expire_all()
    assert (mandate.end_date, mandate.end_reason) == (date(2022, 6, 30), "Démission")
    assert len(_mandates(db)) == 1  # ended, never deleted
    entry = (
        db.session.execute(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "mandates", AuditEntry.entity_id == mandate.id)
            .order_by(AuditEntry.id.desc())
        )
        .scalars()
        .first()
    )
    assert entry.action == "update"
    assert entry.actor_user_id == secretariat.id
    assert entry.changes == {
        "end_date": [None, "2022-06-30"],
        "end_reason": ["", "Démission"],
    }

    # The mandate's page shows its trail to the secretariat...
    page = text_of(client.get(f"/secretariat/mandates/{mandate.id}/edit"))
    assert "Historique des modifications" in page
    assert "secretariat@example.org modification" in page
    assert "Démission" in page
    # ... and the committee's history still lists it, with its reason.
    history = text_of(client.get(f"/secretariat/committees/{culture_committee.id}"))
    assert "Démission" in history.split("Historique des mandats")[1]

    # A member cannot reach it.
    token = csrf_token_from(client.get("/dashboard").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    member = make_user(Role.MEMBER)
    assert login(client, member.email, DEFAULT_PASSWORD).status_code == 302
    assert client.get(f"/secretariat/mandates/{mandate.id}/edit").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"end_date": "2022-01-01", "end_reason": "Démission"},
            "La fin du mandat précède son début.",
        ),
        ({"end_date": "2022-06-30", "end_reason": "  "}, "Indiquez le motif de fin du mandat."),
        ({"end_date": "", "end_reason": "Démission"}, "Indiquez la date de fin."),
    ],
)
def test_bad_end_is_refused(client, db, secretariat, culture_committee, person, data, message):
    mandate = add_mandate(
        culture_committee, MandateLine(person, MandateRole.MEMBER, date(2022, 2, 17))
    )
    db.session.commit()
    response = post_form(client, f"/secretariat/mandates/{mandate.id}/end", data)
    assert response.status_code == 422
    assert message in text_of(response)
    db.session.expire_all()
    assert (mandate.end_date, mandate.end_reason) == (None, "")
    updates = db.session.execute(
        select(func.count()).where(
            AuditEntry.entity_type == "mandates", AuditEntry.action == "update"
        )
    ).scalar_one()
    assert updates == 0
