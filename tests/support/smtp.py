"""A real SMTP server on loopback that keeps what it receives (``smtp_server``)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest


def free_port() -> int:
    """A TCP port of the loopback interface that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPCapture:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app) -> Iterator[SMTPCapture]:
    """A real SMTP server on loopback; the app's MAIL_* settings point at it."""
    from aiosmtpd.controller import Controller

    capture = SMTPCapture("127.0.0.1", free_port())
    controller = Controller(capture, hostname=capture.host, port=capture.port)
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER=capture.host, MAIL_PORT=capture.port)
    try:
        yield capture
    finally:
        controller.stop()
        app.config.update(saved)
