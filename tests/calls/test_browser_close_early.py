"""Browser journey (issue 20): the secretariat closes a call before its deadline, with a
reason; the contributor is told and every page gives the actual closing date."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committees.auth.models import Role
from committees.common.timeutils import utcnow
from tests.support.calls import contribute, make_call, make_committee
from tests.support.helpers import DEFAULT_PASSWORD, outbox

pytestmark = pytest.mark.browser


def test_the_secretariat_closes_a_call_early_with_a_reason(page, db, make_user):
    secretariat = make_user(Role.SECRETARIAT, email="secretariat@ansm.example")
    contributor = make_user(Role.CONTRIBUTOR, email="claire@example.org")
    call = make_call(make_committee())
    contribute(call, contributor, now=utcnow())

    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(secretariat.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")

    page.goto(f"/secretariat/calls/{call.id}")
    page.get_by_role("link", name="Clore l'appel avant la date limite…").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("1 contributeur recevra un courriel avec le motif.")
    page.get_by_role("button", name="Clore l'appel maintenant").click()
    expect(main).to_contain_text("Indiquez pourquoi l'appel est clos avant sa date limite.")

    page.get_by_label("Motif de la clôture anticipée").fill("Le comité avance sa séance.")
    page.get_by_role("button", name="Clore l'appel maintenant").click()
    expect(main).to_contain_text("1 contributeur en est informé par courriel.")
    expect(main).to_contain_text("(avant la date limite du")
    expect(page.get_by_role("link", name="Rédiger la synthèse de la consultation")).to_be_visible()
    expect(page.get_by_role("button", name="Publier l'appel")).to_have_count(0)

    page.goto(f"/calls/{call.id}")
    expect(page.get_by_role("main")).to_contain_text("Clos le ")
    notices = [m for m in outbox(db) if m.kind == "calls_closed_early"]
    assert [m.recipient for m in notices] == ["claire@example.org"]
    assert "Le comité avance sa séance." in notices[0].body_text
