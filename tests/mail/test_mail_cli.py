"""``flask send-mail`` through Flask's CLI runner."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from committees.mail import cli as mail_cli
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.mail.services import queue_message
from tests.support.smtp import free_port

pytestmark = pytest.mark.smtp


def statuses(db) -> list[tuple[str, str, int]]:
    db.session.expire_all()
    rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    return [(m.recipient, m.status, m.attempts) for m in rows]


def test_send_mail_sends_and_prints_the_summary(app, db, smtp_server):
    queue_message("a@example.org", "Premier", "1")
    queue_message("b@example.org", "Second", "2")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "sent 2, failed 0, deferred 0, pending 0" in result.output
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@example.org", "b@example.org"]


def test_send_mail_limit(app, db, smtp_server):
    for n in range(3):
        queue_message(f"p{n}@example.org", f"Message {n}", "Texte")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-mail", "--limit", "1"])

    assert "sent 1, failed 0, deferred 0, pending 2" in result.output
    assert len(smtp_server.messages) == 1


def test_send_mail_exits_non_zero_when_the_server_is_down(app, db, monkeypatch):
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    queue_message("a@example.org", "Premier", "1")
    queue_message("b@example.org", "Second", "2")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == mail_cli.EXIT_SERVER_UNREACHABLE
    assert "sent 0, failed 0, deferred 1, pending 2" in result.output
    assert "Mail server unreachable" in result.output
    assert statuses(db) == [
        ("a@example.org", OutboxStatus.PENDING, 1),
        ("b@example.org", OutboxStatus.PENDING, 0),
    ]


def test_send_mail_retry_failed(app, db, smtp_server):
    message = queue_message("a@example.org", "Relance", "1")
    message.status = OutboxStatus.FAILED.value
    message.attempts = 8
    db.session.commit()

    plain = app.test_cli_runner().invoke(args=["send-mail"])
    retried = app.test_cli_runner().invoke(args=["send-mail", "--retry-failed"])

    assert "sent 0, failed 0, deferred 0, pending 0" in plain.output
    assert "sent 1, failed 0, deferred 0, pending 0" in retried.output
    assert [m["Subject"] for m in smtp_server.messages] == ["Relance"]
    assert statuses(db) == [("a@example.org", OutboxStatus.SENT, 1)]


def test_send_mail_to_files(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    queue_message("a@example.org", "Premier", "1")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0
    assert [f.suffix for f in tmp_path.iterdir()] == [".eml"]


def test_send_mail_refuses_an_unknown_backend(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "pigeon")

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code != 0
    assert "MAIL_BACKEND must be 'smtp' or 'file', not 'pigeon'" in result.output


def test_send_mail_loop_keeps_polling_until_interrupted(app, db, smtp_server, monkeypatch):
    queue_message("a@example.org", "Premier", "1")
    db.session.commit()
    naps = []

    def nap(seconds: float) -> None:
        # The worker sleeps between polls; a message arrives during the first nap,
        # and the second one is interrupted like a Ctrl+C would.
        naps.append(seconds)
        if len(naps) == 1:
            queue_message("b@example.org", "Second", "2")
            db.session.commit()
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(mail_cli, "sleep", nap)

    result = app.test_cli_runner().invoke(args=["send-mail", "--loop", "--interval", "5"])

    assert result.exit_code == 0, result.output
    assert naps == [5, 5]
    assert [m["Subject"] for m in smtp_server.messages] == ["Premier", "Second"]
    assert "Stopped." in result.output
