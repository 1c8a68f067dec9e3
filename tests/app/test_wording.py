"""Wording through Babel (issue 20): plurals, « 1er », sizes, elision, nested quotes, the
meeting cadence in English, and a List-Unsubscribe header readable in the .eml."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from committees import create_app
from committees.common.formats import day_text, nested_quotes, of
from committees.extensions import babel
from committees.extensions import db as _db
from committees.mail.delivery import build_email
from committees.mail.services import queue_message
from committees.mail.transports import FileTransport
from committees.meetings.conduct.services import record_presence
from committees.meetings.models import Presence
from tests.support.calls import make_call, make_committee
from tests.support.convocations import build_session, sign_in_secretariat
from tests.support.helpers import DEFAULT_PASSWORD, login, text_of

PO = "committees/translations/en/LC_MESSAGES/messages.po"


class _OwnContextClient(FlaskClient):
    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def english(app, tmp_path_factory):
    """A client of a second application reading the committed English catalogue."""
    directory = tmp_path_factory.mktemp("wording-translations")
    target = directory / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(PO, "rb") as source, (target / "messages.mo").open("wb") as handle:
        write_mo(handle, read_po(source))
    other = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "BABEL_TRANSLATION_DIRECTORIES": str(directory),
        }
    )
    with other.app_context():
        babel.domain_instance.cache.clear()
    yield _OwnContextClient(other, other.response_class, use_cookies=True)
    with other.app_context():
        babel.domain_instance.cache.clear()
        _db.engine.dispose()


def test_dates_elision_and_quotes():
    assert day_text(date(2022, 11, 1)) == "1er novembre 2022"
    assert day_text(date(2022, 11, 1), "full") == "mardi 1er novembre 2022"
    assert day_text(date(2022, 11, 11)) == "11 novembre 2022"
    assert day_text(date(2022, 11, 1), "short") == "01/11/2022"
    assert day_text(date(2022, 11, 1), "long", "en") == "November 1, 2022"
    assert of("Association Chanvre") == "d'Association Chanvre"
    assert of("Élan") == "d'Élan"
    assert of("Haute Autorité de santé") == "de Haute Autorité de santé"
    assert of("Phytopharma") == "de Phytopharma"
    assert of("Association Chanvre", "en") == "of Association Chanvre"
    assert nested_quotes("CSP « Pharmacovigilance »") == "CSP “Pharmacovigilance”"


def test_quorum_counts_agree_in_number(db, client, make_user):
    s = build_session(db, members=1, started=True)  # 2 voting members: Anne and Yves
    record_presence(s.meeting, {s.members[0].id: Presence.PRESENT})
    db.session.commit()
    sign_in_secretariat(client, make_user)
    page = text_of(client.get(f"/secretariat/meetings/{s.meeting.id}/attendance"))
    assert "1 membre votant présent sur 2, 2 requis" in page
    assert "membres votants" not in page.replace("des membres votants", "")
    assert "requis·es" not in page


def test_sizes_through_babel(db, client, secretariat, english):
    ten = make_call(make_committee(), max_attachment_bytes=10 * 1024 * 1024)
    one_and_half = make_call(make_committee(), max_attachment_bytes=3 * 512 * 1024)
    assert "10 Mo chacune" in text_of(client.get(f"/secretariat/calls/{ten.id}"))
    assert "1,5 Mo chacune" in text_of(client.get(f"/secretariat/calls/{one_and_half.id}"))
    assert "10.0" not in text_of(client.get(f"/secretariat/calls/{ten.id}"))
    login(english, secretariat.email, DEFAULT_PASSWORD)
    assert "10 MB each" in text_of(english.get(f"/secretariat/calls/{ten.id}?lang=en"))
    assert "1.5 MB each" in text_of(english.get(f"/secretariat/calls/{one_and_half.id}?lang=en"))


def test_the_cadence_is_translated_on_english_pages(db, english):
    from tests.support.meetings import make_committee as make_meeting_committee

    make_meeting_committee(
        db, name="Pharmacovigilance", slug="csp", meeting_cadence="Trimestrielle"
    )
    assert "Trimestrielle" in text_of(english.get("/committees/csp"))
    page = text_of(english.get("/committees/csp?lang=en"))
    assert "Quarterly" in page
    assert "Trimestrielle" not in page


def test_list_unsubscribe_stays_readable_in_the_eml(app, db, tmp_path):
    url = "http://127.0.0.1:5101/follows/unsubscribe/" + "t" * 120
    message = queue_message("a@example.org", "Lettre", "Texte", unsubscribe_url=url)
    db.session.commit()
    email = build_email(message, "Comites <noreply@example.org>")
    FileTransport(tmp_path).send(email, sender="noreply@example.org", recipient="a", outbox_id=1)
    (written,) = tmp_path.glob("*.eml")
    headers = written.read_bytes().decode().split("\n\n", 1)[0]
    assert f"List-Unsubscribe: <{url}>" in headers
    assert "=?utf-8?" not in headers


def test_a_committee_name_with_quotes_is_not_quoted_twice(db, client, make_user):
    s = build_session(db, members=1)
    s.committee.name_fr = "Comité scientifique permanent mixte « Pharmacovigilance »"
    db.session.commit()
    from committees.meetings.conduct.convocations import convene
    from tests.support.helpers import outbox

    convene(s.meeting)
    db.session.commit()
    body = outbox(db)[0].body_text
    assert "du comité « Comité scientifique permanent mixte “Pharmacovigilance” »" in body
    assert "» »" not in body
