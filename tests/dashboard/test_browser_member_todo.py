"""Browser journey: a member reads her to-do list, opens her session from « Mes prochaines
séances » and changes her answer to the convocation there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committees.auth.models import Role
from committees.meetings.conduct.convocations import convene
from committees.meetings.minutes.services import send_for_comments
from committees.meetings.models import Minutes, MinutesStatus
from tests.support.convocations import build_session
from tests.support.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_a_member_answers_then_changes_her_answer(page, db, make_user):
    situation = build_session(db)
    user = make_user(Role.MEMBER, email="anne.account@example.org", full_name="Anne Aubry")
    situation.members[0].person.user_id = user.id
    convene(situation.meeting)
    minutes = Minutes(meeting=situation.meeting, status=MinutesStatus.DRAFT.value)
    db.session.add(minutes)
    db.session.flush()
    send_for_comments(minutes)
    db.session.commit()

    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    todo = page.get_by_role("region", name="À faire")
    expect(todo).to_contain_text("Comité cst-suivi — Observations sur le projet de compte rendu")
    upcoming = page.get_by_role("region", name="Mes prochaines séances")
    expect(upcoming).to_contain_text("Comité cst-suivi")
    upcoming.get_by_role("link", name=situation.meeting.title).click()

    answer = page.get_by_role("region", name="Ma convocation")
    expect(answer).to_contain_text("Répondre à la convocation :")
    answer.get_by_role("button", name="À distance").click()
    expect(page.get_by_role("region", name="Ma convocation")).to_contain_text(
        "Votre réponse : Présent·e à distance"
    )
    page.get_by_role("region", name="Ma convocation").get_by_role("button", name="Excusé·e").click()
    region = page.get_by_role("region", name="Ma convocation")
    expect(region).to_contain_text("Votre réponse : Excusé·e")
    expect(region.get_by_role("button", name="Excusé·e")).to_have_attribute("aria-pressed", "true")
