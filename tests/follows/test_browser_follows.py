"""Browser journey: a visitor follows a committee, confirms by e-mail, is told of a
publication and unsubscribes in one click; every e-mail goes through a real SMTP server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committees.follows.models import Follower
from committees.meetings.agenda.services import publish_agenda
from tests.support.calls import make_committee, make_meeting
from tests.support.follows import CONFIRM_LINK, UNSUBSCRIBE_LINK, link_in
from tests.support.helpers import count_rows

pytestmark = pytest.mark.browser


def _send_mail(app) -> None:
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output


def test_a_visitor_follows_confirms_receives_a_publication_and_unsubscribes(
    page, app, db, smtp_server, live_server, monkeypatch
):
    # The links in the e-mails lead to the server the browser talks to.
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    committee = make_committee("Culture en France du cannabis à usage médical")
    page.goto(f"/committees/{committee.slug}")
    follow = page.get_by_role("region", name="Suivre")
    follow.get_by_label("Votre adresse électronique").fill("journaliste@presse.example")
    follow.get_by_label("Un résumé par semaine").check()
    follow.get_by_label("Un e-mail à chaque publication").check()
    follow.get_by_role("button", name="Suivre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")

    _send_mail(app)
    (confirmation,) = smtp_server.messages
    assert confirmation["To"] == "journaliste@presse.example"
    page.goto(link_in(confirmation.get_body(("plain",)).get_content(), CONFIRM_LINK))
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abonnement confirmé")

    meeting = make_meeting(committee)
    publish_agenda(meeting)
    db.session.commit()
    _send_mail(app)
    news = smtp_server.messages[-1]
    assert news["Subject"].startswith("Ordre du jour publié : Ordre du jour de la séance")
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = news.get_body(("plain",)).get_content()
    assert f"/meetings/{meeting.id}" in body

    unsubscribe = link_in(body, UNSUBSCRIBE_LINK)
    assert news["List-Unsubscribe"] == f"<{unsubscribe}>"
    page.goto(unsubscribe)
    page.get_by_role("button", name="Confirmer le désabonnement").click()
    expect(page.get_by_role("main")).to_contain_text("Vous êtes désabonné·e")
    assert count_rows(db, Follower) == 0
