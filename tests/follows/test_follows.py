"""Follow by e-mail: double opt-in, one e-mail per publication, digests, one-click unsubscribe."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.closing_notices import announce_closing_calls
from committees.common.timeutils import utcnow
from committees.decisions.models import DecisionKind
from committees.decisions.services import create_decision, publish_decision, record_concerns
from committees.follows.dispatch import dispatch_pending, send_digests
from committees.follows.models import Follower, FollowEvent
from committees.mail.delivery import deliver_pending
from committees.mail.transports import transport_from_config
from committees.meetings.agenda.services import publish_agenda
from tests.support.calls import make_call, make_committee, make_meeting
from tests.support.follows import CONFIRM_LINK, UNSUBSCRIBE_LINK, link_in, make_follower
from tests.support.helpers import (
    count_rows,
    csrf_token_from,
    delivered_text,
    errors_beside,
    open_session,
    outbox,
    post_form,
    text_of,
)


def _follow(client, committee, *, prefix="", **data):
    """Fill the "Suivre" box of the committee's page (a visitor's has no CSRF token)."""
    page = client.get(f"{prefix}/committees/{committee.slug}").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="{prefix}/suivre".*?</form>', page, re.S)[0]
    fields = {"scope": f"committee:{committee.id}", "frequency": "immediate", **data}
    if "csrf_token" in form:
        fields["csrf_token"] = csrf_token_from(form)
    return client.post(f"{prefix}/suivre", data=fields)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_anonymous_follow_is_confirmed_by_the_link_then_gets_one_email_per_publication(
    app, db, client
):
    committee = make_committee("Culture du cannabis médical")
    page = client.get(f"/committees/{committee.slug}")
    assert "Suivre" in text_of(page)

    answer = _follow(client, committee, email="  Lecteur@Exemple.org ")
    assert answer.status_code == 200
    assert "Vérifiez votre messagerie" in text_of(answer)
    (confirmation,) = outbox(db)
    assert confirmation.recipient == "lecteur@exemple.org"
    assert "Culture du cannabis médical" in confirmation.subject

    # Nothing is sent before the confirmation.
    meeting = make_meeting(committee)
    publish_agenda(meeting)
    db.session.commit()
    dispatch_pending()
    assert len(outbox(db)) == 1

    link = _path(link_in(delivered_text(confirmation), CONFIRM_LINK))
    # Opening the link (as a mail gateway's link scanner does) confirms nothing.
    shown = client.get(link)
    assert "Confirmer mon abonnement" in text_of(shown)
    assert db.session.execute(select(Follower.confirmed_at)).scalar_one() is None
    confirmed = post_form(client, link, {})
    assert confirmed.status_code == 200
    assert "Abonnement confirmé" in text_of(confirmed)

    other = make_meeting(committee, hearing_item=False)
    publish_agenda(other)
    db.session.commit()
    report = dispatch_pending()
    assert (report.events, report.queued) == (1, 1)
    message = outbox(db)[-1]
    assert message.recipient == "lecteur@exemple.org"
    assert message.subject.startswith(
        "Ordre du jour publié : Ordre du jour de la séance du 04/05/2022"
    )
    assert f"/meetings/{other.id}" in message.body_text
    assert message.unsubscribe_url == link_in(message.body_text, UNSUBSCRIBE_LINK)

    # Publishing the same agenda again announces nothing new.
    publish_agenda(other)
    db.session.commit()
    assert dispatch_pending().queued == 0


def test_the_delivered_email_carries_rfc_8058_headers_and_one_click_works(
    app, db, client, smtp_server
):
    committee = make_committee()
    follower = make_follower("presse@journal.example", committee=committee)
    publish_agenda(make_meeting(committee))
    db.session.commit()
    dispatch_pending()
    report = deliver_pending(transport_from_config(app.config))
    assert report.sent == 1
    (email,) = smtp_server.messages
    url = f"http://localhost/suivre/desabonnement/{follower.unsubscribe_token}"
    assert email["List-Unsubscribe"] == f"<{url}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The mail client's POST: no session, no CSRF token, just the RFC 8058 body.
    answer = client.post(_path(url), data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "Vous êtes désabonné" in text_of(answer)
    assert count_rows(db, Follower) == 0


def test_unsubscribe_link_shows_a_confirmation_page_and_unknown_tokens_say_so(app, db, client):
    committee = make_committee()
    follower = make_follower("a@exemple.org", committee=committee)
    page = client.get(f"/suivre/desabonnement/{follower.unsubscribe_token}")
    assert page.status_code == 200
    assert "Confirmer le désabonnement" in text_of(page)
    assert count_rows(db, Follower) == 1  # a GET (a link scanner) unsubscribes nobody

    unknown = client.get("/suivre/desabonnement/not-a-token")
    assert unknown.status_code == 404
    assert "aucun abonnement" in text_of(unknown)
    again = client.post("/suivre/desabonnement/" + "x" * 300)
    assert again.status_code == 200
    assert "aucun abonnement" in text_of(again)


def test_bad_inputs_get_clear_messages_and_write_nothing(app, db, client):
    committee = make_committee()
    invalid = _follow(client, committee, email="pas-une-adresse")
    assert invalid.status_code == 422
    assert "n'est pas valide" in errors_beside(invalid, "email")
    missing = _follow(client, committee, email="")
    assert missing.status_code == 422
    assert "Indiquez votre adresse" in errors_beside(missing, "email")
    wrong_frequency = _follow(client, committee, email="a@exemple.org", frequency="hourly")
    assert wrong_frequency.status_code == 422
    unknown_scope = _follow(client, committee, email="a@exemple.org", scope="committee:999999")
    assert unknown_scope.status_code == 404
    nonsense_scope = _follow(client, committee, email="a@exemple.org", scope="'; drop")
    assert nonsense_scope.status_code == 404
    forged = client.get("/suivre/confirmer/forged.token.value")
    assert forged.status_code == 404
    assert "Lien de confirmation invalide" in text_of(forged)
    assert count_rows(db, Follower) == 0
    assert outbox(db) == []


def test_asking_again_for_a_followed_address_tells_nothing_and_keeps_one_row(app, db, client):
    committee = make_committee()
    make_follower("deja@exemple.org", committee=committee)
    answer = _follow(client, committee, email="deja@exemple.org")
    assert answer.status_code == 200
    assert "Vérifiez votre messagerie" in text_of(answer)
    assert count_rows(db, Follower) == 1


def test_a_signed_in_person_follows_in_one_click_and_stops(app, db, client, make_user):
    committee = make_committee()
    user = make_user(Role.MEMBER, email="membre@exemple.org")
    open_session(client, user)
    answer = _follow(client, committee, next=f"/committees/{committee.slug}")
    assert answer.status_code == 302
    follower = db.session.execute(select(Follower)).scalar_one()
    assert (follower.email, follower.user_id) == ("membre@exemple.org", user.id)
    assert follower.confirmed_at is not None
    assert outbox(db) == []  # no confirmation needed
    # Subscribed at once, hence a CSRF token for signed-in people.
    forged = client.post("/suivre", data={"scope": "calls", "frequency": "immediate"})
    assert forged.status_code == 400
    assert count_rows(db, Follower) == 1

    page = client.get(f"/committees/{committee.slug}")
    assert "Ne plus suivre" in text_of(page)
    stop = post_form(
        client,
        "/suivre/arreter",
        {"scope": f"committee:{committee.id}"},
        form_url=f"/committees/{committee.slug}",
    )
    assert stop.status_code == 302
    assert count_rows(db, Follower) == 0


def test_one_email_per_address_and_event_in_the_followers_language(app, db):
    committee = make_committee()
    make_follower("both@exemple.org", committee=committee)
    make_follower("both@exemple.org", scope="calls")
    make_follower("en@example.org", scope="calls", locale="en")
    make_follower("pending@exemple.org", scope="calls", confirmed=False)
    make_follower("weekly@exemple.org", scope="calls", frequency="weekly")
    make_follower("other@exemple.org", committee=make_committee())
    call = make_call(committee, publish=False)
    from committees.calls.administration.services import publish_call

    publish_call(call)
    db.session.commit()
    assert dispatch_pending(batch_size=1).queued == 2
    by_address = {m.recipient: m for m in outbox(db)}
    assert set(by_address) == {"both@exemple.org", "en@example.org"}
    assert by_address["both@exemple.org"].subject.startswith("Appel à contributions ouvert : ")
    assert by_address["en@example.org"].subject.startswith("Call for contributions opened: ")
    event = db.session.execute(select(FollowEvent)).scalar_one()
    assert event.dispatched_at is not None


def test_decisions_reach_the_decision_followers_and_the_committee_concerned(app, db):
    committee = make_committee()
    make_follower("decisions@exemple.org", scope="decisions")
    make_follower("comite@exemple.org", committee=committee)
    make_follower("calls@exemple.org", scope="calls")
    decision = create_decision(
        number="2022-30",
        title="Nomination des membres",
        kind=DecisionKind.NOMINATION,
        signed_on=date(2022, 2, 17),
    )
    record_concerns(decision, committee)
    publish_decision(decision)
    db.session.commit()
    dispatch_pending()
    assert {m.recipient for m in outbox(db)} == {"decisions@exemple.org", "comite@exemple.org"}
    assert "/decisions/2022-30" in outbox(db)[0].body_text


def test_calls_closing_within_a_week_are_announced_once(app, db):
    make_follower("calls@exemple.org", scope="calls")
    soon = make_call(closes_at=utcnow() + timedelta(days=5))
    make_call(closes_at=utcnow() + timedelta(days=20))
    make_call(closes_at=utcnow() + timedelta(days=3), publish=False)
    assert announce_closing_calls() == 1
    assert announce_closing_calls() == 0
    dispatch_pending()
    (message,) = outbox(db)
    assert message.subject.startswith("Appel à contributions : clôture dans 7 jours")
    assert soon.reference in message.subject


def test_weekly_followers_get_one_digest_of_their_scope(app, db):
    committee = make_committee()
    weekly = make_follower("hebdo@exemple.org", committee=committee, frequency="weekly")
    weekly.digest_until = utcnow() - timedelta(days=8)
    db.session.commit()
    publish_agenda(make_meeting(committee))
    make_call(make_committee())  # another committee's call: not in this digest
    db.session.commit()
    dispatch_pending()
    assert outbox(db) == []
    assert send_digests() == 1
    (digest,) = outbox(db)
    assert digest.subject == "Les publications de la semaine sur les comités"
    assert "Ordre du jour publié — Ordre du jour de la séance" in digest.body_text
    assert digest.unsubscribe_url
    assert send_digests() == 0  # the next one is due in a week


def test_addresses_appear_only_on_the_admin_list(app, db, client, make_user):
    committee = make_committee()
    make_follower("secret.follower@exemple.org", committee=committee)
    make_follower("secret.calls@exemple.org", scope="calls")
    for url in (f"/committees/{committee.slug}", "/calls", "/decisions", "/feed.atom"):
        page = client.get(url)
        assert "secret." not in page.get_data(as_text=True), url
    open_session(client, make_user(Role.SECRETARIAT))
    assert client.get("/admin/abonnes").status_code == 403
    admin_client = app.test_client()
    open_session(admin_client, make_user(Role.ADMIN))
    listing = text_of(admin_client.get("/admin/abonnes"))
    assert "secret.follower@exemple.org" in listing
    assert "secret.calls@exemple.org" in listing


def test_the_follow_form_in_english_sends_an_english_confirmation_and_keeps_the_frequency(
    app, db, client
):
    committee = make_committee()
    answer = _follow(
        client,
        committee,
        prefix="/en",
        scope="decisions",
        frequency="weekly",
        email="reader@example.org",
    )
    assert "Check your mailbox" in text_of(answer)
    (confirmation,) = outbox(db)
    assert confirmation.subject == "Confirm your subscription: the decisions"
    link = link_in(delivered_text(confirmation), CONFIRM_LINK)
    assert "/en/" not in link  # e-mails link to PUBLIC_BASE_URL, unprefixed
    post_form(client, _path(link), {})
    follower = db.session.execute(select(Follower)).scalar_one()
    assert (follower.locale, follower.frequency, follower.scope) == ("en", "weekly", "decisions")
    assert follower.confirmed_at is not None


def test_follow_requests_from_one_address_are_throttled_by_the_setting(app, db, client):
    committee = make_committee("Culture du cannabis médical")
    previous = app.config["FOLLOW_LIMIT_PER_ADDRESS"]
    app.config["FOLLOW_LIMIT_PER_ADDRESS"] = "2 per hour"
    try:
        answers = [_follow(client, committee, email=f"l{n}@exemple.org") for n in range(3)]
    finally:
        app.config["FOLLOW_LIMIT_PER_ADDRESS"] = previous
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "Trop de tentatives" in text_of(answers[-1])
    assert len(outbox(db)) == 2  # the refused request sent nothing


def test_a_visitor_follows_without_any_cookie(app, db):
    """The pages with the "Suivre" box are kept by a shared cache: no session, no token; the
    confirmation e-mail (double opt-in) and the rate limit protect the form instead."""
    browser = app.test_client(use_cookies=False)
    committee = make_committee()
    page = browser.get(f"/en/committees/{committee.slug}")
    assert "Set-Cookie" not in page.headers
    assert "csrf_token" not in page.get_data(as_text=True)
    assert f'value="/en/committees/{committee.slug}"' in page.get_data(as_text=True)  # next

    answer = _follow(browser, committee, prefix="/en", email="reader@example.org")

    assert answer.status_code == 200
    assert "Check your mailbox" in text_of(answer)
    assert "Set-Cookie" not in answer.headers
    assert [m.recipient for m in outbox(db)] == ["reader@example.org"]
    errors = _follow(browser, committee, email="")
    assert errors.status_code == 422
    assert "Set-Cookie" not in errors.headers
