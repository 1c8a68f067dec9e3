"""Delivering the outbox: build each message, hand it to a transport, record the outcome.

Guarantees:

- **never lost**: a message leaves the outbox only by becoming ``sent``; failures are kept
  (``failed`` after MAIL_MAX_ATTEMPTS) for a manual retry, never deleted;
- **at least once**: the outcome of each message is committed right after it was handed over,
  so a crash loses at most the status of the message being sent, which is then sent again;
- **one sender per message**: on PostgreSQL the message being sent is locked with
  ``FOR UPDATE SKIP LOCKED``, so two ``flask send-mail`` processes never send the same one.
  SQLite has no row locks: run a single sender there (the development and demo setting);
- **no hammering**: when the server cannot be reached the run stops at once. Only the
  message that was being tried records the failed attempt and its backoff; the others were
  not tried, so their attempt counters and schedules are left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from sqlalchemy import func, select

from committees.common.lines import one_line
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.mail.secrets import reveal, unseal
from committees.mail.services import retry_failed_messages
from committees.mail.transports import MessageRefusedError, ServerUnavailableError, Transport

#: the longest wait between two attempts, whatever the number of attempts
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    #: messages accepted by the server in this run
    sent: int = 0
    #: messages that became ``failed`` in this run (refused for good, or out of attempts)
    failed: int = 0
    #: messages that failed this time and wait for their next attempt
    deferred: int = 0
    #: messages still pending after the run (due later, deferred, or not reached)
    pending: int = 0
    #: why the run stopped early because nothing could be sent, None when it did not
    server_error: str | None = None

    @property
    def server_unreachable(self) -> bool:
        return self.server_error is not None

    def summary(self) -> str:
        return (
            f"sent {self.sent}, failed {self.failed}, "
            f"deferred {self.deferred}, pending {self.pending}"
        )


@dataclass(frozen=True)
class DeliveredTexts:
    """What the recipient reads: the stored texts with their personal links put back."""

    text: str
    html: str | None
    unsubscribe_url: str | None


def delivered_texts(message: OutboxMessage) -> DeliveredTexts:
    """Decrypt the message's secrets and put them in place of their markers (HTML-escaped
    in the HTML). Only delivery calls this: nothing it returns is shown or stored.
    Raises SecretsUnreadableError (a ValueError) when the key cannot read them."""
    clear = unseal(message.sealed_secrets) if message.sealed_secrets else {}
    return DeliveredTexts(
        reveal(message.body_text, clear),
        reveal(message.body_html, clear, html=True) if message.body_html else None,
        reveal(message.unsubscribe_url, clear) if message.unsubscribe_url else None,
    )


#: the policy messages are written with (long ASCII header values kept as they are)
HEADER_POLICY = policy.default.clone(max_line_length=998)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The RFC 5322 message for an outbox row: text, optional HTML alternative, attachments."""
    texts = delivered_texts(message)
    email = EmailMessage()
    email["From"] = sender
    # Headers are one line: a line break stored before forms refused them must not fail
    # the delivery for good (the mail library refuses it) nor add a header of its own.
    email["To"] = one_line(message.recipient)
    email["Subject"] = one_line(message.subject)
    # The creation date and the stored Message-ID: a retry is the same message, not a new one.
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    # RFC 3834: tells vacation responders and ticket systems not to answer.
    email["Auto-Submitted"] = "auto-generated"
    if texts.unsubscribe_url:
        # RFC 2369 + RFC 8058: mail clients show an "unsubscribe" button that POSTs to it.
        email["List-Unsubscribe"] = f"<{texts.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(texts.text)
    if texts.html:
        email.add_alternative(texts.html, subtype="html")
    for attachment in message.attachments:
        maintype, subtype, params = _split_content_type(attachment.content_type)
        email.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    # Written out, headers may run to RFC 5322's 998 characters: a long List-Unsubscribe
    # URL stays ASCII « <url> » instead of being RFC 2047-encoded, which mail clients do
    # not read. The body's encoding was chosen above, with the default line length.
    email.policy = HEADER_POLICY
    return email


def _split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; method=REQUEST' -> ('text', 'calendar', {'method': 'REQUEST'})."""
    probe = EmailMessage()
    probe["Content-Type"] = content_type
    params = {key: str(value) for key, value in probe["Content-Type"].params.items()}
    return probe.get_content_maintype(), probe.get_content_subtype(), params


def backoff_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base * 2**(attempts-1), at most 6 hours."""
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    # Capping the exponent first keeps the number small for absurd attempt counts.
    seconds = base * 2 ** min(max(attempts - 1, 0), 30)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def deliver_pending(
    transport: Transport,
    *,
    now: datetime | None = None,
    limit: int | None = None,
    retry_failed: bool = False,
) -> DeliveryReport:
    """Send the due messages (pending, next attempt reached), oldest first, one commit each.

    ``now`` replaces the clock (due time, backoff and ``sent_at``); ``limit`` caps the number
    of messages tried; ``retry_failed`` first puts every failed message back to pending.
    The run stops at the first ``ServerUnavailableError`` and says so in the report.
    """
    now = now or utcnow()
    report = DeliveryReport()
    if retry_failed:
        retry_failed_messages(now=now)
        db.session.commit()
    last_id = 0
    tried = 0
    with transport:
        while limit is None or tried < limit:
            message = _next_due(now, after_id=last_id)
            if message is None:
                break
            last_id = message.id
            tried += 1
            _attempt(transport, message, now=now, report=report)
            db.session.commit()  # this message's outcome is kept whatever happens next
            if report.server_unreachable:
                break
    report.pending = _count_pending()
    db.session.commit()  # ends the read transaction instead of leaving it idle
    return report


def _attempt(
    transport: Transport, message: OutboxMessage, *, now: datetime, report: DeliveryReport
) -> None:
    """Try one message and record the outcome on it and in the report (not committed)."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    try:
        email = build_email(message, sender)
    except (ValueError, TypeError, LookupError) as error:
        # A row that cannot become an e-mail must not block the queue behind it.
        current_app.logger.exception("Outbox message %s cannot be built", message.id)
        _record_failure(
            message, f"Message invalide : {error}", now=now, permanent=True, report=report
        )
        return
    try:
        transport.send(
            email,
            sender=parseaddr(sender)[1],
            recipient=message.recipient,
            outbox_id=message.id,
        )
    except ServerUnavailableError as error:
        _record_failure(message, str(error), now=now, permanent=False, report=report)
        report.server_error = str(error)
    except MessageRefusedError as error:
        _record_failure(message, str(error), now=now, permanent=error.permanent, report=report)
    else:
        _record_success(message, now=now)
        report.sent += 1


def _next_due(now: datetime, *, after_id: int) -> OutboxMessage | None:
    """The oldest due message not yet tried in this run, locked for this sender."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.id > after_id,
        )
        # Ids grow with creation time: the oldest message first, and a stable cursor so a
        # message deferred during this run is not picked again by the same run.
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.execute(query).scalar_one_or_none()


def _record_success(message: OutboxMessage, *, now: datetime) -> None:
    message.status = OutboxStatus.SENT.value
    message.attempts += 1
    message.sent_at = now
    message.last_error = None
    # Delivered: the personal links are of no more use here (a sent message is never resent).
    message.sealed_secrets = None


def _record_failure(
    message: OutboxMessage,
    error: str,
    *,
    now: datetime,
    permanent: bool,
    report: DeliveryReport,
) -> None:
    message.attempts += 1
    message.last_error = error[:2000]
    if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED.value
        report.failed += 1
    else:
        message.next_attempt_at = now + backoff_delay(message.attempts)
        report.deferred += 1


def _count_pending() -> int:
    return db.session.execute(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value)
    ).scalar_one()
