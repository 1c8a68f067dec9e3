"""How a built e-mail leaves the application: an SMTP server, or .eml files for development.

A transport is a context manager used for one delivery run: ``with transport: transport.send(...)``.
The SMTP transport connects on the first message of the run and reuses the connection for the
next ones, so a run with nothing to send opens no connection at all.

Transports translate their failures into three exceptions that delivery understands:
``ServerUnavailableError`` (nothing can be sent now: stop the run), ``MessageRefusedError`` with
``permanent=True`` (this message will never be accepted) or ``permanent=False`` (try it later).
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol, Self

from committees.common.timeutils import utcnow


class MailConfigurationError(RuntimeError):
    """The MAIL_* settings cannot produce a transport."""


class DeliveryError(Exception):
    """A message could not be handed over."""


class ServerUnavailableError(DeliveryError):
    """The server cannot be reached or refuses the session: no message can go out now."""


class MessageRefusedError(DeliveryError):
    """The server refused this message; ``permanent`` when retrying cannot help."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Transport(Protocol):
    """What delivery needs from a transport."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def send(self, email: EmailMessage, *, sender: str, recipient: str, outbox_id: int) -> None:
        """Hand one message over, or raise a DeliveryError."""
        ...


def _smtp_reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


class SMTPTransport:
    """Delivery through an SMTP server with the standard library's smtplib."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        use_tls: bool = False,
        use_ssl: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
        local_hostname: str | None = None,
    ) -> None:
        if use_tls and use_ssl:
            raise MailConfigurationError(
                "MAIL_USE_TLS (STARTTLS) and MAIL_USE_SSL (implicit TLS) exclude each other."
            )
        self.host = host
        self.port = port
        self.use_tls = use_tls
        self.use_ssl = use_ssl
        self.username = username
        self.password = password
        self.timeout = timeout
        # smtplib would otherwise call socket.getfqdn(), which can hang on a badly set up resolver.
        self.local_hostname = local_hostname or "localhost"
        self._connection: smtplib.SMTP | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SMTPTransport:
        """Build the transport from the MAIL_* settings."""
        return cls(
            config["MAIL_SERVER"],
            int(config["MAIL_PORT"]),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            timeout=float(config["MAIL_TIMEOUT"]),
            local_hostname=config.get("MAIL_LOCAL_HOSTNAME"),
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()

    def send(self, email: EmailMessage, *, sender: str, recipient: str, outbox_id: int) -> None:
        """Send over the run's connection, opening it (again) when needed."""
        reused = self._connection is not None
        try:
            self._send_once(email, sender, recipient)
            return
        except OSError as error:  # includes SMTPServerDisconnected and timeouts
            self._close()
            if not reused:
                raise ServerUnavailableError(
                    f"Connexion interrompue par le serveur : {error}"
                ) from error
        # A kept-alive connection may have been closed by the server between two messages
        # (idle timeout, messages-per-connection limit): one fresh try on a new connection.
        try:
            self._send_once(email, sender, recipient)
        except OSError as error:
            self._close()
            raise ServerUnavailableError(
                f"Connexion interrompue par le serveur : {error}"
            ) from error

    def _send_once(self, email: EmailMessage, sender: str, recipient: str) -> None:
        connection = self._connect()
        try:
            connection.send_message(email, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(recipient, (550, b"refused"))
            raise MessageRefusedError(
                _smtp_reply(code, text), permanent=500 <= code < 600
            ) from error
        except smtplib.SMTPResponseException as error:
            # Sender refused, message refused on DATA...: kept for a later attempt, since a
            # corrected configuration or a calmer server may accept it.
            raise MessageRefusedError(
                _smtp_reply(error.smtp_code, error.smtp_error), permanent=False
            ) from error
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPException as error:
            raise MessageRefusedError(
                str(error) or type(error).__name__, permanent=False
            ) from error

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        where = f"{self.host}:{self.port}"
        try:
            self._connection = self._open()
        except smtplib.SMTPAuthenticationError as error:
            raise ServerUnavailableError(
                f"Authentification refusée par {where} : "
                f"{_smtp_reply(error.smtp_code, error.smtp_error)}"
            ) from error
        except OSError as error:  # smtplib and ssl errors are OSErrors too
            raise ServerUnavailableError(
                f"Connexion au serveur {where} impossible : {error}"
            ) from error
        return self._connection

    def _open(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if self.use_ssl:
            connection = smtplib.SMTP_SSL(
                self.host,
                self.port,
                local_hostname=self.local_hostname,
                timeout=self.timeout,
                context=context,
            )
        else:
            connection = smtplib.SMTP(
                self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
            )
        try:
            connection.ehlo()
            if self.use_tls:
                connection.starttls(context=context)
                connection.ehlo()
            if self.username:
                connection.login(self.username, self.password or "")
        except BaseException:
            connection.close()
            raise
        return connection

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except OSError:
            pass  # the server is gone already; nothing left to tidy
        finally:
            connection.close()


class FileTransport:
    """Writes each message as an .eml file: development and the demo need no SMTP server.

    File names start with the UTC time of writing, so that ``ls`` lists them in order:
    ``20220301T101500Z-000042.eml`` for outbox message 42.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def send(self, email: EmailMessage, *, sender: str, recipient: str, outbox_id: int) -> None:
        """Write the message; a reader never sees a half-written file."""
        name = f"{utcnow():%Y%m%dT%H%M%SZ}-{outbox_id:06d}.eml"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=self.directory, prefix=".", suffix=".tmp", delete=False
            ) as handle:
                handle.write(email.as_bytes(policy=email.policy))
            os.replace(handle.name, self.directory / name)
        except OSError as error:
            raise ServerUnavailableError(
                f"Écriture impossible dans {self.directory} : {error}"
            ) from error


def transport_from_config(config: Mapping[str, Any]) -> SMTPTransport | FileTransport:
    """The transport MAIL_BACKEND names: "smtp" or "file"."""
    backend = str(config.get("MAIL_BACKEND") or "").strip().lower()
    if backend == "smtp":
        return SMTPTransport.from_config(config)
    if backend == "file":
        return FileTransport(config["MAIL_FILE_DIR"])
    raise MailConfigurationError(
        f"MAIL_BACKEND must be 'smtp' or 'file', not {config.get('MAIL_BACKEND')!r}."
    )
