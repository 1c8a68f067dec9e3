"""When each person last opened their dashboard: what is « new since the last visit »."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from committees.common.models import UTCDateTime
from committees.extensions import db


class DashboardVisit(db.Model):
    """A person's visits to their dashboard: the one before this one, and this one."""

    __tablename__ = "dashboard_visits"

    #: the account
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
    )
    #: the visit before the current one: documents added since are « new »
    previous_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: the latest visit (a visit within the hour extends it instead of starting a new one)
    last_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
