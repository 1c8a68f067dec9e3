"""Browser journey: a member answers a convocation from their dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from committees.auth.models import Role
from committees.meetings.conduct.convocations import convene
from committees.meetings.models import Attendance
from tests.support.convocations import build_session
from tests.support.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_a_member_answers_the_convocation(page, live_server, db, make_user):
    s = build_session(db)
    convene(s.meeting)
    member = s.members[1]
    user = make_user(Role.MEMBER, email="bruno.bernard@prive.example.net")
    member.person.user_id = user.id
    db.session.commit()

    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")

    panel = page.get_by_role("region", name="Convocations à répondre")
    expect(panel).to_contain_text(s.meeting.title)
    panel.get_by_role("button", name="À distance").click()

    expect(page.get_by_text("a été enregistrée : Présent·e à distance")).to_be_visible()
    expect(page.get_by_role("region", name="Convocations à répondre")).to_have_count(0)
    db.session.expire_all()
    row = db.session.execute(
        select(Attendance).where(Attendance.mandate_id == member.id)
    ).scalar_one()
    assert row.response == "remote"
    assert row.responded_at is not None
