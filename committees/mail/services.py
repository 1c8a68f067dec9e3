"""Putting messages in the outbox. Delivery lives in delivery.py.

Messages are added to the caller's database session and committed with the change
that causes them: if that change rolls back, no message is sent, and a committed
change always has its message.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from committees.extensions import db
from committees.mail.models import OutboxAttachment, OutboxMessage

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
) -> OutboxMessage:
    """Add one message to the outbox in the current transaction (not committed)."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(" >")
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        message_id=make_msgid(domain=domain or None),
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
    **context,
) -> OutboxMessage:
    """Render ``templates/mail/<template>.txt`` (and ``.html`` when it exists) and queue it.

    ``subject`` should be a lazy string (``lazy_gettext``) or a callable so that it is
    translated in ``locale``, the recipient's language (default: French).
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject_text = str(subject() if callable(subject) else subject)
        text = render_template(f"mail/{template}.txt", **context)
        try:
            html = render_template(f"mail/{template}.html", **context)
        except TemplateNotFound:
            html = None
    return queue_message(
        recipient,
        subject_text,
        text,
        body_html=html,
        kind=kind or template.replace("/", "_"),
        attachments=attachments,
    )
