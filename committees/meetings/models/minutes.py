"""The minutes (compte rendu) of a session: where they stand, their revisions (each made of
sections: opening, attendance, one per agenda item, closing) and the participants' comments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db
from committees.meetings.models.agenda import AgendaItem
from committees.meetings.models.meetings import Meeting

if TYPE_CHECKING:
    from committees.auth.models import User
    from committees.bodies.models import Mandate


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"  # sent to members for comments
    ADOPTED = "adopted"
    PUBLISHED = "published"


class AdoptionMode(StrEnum):
    SESSION = "session"  # at a later session
    IN_WRITING = "in_writing"


class SectionKind(StrEnum):
    OPENING = "opening"
    ATTENDANCE = "attendance"
    ITEM = "item"  # one per agenda item
    CLOSING = "closing"
    #: text the conversion of the old one-text minutes could not attribute: never public
    UNPLACED = "unplaced"


class Minutes(Audited, TimestampMixin, db.Model):
    """The minutes (compte rendu) of a session and where they stand."""

    __tablename__ = "minutes"
    __table_args__ = (
        CheckConstraint(in_enum("status", MinutesStatus), name="status_known"),
        CheckConstraint(
            f"adoption_mode IS NULL OR {in_enum('adoption_mode', AdoptionMode)}", name="adoption"
        ),
        # A member's to-do list: drafts out for comments whose deadline is still to come,
        # a range of this index rather than a scan of ten years of minutes.
        Index("ix_minutes_status_comments_until", "status", "comments_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session reported
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
    )
    #: one of MinutesStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=MinutesStatus.DRAFT.value,
        nullable=False,
    )
    #: when the draft was sent to the members for comments
    sent_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: until when the members may comment on the draft in the application
    comments_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: day of adoption
    adopted_on: Mapped[date | None] = mapped_column(
        Date,
    )
    #: at a later session or in writing
    adoption_mode: Mapped[str | None] = mapped_column(
        String(20),
    )
    #: the session that adopted them, when adopted in session
    adopted_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"),
    )
    #: when they were published
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    meeting: Mapped[Meeting] = relationship(back_populates="minutes", foreign_keys=[meeting_id])
    adopted_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[adopted_at_meeting_id])
    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="minutes",
        cascade="all, delete-orphan",
        order_by="MinutesRevision.number",
    )
    comments: Mapped[list[MinutesComment]] = relationship(
        back_populates="minutes",
        cascade="all, delete-orphan",
        order_by="MinutesComment.id",
    )


class MinutesRevision(db.Model):
    """One saved version of the minutes' text; never changed once written."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("minutes_id", "number", name="uq_minutes_revisions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: 1, 2, ...; a save names the number it started from (optimistic locking)
    number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: who wrote this version
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
    )
    #: what changed, in the author's words
    note: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: when it was saved
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
    sections: Mapped[list[MinutesSection]] = relationship(
        back_populates="revision",
        cascade="all, delete-orphan",
        order_by="MinutesSection.id",
    )


class MinutesSection(db.Model):
    """One section of one revision of the minutes, with its Markdown text; written with its
    revision and never changed. An item's section belongs to its agenda item: what the
    public reads is assembled from these rows (``public_text``), never from headings."""

    __tablename__ = "minutes_sections"
    __table_args__ = (
        CheckConstraint(in_enum("kind", SectionKind), name="kind_known"),
        CheckConstraint("kind = 'item' OR item_id IS NULL", name="item_only_for_items"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the revision it belongs to
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("minutes_revisions.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: one of SectionKind
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: the agenda item of an item's section (None once the item is deleted: then never public)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"),
        index=True,
    )
    #: the text, Markdown
    body: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: for a closed (huis clos) item: the outcome the secretariat makes public, Markdown
    public_outcome: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )

    revision: Mapped[MinutesRevision] = relationship(back_populates="sections")
    item: Mapped[AgendaItem | None] = relationship()


class MinutesComment(db.Model):
    """A participant's comment on one section of the draft minutes, and how
    the secretariat processed it. Never public: the adopted minutes only count them."""

    __tablename__ = "minutes_comments"
    __table_args__ = (
        CheckConstraint("revision_number >= 1", name="revision_positive"),
        CheckConstraint(
            "taken_in_revision IS NULL OR taken_in_revision > revision_number",
            name="taken_in_later_revision",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes commented on
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the agenda item of the section commented on (None for the opening, attendance, closing)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
    )
    #: the section commented on (None for comments written before minutes had sections)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("minutes_sections.id", ondelete="SET NULL"),
        index=True,
    )
    #: the mandate under which the participant comments
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: the account that wrote it
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
    )
    #: the draft's version the comment was written on
    revision_number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: the comment
    body: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: when it was written
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: the secretariat's answer, if any
    answer: Mapped[str | None] = mapped_column(
        Text,
    )
    #: the revision of the minutes that takes the comment into account, if one does
    taken_in_revision: Mapped[int | None] = mapped_column(
        Integer,
    )
    #: when the secretariat answered or marked it; None while it waits
    processed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    minutes: Mapped[Minutes] = relationship(back_populates="comments")
    item: Mapped[AgendaItem | None] = relationship()
    section: Mapped[MinutesSection | None] = relationship()
    mandate: Mapped[Mandate] = relationship()
    author: Mapped[User | None] = relationship()
