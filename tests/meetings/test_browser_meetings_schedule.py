"""Browser journey: the secretariat schedules a session through the form, then convenes it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from committees.auth.models import Role
from committees.bodies.models import MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate
from committees.mail.models import OutboxMessage
from committees.meetings.models import Meeting, MeetingStatus
from tests.support.helpers import DEFAULT_PASSWORD
from tests.support.meetings import make_committee

pytestmark = pytest.mark.browser

MEMBERS = [
    ("Claire", "Martin", "claire.martin@chu.example"),
    ("Hugo", "Petit", "hugo.petit@prive.example.net"),
    ("Inès", "Bernard", "ines.bernard@asso.example"),
]


def test_secretariat_schedules_and_convenes_a_session(page, db, make_user):
    secretariat = make_user(Role.SECRETARIAT, email="secretariat@ansm.example")
    committee = make_committee(db, name="Suivi de l'expérimentation", acronym="CST")
    for first, last, email in MEMBERS:
        person = create_person(first_name=first, last_name=last, email=email)
        add_mandate(
            committee,
            MandateLine(person=person, role=MandateRole.MEMBER, start_date=date(2021, 6, 1)),
        )
    db.session.commit()

    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(secretariat.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")

    # Schedule one session, typed in Paris time.
    page.goto("/secretariat/meetings")
    page.get_by_role("link", name="Programmer une séance").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmer une séance")
    page.get_by_label("Comité").select_option(label="Suivi de l'expérimentation (CST)")
    page.get_by_label("Titre").fill("Séance de juin — bilan à un an")
    page.get_by_label("Date", exact=True).fill("2030-06-06")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("17:00")
    page.get_by_label("Format").select_option(label="Hybride (sur place et à distance)")
    page.get_by_label("Lieu").fill("Salle du conseil, Saint-Denis")
    page.get_by_label("Lien de visioconférence").fill("https://visio.example.org/cst-juin")
    page.get_by_role("button", name="Enregistrer la séance").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Séance de juin — bilan à un an")
    expect(page.get_by_text("jeudi 6 juin 2030, 14:00 – 17:00")).to_be_visible()
    meeting = db.session.execute(select(Meeting)).scalar_one()
    assert meeting.starts_at == datetime(2030, 6, 6, 12, 0, tzinfo=UTC)

    # Convene it.
    page.get_by_role("link", name="Convocations").click()
    page.get_by_role("button", name="Envoyer les convocations").click()
    expect(
        page.get_by_text("3 convocations ont été placées dans la boîte d'envoi.")
    ).to_be_visible()

    db.session.expire_all()
    recipients = db.session.execute(select(OutboxMessage.recipient)).scalars().all()
    assert sorted(recipients) == sorted(email for *_, email in MEMBERS)
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.CONVENED
