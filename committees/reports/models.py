"""ActivityReport: the only stored part of a yearly report is its foreword.

Every figure (sessions, attendance, quorum, recusals, votes, hearings, contributions)
is computed from the record on each read by ``committees.reports.services``: nothing
typed by hand can contradict the minutes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime
from committees.extensions import db

if TYPE_CHECKING:
    from committees.bodies.models import Committee


class ActivityReport(Audited, TimestampMixin, db.Model):
    """The yearly activity report of a committee (its foreword and publication)."""

    __tablename__ = "activity_reports"
    __table_args__ = (
        UniqueConstraint("committee_id", "year", name="uq_activity_reports_committee_year"),
        CheckConstraint("year BETWEEN 1900 AND 2999", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the committee reported on
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="RESTRICT"),
        nullable=False,
    )
    #: the calendar year reported on (sessions by their day in Paris)
    year: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: foreword by the secretariat or the chair, Markdown
    foreword: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: when it was published; None keeps it off the public site
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    committee: Mapped[Committee] = relationship()
