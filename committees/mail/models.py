"""The outbox: every e-mail the application sends is first a row here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.common.models import TimestampMixin, UTCDateTime
from committees.common.timeutils import utcnow
from committees.extensions import db


class OutboxStatus(StrEnum):
    """Where a message stands in its delivery."""

    PENDING = "pending"  # waiting for its first or next attempt
    SENT = "sent"  # accepted by the SMTP server
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; kept for a manual retry


class OutboxMessage(TimestampMixin, db.Model):
    """One e-mail to one recipient."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_positive"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: recipient address
    recipient: Mapped[str] = mapped_column(
        String(254),
        nullable=False,
    )
    #: subject line, already in the recipient's language
    subject: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: plain-text body (always present)
    body_text: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: HTML alternative, optional
    body_html: Mapped[str | None] = mapped_column(
        Text,
    )
    #: what the message is about, for the outbox screen ("password_reset", "convocation"...)
    kind: Mapped[str] = mapped_column(
        String(50),
        default="general",
        nullable=False,
    )
    #: one of OutboxStatus
    status: Mapped[str] = mapped_column(
        String(10),
        default=OutboxStatus.PENDING.value,
        nullable=False,
    )
    #: delivery attempts made so far
    attempts: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: the error of the last failed attempt
    last_error: Mapped[str | None] = mapped_column(
        Text,
    )
    #: earliest time of the next attempt (backoff after a failure)
    next_attempt_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
    #: when the SMTP server accepted it
    sent_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: Message-ID header, fixed at creation so that a retry is recognisably the same message
    message_id: Mapped[str] = mapped_column(
        String(200),
        unique=True,
        nullable=False,
    )

    #: one-click unsubscribe address (RFC 8058) of a mailing such as a follower's e-mail
    unsubscribe_url: Mapped[str | None] = mapped_column(
        String(500),
    )

    #: the personal links of the message, encrypted (see mail/secrets.py); the texts and
    #: ``unsubscribe_url`` hold markers in their place. Cleared once the message is sent.
    sealed_secrets: Mapped[str | None] = mapped_column(
        Text,
    )

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message",
        cascade="all, delete-orphan",
        order_by="OutboxAttachment.id",
    )


class OutboxAttachment(db.Model):
    """A file sent with a message, such as an .ics invitation."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the message it belongs to
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: file name shown to the recipient
    filename: Mapped[str] = mapped_column(
        String(255),
        nullable=False,
    )
    #: MIME type, e.g. "text/calendar; method=REQUEST"
    content_type: Mapped[str] = mapped_column(
        String(120),
        nullable=False,
    )
    #: the bytes
    data: Mapped[bytes] = mapped_column(
        LargeBinary,
        nullable=False,
    )

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
