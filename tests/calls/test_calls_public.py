"""Public call pages: the list, a call's page, its template, the published contributions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from committees.auth.models import Role
from committees.calls.models import CallStatus, ContributionStatus
from committees.calls.rules import time_left_text
from committees.calls.submission.services import ContributionData, Upload, submit_contribution
from committees.common import filestore
from committees.common.timeutils import utcnow
from tests.support.calls import docx_bytes, make_call, pdf_bytes
from tests.support.helpers import open_session, text_of


def _contribution(call, user, key, **fields):
    values = {
        "organisation": "Laboratoire Phytopharma",
        "organisation_kind": "pharmaceutical_establishment",
        "contact_name": "Hélène Contact-Privé",
        "contact_function": "Responsable affaires réglementaires",
        "text": "Nous proposons une filière intégrée.",
        "themes": ["Contrôle de la qualité"],
        "consent_publication": True,
    }
    values.update(fields)
    return submit_contribution(
        call, user, ContributionData(**values), [Upload("dossier.pdf", pdf_bytes(key))], key
    )


def test_time_left_reads_naturally():
    assert time_left_text(timedelta(days=3, hours=4, minutes=30)) == "Il reste 3 jours et 4 heures"
    assert time_left_text(timedelta(days=1)) == "Il reste 1 jour"
    assert time_left_text(timedelta(hours=5, minutes=2)) == "Il reste 5 heures et 2 minutes"
    assert time_left_text(timedelta(minutes=1, seconds=10)) == "Il reste 1 minute"
    assert time_left_text(timedelta(seconds=20)) == "Il reste moins d'une minute"


def test_the_list_shows_open_calls_first_then_past_ones(client, db):
    now = utcnow()
    make_call(
        title="Appel clos en 2022",
        closes_at=now - timedelta(days=30),
        opens_at=now - timedelta(days=60),
    )
    make_call(title="Appel ouvert", closes_at=now + timedelta(days=3, hours=4, minutes=30))
    make_call(title="Appel en brouillon", status=CallStatus.DRAFT.value)
    make_call(title="Appel fermé par le secrétariat", status=CallStatus.CLOSED.value)
    page = text_of(client.get("/calls"))
    assert "Appel en brouillon" not in page
    open_part, past_part = page.split("Appels clos", 1)
    assert "Appel ouvert" in open_part
    assert "Il reste 3 jours et 4 heures" in open_part
    assert "Appel clos en 2022" in past_part
    assert "Appel fermé par le secrétariat" in past_part


def test_the_list_costs_a_bounded_number_of_queries(client, db, count_queries):
    for _ in range(3):
        make_call()
    with count_queries() as few:
        client.get("/calls")
    for _ in range(12):
        make_call()
    with count_queries() as many:
        response = client.get("/calls")
    assert response.status_code == 200
    assert len(many) == len(few)


def test_a_call_page_says_everything_a_contributor_needs(client, db):
    call = make_call(
        opens_at=datetime(2022, 3, 1, 8, 0, tzinfo=UTC),
        closes_at=utcnow() + timedelta(days=2, hours=1, minutes=10),
        audience="economic_operators",
        max_attachments=2,
        max_attachment_bytes=5 * 1024 * 1024,
    )
    response = client.get(f"/calls/{call.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert call.committee.name_fr in page
    assert "<strong>future filière</strong>" in html  # Markdown rendered
    assert "Opérateurs économiques" in page
    assert "1er mars 2022, 09:00 (heure de Paris)" in page
    assert "Il reste 2 jours et 1 heure" in page
    assert "Culture et récolte" in page
    assert "Contrôle de la qualité" in page
    assert "2 au plus, 5 Mo au plus chacune" in page
    assert "PDF, ODT, DOCX" in page
    assert "visioconférence le 4 mai 2022" in page
    assert "peuvent être publiées" in page
    # An anonymous visitor is offered to sign in (then back to the form) or register.
    assert f"/login?next=/calls/{call.id}/contribute" in html
    assert "Créer un compte contributeur" in page


def test_a_signed_in_contributor_is_led_to_the_form(client, make_user):
    call = make_call()
    open_session(client, make_user(Role.CONTRIBUTOR))
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'href="/calls/{call.id}/contribute"' in html


def test_a_closed_call_says_so_and_offers_no_button(client):
    call = make_call(closes_at=utcnow() - timedelta(hours=1), opens_at=utcnow() - timedelta(days=9))
    page = text_of(client.get(f"/calls/{call.id}"))
    assert "L'appel est clos." in page
    assert "Déposer une contribution" not in page


def test_a_draft_call_is_not_public(client):
    call = make_call(status=CallStatus.DRAFT.value)
    assert client.get(f"/calls/{call.id}").status_code == 404
    assert client.get(f"/calls/{call.id}/template").status_code == 404
    assert client.get("/calls/999999").status_code == 404


def test_the_template_is_downloaded_under_its_original_name(client, db):
    with filestore.staged_files():
        digest = filestore.store_bytes(docx_bytes())
    call = make_call(template_sha256=digest, template_filename="Modèle de contribution.docx")
    page = client.get(f"/calls/{call.id}")
    assert f"/calls/{call.id}/template" in page.get_data(as_text=True)
    response = client.get(f"/calls/{call.id}/template")
    assert response.status_code == 200
    assert response.data == docx_bytes()
    assert "wordprocessingml" in response.mimetype
    assert "Mod%C3%A8le%20de%20contribution.docx" in response.headers["Content-Disposition"]


def test_the_public_sees_only_consented_published_contributions_without_personal_data(
    client, db, make_user
):
    call = make_call()
    author = make_user(Role.CONTRIBUTOR, email="auteur.prive@example.org")
    shown = _contribution(call, author, "published-consented-key")
    unpublished = _contribution(call, author, "not-yet-published-key", organisation="Ferme Cachée")
    refused = _contribution(
        call,
        author,
        "no-consent-given-key",
        organisation="Société Discrète",
        consent_publication=False,
    )
    withdrawn = _contribution(call, author, "withdrawn-after-key", organisation="Retirée SA")
    now = utcnow()
    for contribution in (shown, refused, withdrawn):
        contribution.published_at = now
    withdrawn.status = ContributionStatus.WITHDRAWN.value
    db.session.commit()

    response = client.get(f"/calls/{call.id}")
    page = text_of(response)
    assert "Contributions publiées" in page
    assert "Laboratoire Phytopharma" in page
    assert "Établissement pharmaceutique" in page
    assert "Nous proposons une filière intégrée." in page
    assert "Contrôle de la qualité" in page
    for hidden in ("Ferme Cachée", "Société Discrète", "Retirée SA"):
        assert hidden not in page
    for personal in ("Hélène Contact-Privé", "Responsable affaires réglementaires", "auteur.prive"):
        assert personal not in response.get_data(as_text=True)

    base = f"/calls/{call.id}/contributions"
    ok = client.get(f"{base}/{shown.id}/attachments/{shown.attachments[0].id}")
    assert ok.status_code == 200
    assert ok.data == pdf_bytes("published-consented-key")
    for other in (unpublished, refused, withdrawn):
        assert (
            client.get(f"{base}/{other.id}/attachments/{other.attachments[0].id}").status_code
            == 404
        )
    # An attachment id that belongs to another contribution is not served either.
    assert (
        client.get(f"{base}/{shown.id}/attachments/{unpublished.attachments[0].id}").status_code
        == 404
    )


def test_contributions_vanish_when_the_call_stops_allowing_publication(client, db, make_user):
    """The public page and the download follow the one rule of calls.services."""
    call = make_call()
    shown = _contribution(call, make_user(Role.CONTRIBUTOR), "published-then-hidden-key")
    shown.published_at = utcnow()
    db.session.commit()
    download = f"/calls/{call.id}/contributions/{shown.id}/attachments/{shown.attachments[0].id}"
    assert "Laboratoire Phytopharma" in text_of(client.get(f"/calls/{call.id}"))
    assert client.get(download).status_code == 200

    call.contributions_publishable = False
    db.session.commit()

    page = text_of(client.get(f"/calls/{call.id}"))
    assert "Laboratoire Phytopharma" not in page
    assert "Contributions publiées" not in page
    assert client.get(download).status_code == 404


def test_the_published_contributions_are_paginated_in_bounded_queries(
    client, db, make_user, count_queries
):
    call = make_call(max_attachments=1)
    author = make_user(Role.CONTRIBUTOR)
    for n in range(22):
        contribution = _contribution(
            call, author, f"paginated-key-{n:04d}", organisation=f"Org {n}"
        )
        contribution.published_at = utcnow()
    db.session.commit()
    client.get(f"/calls/{call.id}")  # warm-up: templates compiled, user loaded once

    with count_queries() as first:
        page_one = text_of(client.get(f"/calls/{call.id}"))
    with count_queries() as second:
        page_two = text_of(client.get(f"/calls/{call.id}?page=2"))

    assert "Org 0 " in page_one
    assert "Org 19 " in page_one
    assert "Org 20 " not in page_one
    assert "Org 20 " in page_two
    assert "Org 21 " in page_two
    assert "Org 0 " not in page_two
    # Twenty contributions cost what two cost: no query per contribution or file.
    assert len(first) == len(second)
