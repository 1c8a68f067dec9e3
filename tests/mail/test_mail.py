"""Outbox delivery over a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from committees.auth.models import Role, User
from committees.auth.services import create_user
from committees.mail.delivery import build_email, deliver_pending
from committees.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from committees.mail.services import queue_message
from committees.mail.transports import SMTPTransport, transport_from_config
from tests.support.smtp import free_port

pytestmark = pytest.mark.smtp

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nPRODID:-//ANSM//committees//FR\r\n"
    b"BEGIN:VEVENT\r\nUID:seance-2022-05-04@ansm.example\r\nSUMMARY:S\xc3\xa9ance du CST\r\n"
    b"DTSTART:20220504T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def smtp_transport(app, **overrides) -> SMTPTransport:
    return SMTPTransport.from_config({**app.config, **overrides})


def queue_invitation(db, recipient: str = "membre@example.org") -> OutboxMessage:
    message = queue_message(
        recipient,
        "Convocation : séance du 4 mai 2022",
        "Madame, Monsieur,\nVous êtes convoqué(e) à la séance du 4 mai 2022.",
        body_html="<p>Vous êtes <strong>convoqué(e)</strong> à la séance du 4 mai 2022.</p>",
        kind="convocation",
        attachments=[("seance.ics", "text/calendar; method=REQUEST", ICS)],
    )
    db.session.commit()
    return message


def row(db, message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_queued_message_is_received_with_headers_parts_and_attachment(app, db, smtp_server):
    message = queue_invitation(db)

    report = deliver_pending(transport_from_config(app.config))

    assert (report.sent, report.failed, report.deferred, report.pending) == (1, 0, 0, 0)
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert smtp_server.envelopes[0].rcpt_tos == ["membre@example.org"]
    assert smtp_server.envelopes[0].mail_from == "comites@ansm.example"
    assert received["From"] == "Secrétariat des comités <comites@ansm.example>"
    assert received["To"] == "membre@example.org"
    assert received["Subject"] == "Convocation : séance du 4 mai 2022"
    assert received["Message-ID"] == message.message_id
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Date"].datetime == message.created_at.replace(microsecond=0)
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert "Vous êtes convoqué(e) à la séance du 4 mai 2022." in text.get_content()
    assert "<strong>convoqué(e)</strong>" in html.get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "seance.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_payload(decode=True) == ICS

    sent = row(db, message.id)
    assert sent.status == OutboxStatus.SENT
    assert sent.attempts == 1
    assert sent.sent_at is not None
    assert sent.last_error is None


def test_build_email_without_html_is_plain_text(app, db):
    message = queue_message("a@example.org", "Bonjour", "Texte seul.")
    db.session.commit()

    email = build_email(message, app.config["MAIL_DEFAULT_SENDER"])

    assert email.get_content_type() == "text/plain"
    assert email.get_content().strip() == "Texte seul."


def test_server_down_keeps_message_pending_then_delivers_it_exactly_once(app, db, smtp_server):
    message = queue_invitation(db)
    before = datetime.now(UTC)

    report = deliver_pending(smtp_transport(app, MAIL_PORT=free_port()))

    assert report.server_unreachable
    assert (report.sent, report.deferred, report.pending) == (0, 1, 1)
    waiting = row(db, message.id)
    assert waiting.status == OutboxStatus.PENDING
    assert waiting.attempts == 1
    assert "127.0.0.1" in waiting.last_error
    assert waiting.next_attempt_at > before
    assert len(smtp_server.messages) == 0

    # The server is back, but the backoff has not elapsed yet: nothing is tried.
    report = deliver_pending(transport_from_config(app.config))
    assert (report.sent, report.pending) == (0, 1)

    later = waiting.next_attempt_at + timedelta(seconds=1)
    report = deliver_pending(transport_from_config(app.config), now=later)
    again = deliver_pending(transport_from_config(app.config), now=later + timedelta(hours=1))

    assert (report.sent, report.pending) == (1, 0)
    assert again.sent == 0
    assert len(smtp_server.messages) == 1
    delivered = row(db, message.id)
    assert delivered.status == OutboxStatus.SENT
    assert delivered.attempts == 2
    assert delivered.sent_at == later


def test_server_down_stops_the_run_after_the_first_message(app, db):
    first = queue_message("a@example.org", "Premier", "1")
    second = queue_message("b@example.org", "Second", "2")
    db.session.commit()

    report = deliver_pending(smtp_transport(app, MAIL_PORT=free_port()))

    assert report.server_unreachable
    assert (report.sent, report.failed, report.deferred, report.pending) == (0, 0, 1, 2)
    assert row(db, first.id).attempts == 1
    untouched = row(db, second.id)
    assert (untouched.attempts, untouched.last_error) == (0, None)


def test_backoff_doubles_then_message_fails_after_max_attempts(app, db, smtp_server):
    app.config["MAIL_MAX_ATTEMPTS"], saved = 3, app.config["MAIL_MAX_ATTEMPTS"]
    try:
        message = queue_message("a@example.org", "Relance", "Texte")
        db.session.commit()
        down = smtp_transport(app, MAIL_PORT=free_port())
        now = datetime.now(UTC) + timedelta(minutes=1)
        delays = []
        for _ in range(2):
            deliver_pending(down, now=now)
            due = row(db, message.id).next_attempt_at
            delays.append((due - now).total_seconds())
            now = due
        report = deliver_pending(down, now=now)
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = saved

    base = app.config["MAIL_RETRY_BASE_SECONDS"]
    assert delays == [base, 2 * base]
    assert report.failed == 1
    failed = row(db, message.id)
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 3)
    assert failed.last_error

    # Failed messages are kept, and skipped until someone asks for a retry.
    assert deliver_pending(transport_from_config(app.config)).sent == 0
    report = deliver_pending(transport_from_config(app.config), retry_failed=True)

    assert report.sent == 1
    assert [m["Subject"] for m in smtp_server.messages] == ["Relance"]
    assert row(db, message.id).status == OutboxStatus.SENT


def test_backoff_is_capped_at_six_hours(app, db):
    message = queue_message("a@example.org", "Relance", "Texte")
    message.attempts = 20
    db.session.commit()
    now = datetime.now(UTC) + timedelta(minutes=1)
    app.config["MAIL_MAX_ATTEMPTS"], saved = 50, app.config["MAIL_MAX_ATTEMPTS"]
    try:
        deliver_pending(smtp_transport(app, MAIL_PORT=free_port()), now=now)
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = saved

    assert row(db, message.id).next_attempt_at == now + timedelta(hours=6)


def test_limit_caps_the_number_of_messages_sent(app, db, smtp_server):
    for n in range(3):
        queue_message(f"p{n}@example.org", f"Message {n}", "Texte")
    db.session.commit()

    report = deliver_pending(transport_from_config(app.config), limit=2)

    assert (report.sent, report.pending) == (2, 1)
    # Oldest first.
    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0", "Message 1"]


def test_message_written_in_a_rolled_back_transaction_is_never_queued(app, db):
    create_user("nouveau@example.org", "Nouvelle Personne", "a long enough password", Role.MEMBER)
    queue_message("nouveau@example.org", "Bienvenue", "Votre compte est créé.")
    db.session.flush()

    db.session.rollback()

    assert db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar() == 0
    assert db.session.execute(select(func.count()).select_from(OutboxAttachment)).scalar() == 0
    assert db.session.execute(select(func.count()).select_from(User)).scalar() == 0


def test_a_message_locked_by_another_sender_is_skipped(app, db, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) exist on PostgreSQL only")
    busy = queue_message("busy@example.org", "Pris par un autre envoi", "1")
    free = queue_message("free@example.org", "Libre", "2")
    db.session.commit()

    with db.engine.connect() as other_sender:
        other_sender.execute(
            select(OutboxMessage.id).where(OutboxMessage.id == busy.id).with_for_update()
        )
        report = deliver_pending(transport_from_config(app.config))
        other_sender.rollback()

    assert (report.sent, report.pending) == (1, 1)
    assert [m["To"] for m in smtp_server.messages] == ["free@example.org"]
    assert row(db, busy.id).status == OutboxStatus.PENDING
    assert row(db, free.id).status == OutboxStatus.SENT
