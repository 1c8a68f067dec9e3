"""The secretariat's outbox screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from committees.auth.models import Role
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.mail.services import OUTBOX_PAGE_SIZE, queue_message
from tests.support.helpers import DEFAULT_PASSWORD, login, post_form, text_of


@pytest.fixture
def secretariat_client(client, secretariat):
    """``client``, signed in as the secretariat."""
    return client


def queue(db, recipient="membre@example.org", subject="Convocation", **changes) -> OutboxMessage:
    message = queue_message(
        recipient,
        subject,
        "Vous êtes convoqué(e) à la séance du 4 mai 2022.",
        kind="convocation",
        attachments=[("seance.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")],
    )
    for name, value in changes.items():
        setattr(message, name, value)
    db.session.commit()
    return message


def test_secretariat_sees_the_outbox_with_paris_times(db, secretariat_client):
    queue(
        db,
        status=OutboxStatus.SENT.value,
        attempts=1,
        created_at=datetime(2022, 3, 1, 10, 15, tzinfo=UTC),
        sent_at=datetime(2022, 7, 1, 8, 30, tzinfo=UTC),
    )
    queue(
        db,
        recipient="expert@example.org",
        subject="Rappel",
        status=OutboxStatus.FAILED.value,
        attempts=8,
        last_error="550 5.1.1 Mailbox does not exist",
    )

    response = secretariat_client.get("/outbox/")

    assert response.status_code == 200
    page = text_of(response)
    assert "membre@example.org Convocation convocation Envoyé 1" in page
    assert "01/03/2022 11:15" in page  # winter: UTC+1
    assert "01/07/2022 10:30" in page  # summer: UTC+2
    assert (
        "expert@example.org Rappel convocation En échec 8 550 5.1.1 Mailbox does not exist" in page
    )


def test_outbox_filters_by_status(db, secretariat_client):
    queue(db, subject="Déjà parti", status=OutboxStatus.SENT.value)
    queue(db, subject="Bloqué", status=OutboxStatus.FAILED.value)

    page = text_of(secretariat_client.get("/outbox/?status=failed"))

    assert "Bloqué" in page
    assert "Déjà parti" not in page
    assert "En échec (1)" in page
    assert "Tous (2)" in page


def test_outbox_is_paginated(db, secretariat_client, count_queries):
    for n in range(OUTBOX_PAGE_SIZE + 1):
        queue_message(f"p{n}@example.org", f"Message numéro {n}", "Texte")
    db.session.commit()

    with count_queries() as queries:
        first = secretariat_client.get("/outbox/")
    second = secretariat_client.get("/outbox/?page=2")

    assert "Message numéro 50" in text_of(first)
    assert "Message numéro 0 " not in text_of(first)
    assert "Page suivante" in text_of(first)
    assert "Message numéro 0" in text_of(second)
    assert "Page 2 sur 2" in text_of(second)
    assert len(queries) <= 6  # session user, counts, page count, page rows: not one per row


def test_message_page_shows_body_and_attachments(db, secretariat_client):
    message = queue(db)

    response = secretariat_client.get(f"/outbox/{message.id}")

    page = text_of(response)
    assert response.status_code == 200
    assert "Vous êtes convoqué(e) à la séance du 4 mai 2022." in page
    assert "seance.ics (text/calendar; method=REQUEST, 17 octets)" in page
    assert "Réessayer maintenant" in page


def test_retry_now_puts_a_failed_message_back_in_the_queue(db, secretariat_client):
    message = queue(db, status=OutboxStatus.FAILED.value, attempts=8, last_error="421 try later")

    response = post_form(
        secretariat_client, f"/outbox/{message.id}/retry", {}, form_url=f"/outbox/{message.id}"
    )

    assert response.status_code == 303
    db.session.expire_all()
    retried = db.session.get(OutboxMessage, message.id)
    assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 0)
    assert retried.next_attempt_at <= datetime.now(UTC)
    assert "En attente" in text_of(secretariat_client.get(response.headers["Location"]))


def test_a_sent_message_cannot_be_retried(db, secretariat_client):
    message = queue(db, status=OutboxStatus.SENT.value, attempts=1)
    pending = queue(db, recipient="autre@example.org")

    response = post_form(
        secretariat_client, f"/outbox/{message.id}/retry", {}, form_url=f"/outbox/{pending.id}"
    )

    assert response.status_code == 409
    assert "Ce message a déjà été envoyé" in text_of(response)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.SENT


def test_retry_without_csrf_token_is_refused(db, secretariat_client):
    message = queue(db, status=OutboxStatus.FAILED.value, attempts=8)

    response = secretariat_client.post(f"/outbox/{message.id}/retry")

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.FAILED


def test_unknown_message_is_404(secretariat_client):
    assert secretariat_client.get("/outbox/999999").status_code == 404


def test_member_is_forbidden(client, db, make_user):
    message = queue(db)
    member = make_user(Role.MEMBER)
    login(client, member.email, DEFAULT_PASSWORD)

    assert client.get("/outbox/").status_code == 403
    assert client.get(f"/outbox/{message.id}").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    message = queue(db)

    listing = client.get("/outbox/")
    # A valid CSRF token (from the sign-in page) so that the permission check is what answers.
    retry = post_form(client, f"/outbox/{message.id}/retry", {}, form_url="/login")

    assert listing.status_code == 302
    assert listing.headers["Location"].startswith("/login")
    assert retry.status_code == 302
    assert retry.headers["Location"].startswith("/login")
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.PENDING
