"""Putting messages in the outbox. Delivery lives in delivery.py.

Messages are added to the caller's database session and committed with the change
that causes them: if that change rolls back, no message is sent, and a committed
change always has its message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from jinja2 import TemplateNotFound
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from committees.common.lines import one_line
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from committees.mail.secrets import MARKER, MaskedSecrets, mask, mask_values

#: rows per page of the outbox screen
OUTBOX_PAGE_SIZE = 50

#: (filename, content type, bytes)
Attachment = tuple[str, str, bytes]


def queue_message(
    recipient: str,
    subject: str,
    body_text: str,
    *,
    body_html: str | None = None,
    kind: str = "general",
    attachments: Iterable[Attachment] = (),
    unsubscribe_url: str | None = None,
    secrets: MaskedSecrets | None = None,
) -> OutboxMessage:
    """Add one message to the outbox in the current transaction (not committed).

    The texts hold the markers of ``secrets`` (see ``queue_email``), which are stored
    encrypted; an ``unsubscribe_url`` given in clear is a personal link too, and is masked.
    """
    if unsubscribe_url and not MARKER.search(unsubscribe_url):
        secrets = (secrets or mask_values({})).adding("unsubscribe_url", unsubscribe_url)
        unsubscribe_url = secrets.markers["unsubscribe_url"]
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(" >")
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        message_id=make_msgid(domain=domain or None),
        unsubscribe_url=unsubscribe_url,
        sealed_secrets=secrets.sealed() if secrets else None,
    )
    for filename, content_type, data in attachments:
        message.attachments.append(
            OutboxAttachment(filename=filename, content_type=content_type, data=data)
        )
    db.session.add(message)
    return message


def queue_email(
    recipient: str,
    subject: str,
    template: str,
    *,
    locale: str | None = None,
    kind: str | None = None,
    attachments: Iterable[Attachment] = (),
    unsubscribe_url: str | None = None,
    secrets: Mapping[str, str] | MaskedSecrets | None = None,
    **context,
) -> OutboxMessage:
    """Render ``templates/mail/<template>.txt`` (and ``.html`` when it exists) and queue it.

    ``subject`` should be a lazy string (``lazy_gettext``) or a callable so that it is
    translated in ``locale``, the recipient's language (default: French).

    ``secrets`` are the values that act on the recipient's behalf (a token, a personal
    link: name -> value). The templates receive them under their names as markers, the
    outbox keeps them encrypted, staff pages show « lien personnel masqué », and only
    delivery puts them into the e-mail (mail/secrets.py). ``unsubscribe_url`` is one too.
    A caller that builds a link around a secret masks it first (``mask_values``) and
    passes the result, then builds the link with the marker.
    """
    masked = secrets if isinstance(secrets, MaskedSecrets) else mask_values(secrets or {})
    if unsubscribe_url:
        masked = masked.adding("unsubscribe_url", unsubscribe_url)
        unsubscribe_url = masked.markers["unsubscribe_url"]
    context.update(masked.markers)
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        # A subject is a header: one line, whatever a title stored before held.
        subject_text = one_line(str(subject() if callable(subject) else subject))
        text = render_template(f"mail/{template}.txt", **context)
        try:
            # a complete document (mail/_base.html): lang, <title> and <h1> = the subject
            html = render_template(f"mail/{template}.html", mail_subject=subject_text, **context)
        except TemplateNotFound:
            html = None
    return queue_message(
        recipient,
        subject_text,
        text,
        body_html=html,
        kind=kind or template.replace("/", "_"),
        attachments=attachments,
        unsubscribe_url=unsubscribe_url,
        secrets=masked,
    )


def masked_body(message: OutboxMessage) -> str:
    """The plain text of a message as staff may read it: personal links masked."""
    return mask(message.body_text, _("[lien personnel masqué]"))


def message_id_domain() -> str | None:
    """The domain part of the Message-IDs, taken from MAIL_DEFAULT_SENDER."""
    return current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(" >") or None


class OutboxError(ValueError):
    """A rule about the outbox was broken; the message is shown to the person."""


def retry_message(message: OutboxMessage, *, now: datetime | None = None) -> None:
    """Make a pending or failed message due now (not committed); a sent one is refused.

    A failed message starts a fresh series of attempts, so that it gets the usual backoff
    again instead of failing for good at its first new error.
    """
    if message.status == OutboxStatus.SENT.value:
        raise OutboxError(_("Ce message a déjà été envoyé : il ne peut pas être renvoyé."))
    if message.status == OutboxStatus.FAILED.value:
        message.attempts = 0
    message.status = OutboxStatus.PENDING.value
    message.next_attempt_at = now or utcnow()


def retry_failed_messages(*, now: datetime | None = None) -> int:
    """Put every failed message back to pending, due now (not committed); return how many."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED.value)
        .values(
            status=OutboxStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now or utcnow(),
        )
    )
    return result.rowcount


def outbox_page(status: OutboxStatus | None, page: int) -> Pagination:
    """One page of the outbox, newest first, optionally only the messages in ``status``."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status is not None:
        query = query.where(OutboxMessage.status == status.value)
    return db.paginate(query, page=page, per_page=OUTBOX_PAGE_SIZE, max_per_page=OUTBOX_PAGE_SIZE)


def outbox_counts() -> dict[OutboxStatus, int]:
    """How many messages are in each status (every status present, zero included)."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(OutboxStatus, 0)
    for status, count in rows:
        counts[OutboxStatus(status)] = count
    return counts


def outbox_backlog() -> tuple[int, datetime | None, datetime | None]:
    """The messages waiting for delivery: how many, since when (the oldest one's creation)
    and when the next attempt is due; one query. The mail server being down shows here."""
    return tuple(
        db.session.execute(
            select(
                func.count(),
                func.min(OutboxMessage.created_at),
                func.min(OutboxMessage.next_attempt_at),
            ).where(OutboxMessage.status == OutboxStatus.PENDING.value)
        ).one()
    )  # type: ignore[return-value]


def get_outbox_message(message_id: int) -> OutboxMessage | None:
    """One message with its attachments, or None."""
    return db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .options(selectinload(OutboxMessage.attachments))
    ).scalar_one_or_none()
