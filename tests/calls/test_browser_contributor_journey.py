"""Browser journey: a stakeholder's PDF survives a wrong SIREN, the text keeps its line
breaks, and a withdrawal is confirmed first, then undone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.models import Contribution
from tests.support.calls import make_call
from tests.support.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_a_stakeholder_corrects_the_siren_withdraws_and_undoes(page, db, make_user, tmp_path):
    call = make_call(reference="AMI-2022")
    make_user(Role.CONTRIBUTOR, email="claire@example.org", full_name="Claire Dupont")
    pdf = tmp_path / "contribution.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

    page.goto("/login")
    page.get_by_label("Adresse électronique").fill("claire@example.org")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/calls/{call.id}/contribute")
    page.get_by_label("Organisation", exact=True).fill("Coopérative Chanvre du Berry")
    page.get_by_label("Type d'organisation").select_option("farmer")
    page.get_by_label("Numéro SIREN (facultatif)").fill("732829321")  # wrong check digit
    page.get_by_label("Personne à contacter", exact=True).fill("Claire Dupont")
    page.get_by_label("Texte de la contribution").fill("Première ligne\nDeuxième ligne")
    page.get_by_label("Pièces jointes").set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer la contribution").click()

    expect(page.get_by_role("main")).to_contain_text("chiffre de contrôle")
    expect(page.locator("#kept-files")).to_contain_text("contribution.pdf")
    page.get_by_label("Numéro SIREN (facultatif)").fill("732829320")
    page.get_by_role("button", name="Déposer la contribution").click()
    expect(page.get_by_role("main")).to_contain_text("AMI-2022-0001")

    contribution = db.session.scalar(select(Contribution))
    assert [a.filename for a in contribution.attachments] == ["contribution.pdf"]
    page.goto(f"/my/contributions/{contribution.id}")
    text = page.locator(".contribution-text p").first
    # Shown on two lines, as typed.
    assert text.inner_text() == "Première ligne\nDeuxième ligne"

    page.get_by_role("link", name="Retirer la contribution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Retirer la contribution AMI-2022-0001 ?"
    )
    page.get_by_role("button", name="Confirmer le retrait").click()
    expect(page.get_by_role("main")).to_contain_text("Vous pouvez annuler ce retrait jusqu'au")
    page.get_by_role("button", name="Annuler le retrait").click()
    expect(page.get_by_role("main")).to_contain_text("Le retrait de la contribution AMI-2022-0001")
    expect(page.get_by_role("link", name="Retirer la contribution")).to_be_visible()
    assert re.search(r"/my/contributions/\d+$", page.url)
