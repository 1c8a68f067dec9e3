"""Decisions and their effects on committees and mandates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime
from committees.extensions import db

if TYPE_CHECKING:
    from committees.bodies.models import Committee, Mandate


class DecisionKind(StrEnum):
    """What a decision does."""

    CREATION = "creation"  # creates a committee
    NOMINATION = "nomination"  # appoints members
    EXTENSION = "extension"  # extends a committee or mandates
    END_OF_MANDATES = "end_of_mandates"
    OTHER = "other"


class EffectAction(StrEnum):
    """One change a decision makes to a committee or a mandate."""

    CREATE_COMMITTEE = "create_committee"
    EXTEND_COMMITTEE = "extend_committee"
    APPOINT = "appoint"
    EXTEND_MANDATE = "extend_mandate"
    END_MANDATE = "end_mandate"
    CONCERNS = "concerns"  # relates to a committee without changing it


class Decision(Audited, TimestampMixin, db.Model):
    """A numbered decision of the director general (« Décision DG n°2022-30 du 17/02/2022 »)."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('creation', 'nomination', 'extension', 'end_of_mandates', 'other')",
            name="kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: « 2022-30 »: signing year, dash, sequence number within the year
    number: Mapped[str] = mapped_column(
        String(12),
        unique=True,
        nullable=False,
    )
    #: title as published
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of DecisionKind
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: date of signature; its year is the number's year
    signed_on: Mapped[date] = mapped_column(
        Date,
        nullable=False,
    )
    #: short summary (plain text)
    summary: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: SHA-256 of the signed PDF in the file store, if uploaded
    pdf_sha256: Mapped[str | None] = mapped_column(
        String(64),
    )
    #: original file name of the PDF, for download only
    pdf_filename: Mapped[str | None] = mapped_column(
        String(255),
    )
    #: when the decision was published; None while it is a draft
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    effects: Mapped[list[DecisionEffect]] = relationship(
        back_populates="decision",
        cascade="all, delete-orphan",
        order_by="DecisionEffect.id",
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def label(self) -> str:
        return f"n°{self.number} du {self.signed_on:%d/%m/%Y}"


class DecisionEffect(db.Model):
    """What one decision did to one committee or mandate: the history of both."""

    __tablename__ = "decision_effects"
    __table_args__ = (
        CheckConstraint(
            "action IN ('create_committee', 'extend_committee', 'appoint', "
            "'extend_mandate', 'end_mandate', 'concerns')",
            name="action_known",
        ),
        CheckConstraint(
            "committee_id IS NOT NULL OR mandate_id IS NOT NULL",
            name="has_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the decision
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: one of EffectAction
    action: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: the committee concerned (always set for committee actions, and for mandates too)
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"),
        index=True,
    )
    #: the mandate concerned, for mandate actions
    mandate_id: Mapped[int | None] = mapped_column(
        ForeignKey("mandates.id", ondelete="CASCADE"),
        index=True,
    )
    #: end date before the decision (extensions and ends), for the history
    previous_end_date: Mapped[date | None] = mapped_column(
        Date,
    )
    #: end date the decision set
    new_end_date: Mapped[date | None] = mapped_column(
        Date,
    )

    decision: Mapped[Decision] = relationship(back_populates="effects")
    committee: Mapped[Committee | None] = relationship()
    mandate: Mapped[Mandate | None] = relationship()
