"""Browser journey: the secretariat records and publishes a nomination; the public sees it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from committees.auth.models import Role
from committees.bodies.models import CommitteeKind
from committees.bodies.persons.services import create_person
from committees.bodies.services import create_committee
from committees.common.timeutils import utcnow
from tests.support.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_secretariat_records_a_nomination_and_the_public_sees_the_new_members(
    page, browser, live_server, db, make_user
):
    secretariat = make_user(Role.SECRETARIAT, email="secretariat@ansm.example")
    create_committee(
        kind=CommitteeKind.PERMANENT,
        name_fr="Pharmacovigilance et addictovigilance",
        acronym="CSP",
        slug="pharmacovigilance-addictovigilance",
        start_date=date(2022, 3, 1),
        published_at=utcnow(),
    )
    create_person(first_name="Claire", last_name="Martin", email="claire.martin@prive.example.net")
    create_person(first_name="Hugo", last_name="Petit", email="hugo.petit@prive.example.net")
    db.session.commit()

    # The secretariat signs in and records the decision.
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(secretariat.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")

    page.goto("/secretariat/decisions")
    page.get_by_role("link", name="Enregistrer une décision").click()
    page.get_by_label("Numéro de la décision").fill("2024-15")
    page.get_by_label("Titre").fill("Nomination des membres du CSP pharmacovigilance")
    page.get_by_label("Nature de la décision").select_option(label="Nomination")
    page.get_by_label("Date de signature").fill("2024-03-01")
    page.get_by_label("Résumé").fill("Le directeur général nomme deux membres.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Décision DG n°2024-15 du 01/03/2024")

    # Nomination: two lines, all mandates created in one step.
    page.get_by_role("link", name="Nomination", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nomination")
    page.get_by_label("Comité").select_option(label="Pharmacovigilance et addictovigilance (CSP)")
    page.get_by_label("Ligne 1 : personne").select_option(label="Martin Claire")
    page.get_by_label("Ligne 1 : rôle").select_option(label="Président·e")
    page.get_by_label("Ligne 2 : personne").select_option(label="Petit Hugo")
    page.get_by_label("Ligne 2 : rôle").select_option(
        label="Expert·e invité·e (sans voix délibérative)"
    )
    expect(page.get_by_label("Ligne 2 : début")).to_have_value("2024-03-01")
    page.get_by_role("button", name="Enregistrer les nominations").click()
    expect(page.get_by_role("status").first).to_contain_text("2 mandats créés")
    expect(page.get_by_role("main")).to_contain_text("Claire Martin")

    # Not public until published.
    anonymous = browser.new_context(base_url=live_server, locale="fr-FR")
    visitor = anonymous.new_page()
    visitor.set_default_timeout(10_000)
    response = visitor.goto("/decisions/2024-15")
    assert response.status == 404

    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("main")).to_contain_text("Publiée")

    # The public sees the decision and the new composition, without any e-mail address.
    visitor.goto("/decisions")
    visitor.get_by_role("link", name="Décision DG n°2024-15 du 01/03/2024").click()
    expect(visitor.get_by_role("main")).to_contain_text("Claire Martin")
    expect(visitor.get_by_role("main")).to_contain_text("Président·e")
    visitor.get_by_role("link", name="Pharmacovigilance et addictovigilance").first.click()
    expect(visitor).to_have_url(re.compile(r"/committees/pharmacovigilance-addictovigilance$"))
    composition = visitor.get_by_role("main")
    expect(composition).to_contain_text("Claire Martin")
    expect(composition).to_contain_text("Président·e")
    expect(composition).to_contain_text("Hugo Petit")
    assert "prive.example.net" not in visitor.content()
    anonymous.close()
