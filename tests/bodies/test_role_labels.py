"""A role is named as the person's recorded civility says (issue 23): Pr Hélène Garnier of
the demo is « Présidente » on the committee page, in the minutes' PDF and in the API; a
person whose civility is not recorded gets the inclusive form (« Président·e »)."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from committees.bodies.labels import role_label
from committees.bodies.models import Mandate, MandateRole, Person
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate
from committees.common.timeutils import paris_today
from committees.demo import seed_all
from committees.meetings.models import Meeting, Minutes, MinutesStatus
from tests.support.documents import pdf_structure
from tests.support.helpers import text_of
from tests.support.meetings import make_published_committee


def test_role_label_agrees_with_the_civility_in_both_languages(app):
    with app.test_request_context():
        assert role_label(MandateRole.PRESIDENT, "Mme") == "Présidente"
        assert role_label(MandateRole.PRESIDENT, "M.") == "Président"
        assert role_label(MandateRole.PRESIDENT, "") == "Président·e"
        assert role_label(MandateRole.VICE_PRESIDENT, "M.") == "Vice-président"
        assert role_label(MandateRole.VICE_PRESIDENT, "Mme") == "Vice-présidente"
        assert (
            role_label(MandateRole.PATIENT_REPRESENTATIVE, "Mme")
            == "Représentante d'une association de patients"
        )
        assert role_label(MandateRole.INVITED_EXPERT, "M.").startswith("Expert invité")
        assert role_label(MandateRole.MEMBER, "Mme") == "Membre"
        # English has one form (the gendered French ones are translated alike in the .po)
        assert role_label(MandateRole.PRESIDENT, "", "en") == "Chair"
        with force_locale("en"):
            assert role_label(MandateRole.PATIENT_REPRESENTATIVE, "") == (
                "Patients' association representative"
            )


def test_the_demo_president_is_presidente_on_the_page_the_pdf_and_the_api(client, db):
    seed_all(today=paris_today())
    garnier = db.session.scalars(select(Person).where(Person.last_name == "Garnier")).one()
    assert garnier.civility == "Mme"
    mandate = db.session.scalars(select(Mandate).where(Mandate.person_id == garnier.id)).first()
    committee = mandate.committee
    on = mandate.start_date.isoformat()

    page = text_of(client.get(f"/committees/{committee.slug}?on={on}"))
    assert "Hélène Garnier" in page
    assert "Présidente" in page
    assert "Président·e" not in page

    api = client.get(f"/api/v1/committees/{committee.slug}/members?on={on}").get_json()
    (seat,) = [s for s in api["data"] if s["person"]["familyName"] == "Garnier"]
    assert (seat["role"], seat["roleLabel"]) == ("president", "Présidente")

    published = db.session.scalars(
        select(Minutes)
        .join(Meeting, Minutes.meeting_id == Meeting.id)
        .where(
            Meeting.committee_id == committee.id,
            Minutes.status == MinutesStatus.PUBLISHED.value,
        )
    ).first()
    assert published is not None, "the demo publishes the minutes of its held session"
    pdf = pdf_structure(client.get(f"/meetings/{published.meeting_id}/minutes.pdf").data)
    assert "Hélène Garnier (Présidente)" in pdf.text
    assert "Président·e" not in pdf.text


def test_a_person_without_civility_gets_the_inclusive_form(client, db):
    committee = make_published_committee(db)
    committee.end_date = None
    person = create_person(first_name="Camille", last_name="Sansgenre")
    add_mandate(committee, MandateLine(person, MandateRole.VICE_PRESIDENT, date(2022, 1, 1)))
    db.session.commit()
    page = text_of(client.get(f"/committees/{committee.slug}"))
    assert "Camille Sansgenre" in page
    assert "Vice-président·e" in page
    api = client.get(f"/api/v1/committees/{committee.slug}/members").get_json()
    (seat,) = [s for s in api["data"] if s["person"]["familyName"] == "Sansgenre"]
    assert seat["roleLabel"] == "Vice-président·e"
