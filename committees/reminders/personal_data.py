"""What the reminders hold about a person: the reminders sent to their addresses and the
reminders they turned off. Erasure deletes both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from committees.common import personal_data
from committees.common.personal_data import DataSubject, Erasure, Found, row_of
from committees.extensions import db
from committees.reminders.models import ReminderOptOut, SentReminder


def _reminders(subject: DataSubject, _found: Found) -> dict[str, Any]:
    sent = db.session.scalars(
        select(SentReminder)
        .where(SentReminder.recipient.in_(subject.emails))
        .order_by(SentReminder.id)
    )
    off = (
        db.session.scalars(
            select(ReminderOptOut.kind)
            .where(ReminderOptOut.user_id == subject.user.id)
            .order_by(ReminderOptOut.kind)
        ).all()
        if subject.user is not None
        else []
    )
    return {
        "sent": [row_of(r, "kind", "target_id", "recipient", "due_on", "sent_at") for r in sent],
        "turned_off": list(off),
    }


def _erase_reminders(subject: DataSubject, erasure: Erasure) -> None:
    erasure.counts["reminders"] += db.session.execute(
        delete(SentReminder).where(SentReminder.recipient.in_(subject.emails))
    ).rowcount
    if subject.user is not None:
        erasure.counts["reminders"] += db.session.execute(
            delete(ReminderOptOut).where(ReminderOptOut.user_id == subject.user.id)
        ).rowcount


def register() -> None:
    """Declare the reminders to the privacy operations."""
    personal_data.register_section("reminders", _reminders)
    personal_data.register_eraser("reminders", _erase_reminders)
