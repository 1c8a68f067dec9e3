"""The session (séance) itself: Meeting, its format and its status."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime, in_enum
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.rules import has_started

if TYPE_CHECKING:
    from committees.bodies.models import Committee


class MeetingFormat(StrEnum):
    ON_SITE = "on_site"
    VIDEOCONFERENCE = "videoconference"
    HYBRID = "hybrid"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CONVENED = "convened"
    HELD = "held"
    MINUTES_ADOPTED = "minutes_adopted"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


def new_uid() -> str:
    """A calendar UID that never changes for the life of the session."""
    return f"{uuid.uuid4()}@committees"


class Meeting(Audited, TimestampMixin, db.Model):
    """A session (séance) of a committee."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(in_enum("format", MeetingFormat), name="format_known"),
        CheckConstraint(in_enum("status", MeetingStatus), name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_positive"),
        UniqueConstraint("committee_id", "number", name="uq_meetings_committee_number"),
        Index("ix_meetings_starts_at", "starts_at"),
        # Calendar feeds read a committee's sessions by end (their window): one index seek
        # per committee instead of a scan of its sessions.
        Index("ix_meetings_committee_ends_at", "committee_id", "ends_at"),
        # The secretariat's dashboard lists the next sessions of every committee: a range
        # seek on the end instead of walking ten years of past sessions by start.
        Index("ix_meetings_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the committee that meets
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="RESTRICT"),
        nullable=False,
    )
    #: number of the session within its committee (1, 2, ...)
    number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: title, e.g. « Séance du 4 mai 2022 — auditions des opérateurs »
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: start, stored in UTC, entered and shown in Europe/Paris
    starts_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: end, stored in UTC
    ends_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: one of MeetingFormat
    format: Mapped[str] = mapped_column(
        String(20),
        default=MeetingFormat.ON_SITE.value,
        nullable=False,
    )
    #: room and address, for sessions on site
    place: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: videoconference link: members only, never public
    remote_link: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: public session (agenda and recording public) or closed
    is_public: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: link to the recording, once published
    recording_link: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: live broadcast of a public session, shown on its public page while it runs
    broadcast_link: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: one of MeetingStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=MeetingStatus.PLANNED.value,
        nullable=False,
    )
    #: why the session was cancelled or postponed
    status_reason: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: the session that replaces a postponed one
    postponed_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"),
    )
    #: iCalendar UID, fixed at creation
    uid: Mapped[str] = mapped_column(
        String(120),
        unique=True,
        default=new_uid,
        nullable=False,
    )
    #: iCalendar SEQUENCE: raised by every significant change (time, place, cancellation)
    sequence: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: when the agenda was published; the public sees it only from then on
    agenda_published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: when the convocations were (last) sent
    convened_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    committee: Mapped[Committee] = relationship()
    postponed_to: Mapped[Meeting | None] = relationship(remote_side=[id])
    # The agenda, the attendance and the minutes build on the session: their models import
    # it, and it names them by string only (models/agenda.py, conduct.py, minutes.py), left
    # unannotated, so that no import runs back from here to them, not even for type checking.
    #: the agenda items, in order (AgendaItem)
    items = relationship(
        "AgendaItem",
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="AgendaItem.position",
    )
    #: one row per expected participant (Attendance)
    attendances = relationship(
        "Attendance",
        back_populates="meeting",
        cascade="all, delete-orphan",
    )
    #: the minutes, once started (Minutes or None)
    minutes = relationship(
        "Minutes",
        back_populates="meeting",
        cascade="all, delete-orphan",
        foreign_keys="Minutes.meeting_id",
        uselist=False,
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)

    @property
    def has_started(self) -> bool:
        """What the session's date allows: attendance, votes and minutes once it has started
        (``meetings.rules.has_started``, the one rule)."""
        return has_started(self.starts_at, utcnow())

    @property
    def is_live(self) -> bool:
        """Whether the session is running now (its live broadcast is shown meanwhile)."""
        return self.starts_at <= utcnow() < self.ends_at

    @property
    def is_over(self) -> bool:
        """Whether the session has ended (nothing left to add to a calendar)."""
        return self.ends_at <= utcnow()
