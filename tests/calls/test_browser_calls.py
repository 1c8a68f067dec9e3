"""Browser journey: a stakeholder registers, confirms, submits a contribution with a PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from committees.calls.models import Contribution
from tests.support.calls import make_call
from tests.support.helpers import delivered_text, outbox

pytestmark = pytest.mark.browser

PASSWORD = "une phrase de passe assez longue"
_CONFIRM = re.compile(r"https?://[^/\s]+(/register/confirm/\S+)")


def test_a_stakeholder_registers_confirms_and_gets_a_receipt(page, db, tmp_path):
    call = make_call(reference="AMI-2022")
    pdf = tmp_path / "contribution.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

    page.goto("/register")
    page.get_by_label("Nom et prénom").fill("Claire Dupont")
    page.get_by_label("Adresse électronique").fill("claire.dupont@example.org")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label("J'ai lu la notice").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("main")).to_contain_text("Consultez votre messagerie")

    [message] = outbox(db)
    link = _CONFIRM.search(delivered_text(message))
    assert link, delivered_text(message)
    page.goto(link.group(1))

    page.goto(f"/calls/{call.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    page.get_by_role("link", name="Déposer une contribution").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Adresse électronique").fill("claire.dupont@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer une contribution")
    page.get_by_label("Organisation", exact=True).fill("Coopérative Chanvre du Berry")
    page.get_by_label("Type d'organisation").select_option("farmer")
    page.get_by_label("Numéro SIREN (facultatif)").fill("732829320")
    page.get_by_label("Personne à contacter", exact=True).fill("Claire Dupont")
    page.get_by_label("Fonction de la personne à contacter").fill("Directrice")
    page.get_by_label("Culture et récolte").check()
    page.get_by_label("Texte de la contribution").fill(
        "Nous cultivons du chanvre depuis vingt ans."
    )
    page.get_by_label("Pièces jointes").set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer la contribution").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Contribution reçue")
    expect(page.locator("#receipt")).to_have_text("AMI-2022-0001")
    db.session.expire_all()
    contribution = db.session.execute(select(Contribution)).scalar_one()
    assert contribution.receipt == "AMI-2022-0001"
    assert [a.filename for a in contribution.attachments] == ["contribution.pdf"]
