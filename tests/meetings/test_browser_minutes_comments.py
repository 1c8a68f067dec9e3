"""Browser journey: a member comments on a section of the draft minutes; the secretariat
revises the text and marks the comment taken into account; the member sees it processed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committees.meetings.models import MinutesStatus
from tests.support.helpers import DEFAULT_PASSWORD
from tests.support.minutes import minutes_at

pytestmark = pytest.mark.browser

COMMENT = "L'association a demandé un accès élargi, pas exclusif."


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")


def test_a_member_comments_and_sees_the_comment_processed_in_the_next_revision(
    page, browser, live_server, db, held
):
    minutes_at(db, held, MinutesStatus.SENT)
    minutes_url = f"/my/meetings/{held.meeting.id}/minutes"

    _sign_in(page, held.member.email)
    page.goto(minutes_url)
    comments = page.get_by_role("region", name="Observations")
    comments.get_by_label("Section du compte rendu").select_option(
        label="2. Audition des associations"
    )
    comments.get_by_label("Votre observation").fill(COMMENT)
    comments.get_by_role("button", name="Envoyer l'observation").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre observation est enregistrée")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("En attente de traitement par le secrétariat.")

    office = browser.new_context(base_url=live_server, locale="fr-FR").new_page()
    office.set_default_timeout(10_000)
    _sign_in(office, held.secretariat.email)
    office.goto(f"/secretariat/meetings/{held.meeting.id}/minutes")
    beside = office.get_by_role("region", name="Observations des participants")
    expect(beside).to_contain_text(COMMENT)
    office.get_by_role("link", name="Modifier le texte").click()
    body = office.get_by_label("2. Audition des associations", exact=True)
    body.fill(body.input_value() + "\n\nL'association demande un accès élargi.\n")
    office.get_by_label("Note de version").fill("observation d'Anne Martin")
    office.get_by_role("button", name="Enregistrer une nouvelle version").click()
    beside = office.get_by_role("region", name="Observations des participants")
    beside.get_by_label("Prise en compte dans la version").select_option(label="Version 3")
    beside.get_by_role("button", name="Enregistrer le traitement").click()
    expect(office.get_by_role("status").first).to_contain_text("L'observation est traitée.")

    page.goto(minutes_url)
    expect(page.get_by_role("main")).to_contain_text("version 3")
    expect(page.get_by_role("region", name="Observations")).to_contain_text(
        "Prise en compte dans la version 3."
    )
