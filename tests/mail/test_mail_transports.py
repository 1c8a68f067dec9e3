"""Transports: a refusing and authenticating SMTP server on loopback, .eml files, settings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from committees.mail.delivery import deliver_pending
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.mail.services import queue_message
from committees.mail.transports import (
    FileTransport,
    MailConfigurationError,
    SMTPTransport,
    transport_from_config,
)
from tests.support.smtp import free_port

pytestmark = pytest.mark.smtp

# The loopback test server has no certificate, so AUTH runs without TLS on purpose.
plain_auth = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class PickyServer:
    """Refuses mailboxes starting with "unknown" (550) or "busy" (450), records connections."""

    def __init__(self) -> None:
        self.received: list = []
        self.peers: list = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.startswith("unknown"):
            return "550 5.1.1 Mailbox does not exist"
        if address.startswith("busy"):
            return "450 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.peers.append(session.peer)
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def start(handler, **kwargs) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, port


@pytest.fixture
def picky() -> Iterator[tuple[PickyServer, int]]:
    handler = PickyServer()
    controller, port = start(handler)
    yield handler, port
    controller.stop()


def accept_secretariat(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"comites",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def authenticating() -> Iterator[tuple[PickyServer, int]]:
    """A server that demands SMTP AUTH (over plain loopback: no certificate at hand)."""
    handler = PickyServer()
    controller, port = start(
        handler, authenticator=accept_secretariat, auth_required=True, auth_require_tls=False
    )
    yield handler, port
    controller.stop()


def transport(app, port: int, **overrides) -> SMTPTransport:
    return SMTPTransport.from_config({**app.config, "MAIL_PORT": port, **overrides})


def stored(db, message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_refused_recipient_fails_at_once_and_the_run_goes_on(app, db, picky):
    handler, port = picky
    refused = queue_message("unknown@example.org", "Convocation", "Texte")
    accepted = queue_message("membre@example.org", "Convocation", "Texte")
    db.session.commit()

    report = deliver_pending(transport(app, port))

    assert (report.sent, report.failed, report.deferred) == (1, 1, 0)
    assert not report.server_unreachable
    failed = stored(db, refused.id)
    assert failed.status == OutboxStatus.FAILED
    assert failed.attempts == 1
    assert "550" in failed.last_error
    assert "Mailbox does not exist" in failed.last_error
    assert stored(db, accepted.id).status == OutboxStatus.SENT
    assert [m["To"] for m in handler.received] == ["membre@example.org"]


def test_temporary_refusal_is_retried_later(app, db, picky):
    _handler, port = picky
    message = queue_message("busy@example.org", "Convocation", "Texte")
    db.session.commit()

    report = deliver_pending(transport(app, port))

    assert (report.sent, report.failed, report.deferred, report.pending) == (0, 0, 1, 1)
    waiting = stored(db, message.id)
    assert waiting.status == OutboxStatus.PENDING
    assert "450" in waiting.last_error


def test_one_connection_serves_the_whole_run(app, db, picky):
    handler, port = picky
    for n in range(3):
        queue_message(f"p{n}@example.org", f"Message {n}", "Texte")
    db.session.commit()

    deliver_pending(transport(app, port))

    assert len(handler.received) == 3
    assert len(set(handler.peers)) == 1


@plain_auth
def test_smtp_auth_logs_in_with_the_configured_account(app, db, authenticating):
    handler, port = authenticating
    message = queue_message("membre@example.org", "Avec authentification", "Texte")
    db.session.commit()

    report = deliver_pending(transport(app, port, MAIL_USERNAME="comites", MAIL_PASSWORD="s3cret"))

    assert report.sent == 1
    assert [m["Subject"] for m in handler.received] == ["Avec authentification"]
    assert stored(db, message.id).status == OutboxStatus.SENT


@plain_auth
def test_wrong_smtp_password_stops_the_run_and_keeps_messages(app, db, authenticating):
    handler, port = authenticating
    message = queue_message("membre@example.org", "Avec authentification", "Texte")
    db.session.commit()

    report = deliver_pending(transport(app, port, MAIL_USERNAME="comites", MAIL_PASSWORD="wrong"))

    assert report.server_unreachable
    assert "Authentification refusée" in report.server_error
    assert handler.received == []
    waiting = stored(db, message.id)
    assert (waiting.status, waiting.attempts) == (OutboxStatus.PENDING, 1)


def test_file_transport_writes_a_readable_eml_per_message(app, db, tmp_path):
    first = queue_message("membre@example.org", "Séance du 4 mai 2022", "Ordre du jour joint.")
    second = queue_message(
        "expert@example.org",
        "Invitation",
        "Texte",
        attachments=[("seance.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")],
    )
    db.session.commit()

    report = deliver_pending(FileTransport(tmp_path / "mail"))

    assert report.sent == 2
    files = sorted((tmp_path / "mail").iterdir())
    assert [re.sub(r"^\d{8}T\d{6}Z-", "", f.name) for f in files] == [
        f"{first.id:06d}.eml",
        f"{second.id:06d}.eml",
    ]
    parsed = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert parsed[0]["Subject"] == "Séance du 4 mai 2022"
    assert parsed[0]["Message-ID"] == first.message_id
    assert "Ordre du jour joint." in parsed[0].get_content()
    [ics] = list(parsed[1].iter_attachments())
    assert ics.get_param("method") == "REQUEST"
    assert stored(db, first.id).status == OutboxStatus.SENT


def test_file_backend_is_chosen_by_configuration(app, tmp_path):
    chosen = transport_from_config(
        {**app.config, "MAIL_BACKEND": "file", "MAIL_FILE_DIR": tmp_path}
    )
    assert isinstance(chosen, FileTransport)
    assert chosen.directory == tmp_path
    assert isinstance(transport_from_config({**app.config, "MAIL_BACKEND": "smtp"}), SMTPTransport)


@pytest.mark.parametrize("backend", ["sendmail", "", None])
def test_unknown_backend_is_a_clear_error(app, backend):
    with pytest.raises(MailConfigurationError, match="MAIL_BACKEND must be 'smtp' or 'file'"):
        transport_from_config({**app.config, "MAIL_BACKEND": backend})


def test_starttls_and_implicit_tls_together_are_refused(app):
    with pytest.raises(MailConfigurationError, match="exclude each other"):
        transport_from_config({**app.config, "MAIL_USE_TLS": True, "MAIL_USE_SSL": True})
