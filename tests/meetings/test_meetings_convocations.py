"""Convocations: messages received over real SMTP with their .ics, answers, cancellation.

``build_session`` (tests.support.convocations) sets up a committee with members, an invited
expert, a member without an e-mail and a convenable session with an agenda.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from committees.auth.models import Role, User
from committees.bodies.models import Mandate
from committees.common.timeutils import utcnow
from committees.mail.delivery import deliver_pending
from committees.mail.models import OutboxMessage
from committees.mail.transports import transport_from_config
from committees.meetings.conduct.answers import hash_token
from committees.meetings.conduct.convocations import cancel_and_notify, convene
from committees.meetings.models import (
    Attendance,
    Meeting,
    MeetingStatus,
)
from committees.meetings.scheduling.services import update_meeting
from tests.support.convocations import REMOTE_LINK, build_session, sign_in_secretariat
from tests.support.helpers import DEFAULT_PASSWORD, csrf_token_from, login, post_form, text_of


def deliver(app):
    """Send the outbox to the loopback SMTP server."""
    return deliver_pending(transport_from_config(app.config))


def ics_of(message) -> tuple[Calendar, object]:
    [attachment] = list(message.iter_attachments())
    return Calendar.from_ical(attachment.get_payload(decode=True)), attachment


def answer_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/convocations/\S+", text).group(0)


# --- sending --------------------------------------------------------------------------


@pytest.mark.smtp
def test_convocations_are_received_over_smtp_one_per_participant_with_their_ics(
    app, db, smtp_server
):
    s = build_session(db)
    report = convene(s.meeting)
    db.session.commit()

    assert report.sent == 5  # four members and the expert; the member without e-mail is left out
    assert [p.mandate.id for p in report.without_email] == [s.without_email.id]
    assert deliver(app).sent == 5
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == s.emails

    for address, message in received.items():
        assert message["Subject"] == f"Convocation : {s.meeting.title}"
        text = message.get_body(preferencelist=("plain",)).get_content()
        # the whole agenda, closed item included, and the practical details
        for item in s.items:
            assert item.title in text
        assert "(huis clos)" in text
        assert "14:00" in text
        assert "ANSM, salle 1, Saint-Denis" in text
        assert REMOTE_LINK in text
        assert "/convocations/" in text
        calendar, attachment = ics_of(message)
        assert attachment.get_filename() == "invitation.ics"
        assert attachment.get_content_type() == "text/calendar"
        assert attachment.get_param("method") == "REQUEST"
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.events
        assert str(event["UID"]) == s.meeting.uid
        assert int(event["SEQUENCE"]) == s.meeting.sequence == 0
        assert event.start.hour == 14
        assert str(event.start.tzinfo) == "Europe/Paris"
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
        assert [str(a) for a in event.attendees] == [f"mailto:{address}"]
        assert str(event["ORGANIZER"]) == "mailto:comites@ansm.example"
        # nobody else's address anywhere in the message
        raw = message.as_bytes().decode("utf-8", "replace")
        assert all(other not in raw for other in s.emails - {address})

    db.session.expire_all()
    meeting = db.session.get(Meeting, s.meeting.id)
    assert meeting.status == MeetingStatus.CONVENED
    assert meeting.convened_at is not None
    rows = db.session.execute(select(Attendance)).scalars().all()
    assert len(rows) == 6  # everyone expected has a row, for the attendance screen
    hashed = [r.response_token_hash for r in rows if r.convened_at]
    assert len(hashed) == 5
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashed)
    token = answer_link(received[s.members[0].person.email]).rsplit("/", 1)[1]
    assert hash_token(token) in hashed
    assert token not in hashed


@pytest.mark.smtp
def test_the_answer_link_records_the_answer_and_can_change_it(app, db, client, smtp_server):
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    deliver(app)
    message = next(m for m in smtp_server.messages if m["To"] == s.members[1].person.email)
    link = answer_link(message)
    path = link.split("localhost", 1)[1]

    page = client.get(path)
    assert page.status_code == 200
    assert s.meeting.title in text_of(page)
    assert "pas encore de réponse" in text_of(page)
    response = post_form(client, path, {"response": "remote"}, follow_redirects=True)
    assert "Votre réponse a été enregistrée : Présent·e à distance." in text_of(response)
    response = post_form(client, path, {"response": "excused"}, follow_redirects=True)
    assert "Excusé·e" in text_of(response)

    db.session.expire_all()
    row = db.session.execute(
        select(Attendance).where(Attendance.mandate_id == s.members[1].id)
    ).scalar_one()
    assert row.response == "excused"
    assert row.responded_at is not None


def test_an_unknown_token_gets_the_invalid_link_page(client, db):
    response = client.get("/convocations/not-a-real-token")
    assert response.status_code == 404
    assert "Lien invalide" in text_of(response)


def test_an_answer_after_the_start_is_refused_and_nothing_changes(app, db, client):
    s = build_session(db)
    convene(s.meeting)
    token = "known-token-for-the-test"
    row = db.session.execute(
        select(Attendance).where(Attendance.mandate_id == s.members[0].id)
    ).scalar_one()
    row.response_token_hash = hash_token(token)
    db.session.commit()
    page = client.get(f"/convocations/{token}")
    csrf = csrf_token_from(page.get_data(as_text=True))
    # the session starts while the page is open
    s.meeting.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()

    response = client.post(
        f"/convocations/{token}", data={"csrf_token": csrf, "response": "attending"}
    )

    assert response.status_code == 422
    assert "La séance a commencé : il n'est plus possible de répondre" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Attendance, row.id).response is None


@pytest.mark.smtp
def test_sending_again_after_a_change_uses_the_new_sequence_and_new_links(
    app, db, client, smtp_server
):
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    deliver(app)
    first = next(m for m in smtp_server.messages if m["To"] == s.members[0].person.email)
    old_path = answer_link(first).split("localhost", 1)[1]
    post_form(client, old_path, {"response": "attending"})

    assert update_meeting(s.meeting, place="ANSM, salle 2, Saint-Denis")
    convene(s.meeting)
    db.session.commit()
    smtp_server.messages.clear()
    deliver(app)

    second = next(m for m in smtp_server.messages if m["To"] == s.members[0].person.email)
    calendar, _attachment = ics_of(second)
    [event] = calendar.events
    assert str(event["UID"]) == s.meeting.uid
    assert int(event["SEQUENCE"]) == 1
    text = second.get_body(preferencelist=("plain",)).get_content()
    assert "remplace les précédentes" in text
    assert "Votre réponse actuelle : Présent·e sur place" in text
    assert client.get(old_path).status_code == 404
    assert client.get(answer_link(second).split("localhost", 1)[1]).status_code == 200


@pytest.mark.smtp
def test_cancelling_sends_method_cancel_with_the_same_uid_and_a_higher_sequence(
    app, db, client, smtp_server
):
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    deliver(app)
    request_sequence = int(ics_of(smtp_server.messages[0])[0].events[0]["SEQUENCE"])
    old_path = answer_link(smtp_server.messages[0]).split("localhost", 1)[1]
    smtp_server.messages.clear()

    assert cancel_and_notify(s.meeting, "Quorum impossible à réunir") == 5
    db.session.commit()
    assert deliver(app).sent == 5

    assert {m["To"] for m in smtp_server.messages} == s.emails
    for message in smtp_server.messages:
        assert message["Subject"] == f"Annulation : {s.meeting.title}"
        assert "Quorum impossible à réunir" in message.get_body(("plain",)).get_content()
        calendar, attachment = ics_of(message)
        assert attachment.get_param("method") == "CANCEL"
        assert str(calendar["METHOD"]) == "CANCEL"
        [event] = calendar.events
        assert str(event["UID"]) == s.meeting.uid
        assert int(event["SEQUENCE"]) > request_sequence
        assert str(event["STATUS"]) == "CANCELLED"
    assert client.get(old_path).status_code == 404


# --- the secretariat's screen ----------------------------------------------------------


def test_the_convocation_screen_lists_participants_and_sends(app, db, client, make_user):
    s = build_session(db)
    sign_in_secretariat(client, make_user)
    url = f"/secretariat/meetings/{s.meeting.id}/convocations"

    page = text_of(client.get(url))
    assert "6 participants attendus" in page
    assert "Yves Ysansmail" in page
    assert "manquante" in page
    assert "Xavier Zexpert" in page

    response = post_form(client, url, {}, follow_redirects=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "5 convocations ont été placées dans la boîte d'envoi." in page
    assert "Sans adresse e-mail, non convoqué·es : Yves Ysansmail." in page
    recipients = db.session.execute(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "meeting_convocation")
    ).scalars()
    assert set(recipients) == s.emails


def test_convening_a_cancelled_session_is_refused_and_nothing_is_queued(app, db, client, make_user):
    s = build_session(db)
    url = f"/secretariat/meetings/{s.meeting.id}/convocations"
    sign_in_secretariat(client, make_user)
    page = client.get(url)
    s.meeting.status = MeetingStatus.CANCELLED.value
    db.session.commit()

    response = client.post(url, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})

    assert response.status_code == 422
    assert "Une séance annulée ou reportée ne peut pas être convoquée." in text_of(response)
    assert db.session.execute(select(func.count(OutboxMessage.id))).scalar() == 0
    assert db.session.execute(select(func.count(Attendance.id))).scalar() == 0


def test_only_the_secretariat_opens_the_conduct_screens(db, client, make_user):
    s = build_session(db)
    base = f"/secretariat/meetings/{s.meeting.id}"
    urls = [
        f"{base}/convocations",
        f"{base}/attendance",
        f"{base}/conflicts",
        f"{base}/items/{s.items[1].id}/vote",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    member = make_user(Role.MEMBER)
    login(client, member.email, DEFAULT_PASSWORD)
    for url in urls:
        assert client.get(url).status_code == 403


def test_query_count_of_the_convocation_screen_does_not_grow(
    app, db, client, make_user, count_queries
):
    small = build_session(db, members=2, slug="petit")
    large = build_session(db, members=12, slug="grand")
    for s in (small, large):
        convene(s.meeting)
    db.session.commit()
    sign_in_secretariat(client, make_user)

    counts = []
    for s in (small, large):
        with count_queries() as queries:
            assert (
                client.get(f"/secretariat/meetings/{s.meeting.id}/convocations").status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- answering from the dashboard ------------------------------------------------------


def linked_member(db, make_user, mandate: Mandate) -> User:
    """Give the member of ``mandate`` an account tied to their person."""
    user = make_user(Role.MEMBER, email=f"compte.{mandate.person.email or mandate.id}")
    mandate.person.user_id = user.id
    db.session.commit()
    return user


def test_a_member_answers_from_the_dashboard(app, db, client, make_user):
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    user = linked_member(db, make_user, s.members[2])
    login(client, user.email, DEFAULT_PASSWORD)

    dashboard = text_of(client.get("/dashboard"))
    assert "Convocations à répondre" in dashboard
    assert s.meeting.title in dashboard

    response = post_form(
        client,
        f"/my/meetings/{s.meeting.id}/answer",
        {"response": "attending"},
        form_url="/dashboard",
        follow_redirects=True,
    )
    page = text_of(response)
    assert f"Votre réponse à la convocation « {s.meeting.title} » a été enregistrée" in page
    assert "Convocations à répondre" not in page  # nothing left to answer
    db.session.expire_all()
    row = db.session.execute(
        select(Attendance).where(Attendance.mandate_id == s.members[2].id)
    ).scalar_one()
    assert row.response == "attending"


def test_a_member_not_expected_cannot_answer(app, db, client, make_user):
    s = build_session(db)
    other = build_session(db, slug="autre-comite", email_domain="autre.example")
    convene(s.meeting)
    db.session.commit()
    user = linked_member(db, make_user, other.members[0])
    login(client, user.email, DEFAULT_PASSWORD)

    response = post_form(
        client, f"/my/meetings/{s.meeting.id}/answer", {"response": "remote"}, form_url="/dashboard"
    )

    assert response.status_code == 404
    assert (
        db.session.execute(
            select(func.count(Attendance.id)).where(Attendance.response.is_not(None))
        ).scalar()
        == 0
    )


def test_a_garbled_answer_is_refused(app, db, client, make_user):
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    user = linked_member(db, make_user, s.members[0])
    login(client, user.email, DEFAULT_PASSWORD)

    response = post_form(
        client, f"/my/meetings/{s.meeting.id}/answer", {"response": "maybe"}, form_url="/dashboard"
    )

    assert response.status_code == 422
    assert "Réponse non enregistrée" in text_of(response)
    assert (
        db.session.execute(
            select(func.count(Attendance.id)).where(Attendance.response.is_not(None))
        ).scalar()
        == 0
    )


def test_each_member_s_kept_convocations_are_their_own(app, db, client, make_user):
    # The panel is kept for each member (its forms' tokens put back for each request):
    # one member's answer empties her panel only.
    s = build_session(db)
    convene(s.meeting)
    db.session.commit()
    first = linked_member(db, make_user, s.members[1])
    second = linked_member(db, make_user, s.members[2])
    other = app.test_client()
    login(client, first.email, DEFAULT_PASSWORD)
    login(other, second.email, DEFAULT_PASSWORD)
    assert "Convocations à répondre" in text_of(client.get("/dashboard"))
    assert "Convocations à répondre" in text_of(other.get("/dashboard"))

    post_form(
        client,
        f"/my/meetings/{s.meeting.id}/answer",
        {"response": "excused"},
        form_url="/dashboard",
    )

    assert "Convocations à répondre" not in text_of(client.get("/dashboard"))
    assert "Convocations à répondre" in text_of(other.get("/dashboard"))
