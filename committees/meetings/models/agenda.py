"""The agenda of a session: its items, the organisations they concern, their working
documents and the hearings of hearing items."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import StoredFileMixin, TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db
from committees.meetings.models.meetings import Meeting


class ItemKind(StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    OPINION = "opinion"  # calls for a vote
    HEARING = "hearing"


class OrganisationKind(StrEnum):
    PATIENT_ASSOCIATION = "patient_association"
    LEARNED_SOCIETY = "learned_society"
    ECONOMIC_OPERATOR = "economic_operator"
    INSTITUTION = "institution"


class HearingMode(StrEnum):
    ON_SITE = "on_site"
    VIDEOCONFERENCE = "videoconference"


class HearingStatus(StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    HEARD = "heard"
    DECLINED = "declined"
    NOT_HELD = "not_held"  # confirmed, but the session went by without it


class AgendaItem(Audited, TimestampMixin, db.Model):
    """One item of a session's agenda (ordre du jour)."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(in_enum("kind", ItemKind), name="kind_known"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: order in the agenda, from 1; shown as the item's number
    position: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: title
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of ItemKind
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: who presents the item
    rapporteur: Mapped[str] = mapped_column(
        String(200),
        default="",
        nullable=False,
    )
    #: planned duration in minutes
    duration_minutes: Mapped[int | None] = mapped_column(
        Integer,
    )
    #: public item, or closed (left out of the public agenda and feeds)
    is_public: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: details, Markdown
    description: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    organisations: Mapped[list[ItemOrganisation]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="ItemOrganisation.id",
    )
    documents: Mapped[list[AgendaDocument]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="AgendaDocument.id",
    )
    hearings: Mapped[list[Hearing]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="Hearing.slot_start",
    )
    # Recusals and votes build on the item: named by string only (models/conduct.py).
    #: the secretariat's decisions on conflict flags (Recusal)
    recusals = relationship(
        "Recusal",
        back_populates="item",
        cascade="all, delete-orphan",
    )
    #: the vote, on an item that calls for an opinion (Vote or None)
    vote = relationship(
        "Vote",
        back_populates="item",
        cascade="all, delete-orphan",
        uselist=False,
    )


class ItemOrganisation(db.Model):
    """An organisation an agenda item concerns; declared interests are matched against it."""

    __tablename__ = "item_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agenda item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: organisation name as written in declarations
    name: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="organisations")


class AgendaDocument(Audited, StoredFileMixin, TimestampMixin, db.Model):
    """A working document of an agenda item, public or for members only."""

    __tablename__ = "agenda_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agenda item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: title shown in lists
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: members only (True) or public once the agenda is published (False)
    members_only: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: version number of the current file, from 1 (former ones: AgendaDocumentVersion)
    version: Mapped[int] = mapped_column(
        Integer,
        default=1,
        server_default="1",
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="documents")


class Hearing(Audited, TimestampMixin, db.Model):
    """An organisation heard by the committee on a hearing item."""

    __tablename__ = "hearings"
    __table_args__ = (
        CheckConstraint(in_enum("organisation_kind", OrganisationKind), name="kind_known"),
        CheckConstraint(in_enum("mode", HearingMode), name="mode_known"),
        CheckConstraint(in_enum("status", HearingStatus), name="status_known"),
        CheckConstraint(
            "slot_end IS NULL OR slot_start IS NULL OR slot_end > slot_start", name="slot"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the hearing item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: organisation heard
    organisation: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of OrganisationKind
    organisation_kind: Mapped[str] = mapped_column(
        String(30),
        nullable=False,
    )
    #: names and functions of its representatives, one per line
    representatives: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: start of its slot (UTC)
    slot_start: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: end of its slot (UTC)
    slot_end: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: one of HearingMode
    mode: Mapped[str] = mapped_column(
        String(20),
        default=HearingMode.ON_SITE.value,
        nullable=False,
    )
    #: one of HearingStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=HearingStatus.INVITED.value,
        nullable=False,
    )
    #: written summary of what was said
    summary: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="hearings")
