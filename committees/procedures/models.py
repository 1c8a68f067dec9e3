"""Written procedures (consultations écrites): a question put to a committee's voting
members between sessions, its documents, who was consulted and how each answered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import StoredFileMixin, TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db

if TYPE_CHECKING:
    from committees.bodies.models import Committee, Mandate
    from committees.meetings.models import Minutes


class ProcedureStatus(StrEnum):
    OPEN = "open"  # members answer until the deadline
    CLOSED = "closed"  # the result is recorded, not public yet
    PUBLISHED = "published"  # the opinion is public


class Choice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class WrittenProcedure(Audited, TimestampMixin, db.Model):
    """A question put in writing to a committee's voting members, with a deadline."""

    __tablename__ = "written_procedures"
    __table_args__ = (
        CheckConstraint(in_enum("status", ProcedureStatus), name="status_known"),
        CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0", name="counts"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the committee consulted
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: short title, shown in lists
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: the question put to the members
    question: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: organisation the question concerns: declared links naming it bar a member from voting
    organisation: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: draft minutes adopted in writing by this procedure, if that is its object
    minutes_id: Mapped[int | None] = mapped_column(
        ForeignKey("minutes.id", ondelete="RESTRICT"),
        index=True,
    )
    #: one of ProcedureStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=ProcedureStatus.OPEN.value,
        nullable=False,
    )
    #: when it was opened and members were written to
    opened_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: answers are taken until this instant
    deadline: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: when the result was recorded
    closed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: voting members able to vote at closing (consulted, not barred)
    eligible: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: answers needed for the quorum
    required: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: whether the quorum was reached (None while open)
    quorum_reached: Mapped[bool | None] = mapped_column(
        Boolean,
    )
    #: votes for
    votes_for: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: votes against
    votes_against: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: abstentions
    abstentions: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: whether the opinion was adopted (quorum reached and more for than against)
    adopted: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        nullable=False,
    )
    #: text of the opinion, written by the secretariat
    opinion: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: when the opinion was made public
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    committee: Mapped[Committee] = relationship()
    minutes: Mapped[Minutes | None] = relationship()
    documents: Mapped[list[ProcedureDocument]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="ProcedureDocument.id",
    )
    consulted: Mapped[list[ConsultedMember]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="ConsultedMember.id",
    )

    @property
    def is_open(self) -> bool:
        return self.status == ProcedureStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == ProcedureStatus.PUBLISHED


class ProcedureDocument(Audited, StoredFileMixin, TimestampMixin, db.Model):
    """A document of a written procedure, for the consulted members (public once published)."""

    __tablename__ = "procedure_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the procedure
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("written_procedures.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: title shown in lists
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )

    procedure: Mapped[WrittenProcedure] = relationship(back_populates="documents")


class ConsultedMember(Audited, TimestampMixin, db.Model):
    """A voting member consulted: their answer, or why they may not vote (déport)."""

    __tablename__ = "consulted_members"
    __table_args__ = (
        UniqueConstraint("procedure_id", "mandate_id", name="uq_consulted_members_mandate"),
        CheckConstraint(f"choice IS NULL OR {in_enum('choice', Choice)}", name="choice_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the procedure
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("written_procedures.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: the voting mandate consulted
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: one of Choice, None until they answer
    choice: Mapped[str | None] = mapped_column(
        String(10),
    )
    #: optional comment with the answer
    comment: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: when they last answered
    answered_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: why they may not vote (recusal recorded by the secretariat); empty when they may
    recusal_reason: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )

    procedure: Mapped[WrittenProcedure] = relationship(back_populates="consulted")
    mandate: Mapped[Mandate] = relationship()
