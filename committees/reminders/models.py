"""What the daily reminders remember: each reminder sent (so that a second run sends nothing)
and each person's opt-outs from the reminders that are not obligations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from committees.common.models import UTCDateTime
from committees.common.timeutils import utcnow
from committees.extensions import db


class SentReminder(db.Model):
    """One reminder sent: its kind, what it is about, to whom, for which due day."""

    __tablename__ = "sent_reminders"
    __table_args__ = (
        UniqueConstraint("kind", "target_id", "recipient", "due_on", name="uq_sent_reminders_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of ``committees.reminders.kinds.Kind`` ("declaration", "convocation"...)
    kind: Mapped[str] = mapped_column(
        String(40),
        nullable=False,
    )
    #: the row it is about (person, session, minutes, mandate or committee id)
    target_id: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: the address it was sent to, lower-cased
    recipient: Mapped[str] = mapped_column(
        String(254),
        nullable=False,
    )
    #: the day from which it was due (a later run that day or after finds it sent)
    due_on: Mapped[date] = mapped_column(
        Date,
        nullable=False,
    )
    #: when it was put in the outbox
    sent_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )


class ReminderOptOut(db.Model):
    """A person who does not want one kind of (optional) reminder."""

    __tablename__ = "reminder_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_reminder_opt_outs_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the account that opted out
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: one of the optional kinds of ``committees.reminders.kinds``
    kind: Mapped[str] = mapped_column(
        String(40),
        nullable=False,
    )
    #: when they opted out
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
