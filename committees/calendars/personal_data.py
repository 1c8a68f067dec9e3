"""What the calendars hold about a person (registered from the domain's ``init_app``): the
personal calendar address of their account. Erasure deletes it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from committees.calendars.models import CalendarSubscription
from committees.common import personal_data
from committees.common.personal_data import DataSubject, Erasure, Found, row_of
from committees.extensions import db


def _calendar(subject: DataSubject, _found: Found) -> dict[str, Any] | None:
    if subject.user is None:
        return None
    row = db.session.execute(
        select(CalendarSubscription).where(CalendarSubscription.user_id == subject.user.id)
    ).scalar_one_or_none()
    # The address's token is a secret, not data: only when the address was made.
    return row_of(row, "created_at", "updated_at") if row else None


def _erase_calendar(subject: DataSubject, erasure: Erasure) -> None:
    if subject.user is None:
        return
    erasure.counts["calendar_subscription"] += db.session.execute(
        delete(CalendarSubscription).where(CalendarSubscription.user_id == subject.user.id)
    ).rowcount


def register() -> None:
    """Declare the calendar address to the privacy operations."""
    personal_data.register_section("calendar_subscription", _calendar)
    personal_data.register_eraser("calendar_subscription", _erase_calendar)
