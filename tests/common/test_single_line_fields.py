"""One-line fields refuse control characters everywhere they are typed, and writers never
fail on values stored before that rule (issue 19, row 5)."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from html import unescape

from flask_wtf import FlaskForm
from sqlalchemy import func, select

from committees.bodies.importing.services import parse_members_csv
from committees.common.forms import AppForm
from committees.mail.delivery import deliver_pending
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.mail.transports import FileTransport, MessageRefusedError
from committees.meetings.conduct.convocations import convene
from committees.meetings.models import Meeting
from tests.support.convocations import build_session, sign_in_secretariat
from tests.support.helpers import post_form, text_of
from tests.support.meetings import make_committee

MESSAGE_FR = "Ce champ tient sur une ligne"
MESSAGE_EN = "This field holds one line"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_application_checks_its_one_line_fields(app):
    forms = [c for c in _subclasses(FlaskForm) if c.__module__.startswith("committees.")]

    assert len(forms) > 40
    assert [f"{c.__module__}.{c.__name__}" for c in forms if not issubclass(c, AppForm)] == []


def _session_form(committee_id: int, **overrides) -> dict:
    return {
        "committee_id": str(committee_id),
        "title": "Séance plénière",
        "day": "2030-05-02",
        "start_time": "14:00",
        "end_time": "17:00",
        "format": "hybrid",
        "place": "Salle 1, Saint-Denis",
        "remote_link": "https://visio.example.org/cst",
        "visibility": "public",
        "recording_link": "",
        **overrides,
    }


def _field_errors(response, name: str) -> str:
    """The start of the error shown under field ``name``."""
    html = response.get_data(as_text=True)
    errors = re.search(rf'id="{name}-errors">(.*?)</ul>', html, re.S)
    assert errors, f"no error under {name}"
    text = unescape(re.sub(r"<[^>]+>", " ", errors.group(1))).strip()
    return text[: len(MESSAGE_FR if text.startswith("Ce") else MESSAGE_EN)]


def test_a_line_feed_in_a_session_title_is_refused_with_the_message(client, db, secretariat):
    committee = make_committee(db)

    response = post_form(
        client,
        "/secretariat/meetings/new",
        _session_form(committee.id, title="Séance\nBEGIN:VALARM", place="Salle\r1"),
    )

    assert response.status_code == 422
    assert _field_errors(response, "title") == _field_errors(response, "place") == MESSAGE_FR
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_a_tab_or_a_del_is_refused_too_and_the_message_is_in_english_on_english_pages(
    client, db, secretariat
):
    committee = make_committee(db)

    response = post_form(
        client,
        "/secretariat/meetings/new?lang=en",
        _session_form(committee.id, title="Séance\tplénière", place="Salle\x7f1"),
    )

    assert response.status_code == 422
    assert _field_errors(response, "title") == _field_errors(response, "place") == MESSAGE_EN
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_the_member_import_refuses_a_line_break_in_a_quoted_cell(db):
    committee = make_committee(db)
    text = (
        "civilite;titre;prenom;nom;email;affiliation;qualification;role;vote;debut;fin\n"
        'Mme;Pr;Claire;"Martin\nBEGIN:VALARM";claire.martin@chu.example;CHU;;membre;oui;'
        "17/02/2022;\n"
    )

    preview = parse_members_csv(text, committee)

    assert not preview.is_valid
    assert [(issue.column, MESSAGE_FR in issue.message) for issue in preview.errors] == [
        ("nom", True)
    ]


class _Refusing:
    """A mail server that refuses every message for good (a 554)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def send(self, email, *, sender, recipient, outbox_id):
        raise MessageRefusedError("554 5.7.1 Message refusé par le serveur", permanent=True)


def test_a_convocation_for_a_title_stored_with_a_line_feed_is_delivered(app, db, tmp_path):
    s = build_session(db)
    s.meeting.title = "Séance du jour\nBcc: everyone@example.org"
    db.session.commit()
    convene(s.meeting)
    db.session.commit()

    report = deliver_pending(FileTransport(tmp_path))

    assert (report.sent, report.failed) == (5, 0)
    for path in tmp_path.glob("*.eml"):
        email = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert email["Subject"] == "Convocation : Séance du jour Bcc: everyone@example.org"
        assert email["Bcc"] is None


def test_a_convocation_that_failed_for_good_shows_as_failed_with_its_reason(
    app, db, client, make_user
):
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    deliver_pending(_Refusing(), limit=1)
    sign_in_secretariat(client, make_user)

    page = text_of(client.get(f"/secretariat/meetings/{s.meeting.id}/convocations"))

    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED.value)
    ).all()
    assert len(failed) == 1
    assert "1 convocation n'a pas pu être envoyée" in page
    assert page.count("échec de l'envoi") == 1
    assert "554 5.7.1 Message refusé par le serveur" in page
    assert page.count("en attente d'envoi") == 4
