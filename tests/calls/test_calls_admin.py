"""The secretariat's call screens: create, edit, validate, publish, close."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.models import Call
from committees.common import filestore
from tests.support.calls import IN_2022, make_call, make_committee, make_meeting, pdf_bytes
from tests.support.helpers import count_rows, csrf_token_from, errors_beside, text_of


def _form(committee, **overrides) -> dict:
    data = {
        "committee_id": str(committee.id),
        "meeting_id": "",
        "reference": "AMI-2022",
        "title": "Appel à manifestation d'intérêt — filière du cannabis médical",
        "body": "Les acteurs de la **future filière** sont invités à contribuer.",
        "audience": "economic_operators",
        "opens_at": "2022-03-15T09:00",
        "closes_at": "2022-04-20T23:59",
        "themes": "Culture et production de la plante\n\nFabrication du médicament\n",
        "max_attachments": "3",
        "max_attachment_mb": "10",
        "allowed_types": ["pdf", "odt"],
        "contributions_publishable": "y",
        "hearing_offer": "Jusqu'à 6 contributeurs entendus par visioconférence",
    }
    data.update(overrides)
    return data


#: a day the sessions offered by the new-call form come after (they are upcoming ones)
UPCOMING = date(2030, 5, 7)


def _post(client, url, data):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def _files_on_disk(app) -> list:
    root = app.config["UPLOAD_FOLDER"]
    import os

    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


def test_creating_a_call_stores_paris_times_in_utc(client, db, secretariat):
    committee = make_committee()
    meeting = make_meeting(committee, day=UPCOMING)  # the form offers upcoming sessions

    response = _post(client, "/secretariat/calls/new", _form(committee, meeting_id=str(meeting.id)))

    assert response.status_code == 302
    call = db.session.execute(select(Call)).scalar_one()
    # 09:00 and 23:59 in Paris, summer time from 27 March 2022: +01:00 then +02:00
    assert call.opens_at == datetime(2022, 3, 15, 8, 0, tzinfo=UTC)
    assert call.closes_at == datetime(2022, 4, 20, 21, 59, tzinfo=UTC)
    assert call.status == "draft"
    assert call.meeting_id == meeting.id
    assert call.themes == "Culture et production de la plante\nFabrication du médicament"
    assert call.allowed_types == "pdf,odt"
    assert call.max_attachment_bytes == 10 * 1024 * 1024
    page = text_of(client.get(response.headers["Location"]))
    assert "AMI-2022" in page
    assert "20 avril 2022" in page
    assert "23:59" in page
    assert "Brouillon" in page


def test_closing_before_opening_is_refused_beside_the_field(client, db, secretariat):
    committee = make_committee()

    response = _post(
        client,
        "/secretariat/calls/new",
        _form(committee, opens_at="2022-04-20T09:00", closes_at="2022-04-19T09:00"),
    )

    assert response.status_code == 422
    assert "La clôture doit suivre l'ouverture." in errors_beside(response, "closes_at")
    assert 'value="Appel à manifestation' in response.get_data(as_text=True)
    assert count_rows(db, Call) == 0


def test_a_reference_already_used_is_refused(client, db, secretariat):
    committee = make_committee()
    make_call(committee, reference="AMI-2022")

    response = _post(client, "/secretariat/calls/new", _form(committee, reference="ami-2022"))

    assert response.status_code == 422
    assert "déjà utilisée" in errors_beside(response, "reference")
    assert count_rows(db, Call) == 1


def test_a_template_that_is_not_an_office_file_is_refused_and_not_stored(
    client, db, app, secretariat
):
    committee = make_committee()
    data = _form(committee, template=(io.BytesIO(b"just text, not a PDF"), "modele.pdf"))

    response = _post(client, "/secretariat/calls/new", data)

    assert response.status_code == 422
    assert "PDF, ODT ou DOCX" in errors_beside(response, "template")
    assert count_rows(db, Call) == 0
    assert _files_on_disk(app) == []


def test_a_pdf_template_is_stored_and_downloadable(client, db, secretariat):
    committee = make_committee()
    content = pdf_bytes("modèle")
    data = _form(committee, template=(io.BytesIO(content), "../../Modèle de contribution.pdf"))

    response = _post(client, "/secretariat/calls/new", data)

    assert response.status_code == 302
    call = db.session.execute(select(Call)).scalar_one()
    assert call.template_filename == "Modèle de contribution.pdf"
    assert filestore.read_bytes(call.template_sha256) == content
    download = client.get(f"/secretariat/calls/{call.id}/template")
    assert download.status_code == 200
    assert download.data == content


def test_a_session_of_another_committee_is_refused(client, db, secretariat):
    committee = make_committee()
    other = make_committee("Suivi de l'expérimentation")
    meeting = make_meeting(other, day=UPCOMING)

    response = _post(client, "/secretariat/calls/new", _form(committee, meeting_id=str(meeting.id)))

    assert response.status_code == 422
    assert "séance du comité" in errors_beside(response, "meeting_id")
    assert count_rows(db, Call) == 0


def test_no_file_type_checked_is_refused_when_files_are_allowed(client, db, secretariat):
    committee = make_committee()
    data = _form(committee)
    data.pop("allowed_types")

    response = _post(client, "/secretariat/calls/new", data)

    assert response.status_code == 422
    assert "au moins un type" in errors_beside(response, "allowed_types")
    assert count_rows(db, Call) == 0


def test_editing_keeps_the_times_and_changes_the_deadline(client, db, secretariat):
    committee = make_committee()
    call = make_call(committee, publish=False, **IN_2022)
    form_page = client.get(f"/secretariat/calls/{call.id}/edit")
    html = form_page.get_data(as_text=True)
    assert 'value="2022-03-15T09:00"' in html
    assert 'value="2022-04-20T23:59"' in html

    response = _post(
        client, f"/secretariat/calls/{call.id}/edit", _form(committee, closes_at="2022-04-27T12:00")
    )

    assert response.status_code == 302
    db.session.refresh(call)
    assert call.closes_at == datetime(2022, 4, 27, 10, 0, tzinfo=UTC)


def test_publish_then_close(client, db, secretariat):
    committee = make_committee()
    call = make_call(committee, publish=False)  # open a week either side of now
    detail = f"/secretariat/calls/{call.id}"
    token = csrf_token_from(client.get(detail).get_data(as_text=True))

    assert client.post(f"{detail}/publish", data={"csrf_token": token}).status_code == 302
    db.session.refresh(call)
    assert call.status == "published"
    assert call.published_at is not None

    close = {"csrf_token": token, "reason": "Le comité avance sa séance."}
    assert client.post(f"{detail}/close", data=close).status_code == 302
    db.session.refresh(call)
    assert call.status == "closed"
    assert "Clos" in text_of(client.get("/secretariat/calls"))


@pytest.mark.parametrize(
    "url", ["/secretariat/calls", "/secretariat/calls/new", "/secretariat/calls/1"]
)
def test_contributors_cannot_reach_the_secretariat_screens(client, signed_in, url):
    signed_in(Role.CONTRIBUTOR)
    assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/secretariat/calls")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
