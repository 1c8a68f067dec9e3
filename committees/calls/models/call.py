"""A call for expressions of interest and written contributions, with its settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db

if TYPE_CHECKING:
    from committees.bodies.models import Committee
    from committees.meetings.models import Meeting


class Audience(StrEnum):
    """Who a call is addressed to."""

    ECONOMIC_OPERATORS = "economic_operators"
    PATIENT_ASSOCIATIONS = "patient_associations"
    LEARNED_SOCIETIES = "learned_societies"
    ANYONE = "anyone"


class CallStatus(StrEnum):
    """Where a call stands: a draft only the secretariat sees, published, or closed."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Call(Audited, TimestampMixin, db.Model):
    """A call for expressions of interest and written contributions."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(in_enum("audience", Audience), name="audience_known"),
        CheckConstraint(in_enum("status", CallStatus), name="status_known"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("max_attachments >= 0", name="max_attachments"),
        CheckConstraint("max_attachment_bytes > 0", name="max_attachment_bytes"),
        CheckConstraint("last_receipt_number >= 0", name="receipt_counter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the committee that launches the call
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: the session the call prepares (hearings), if any
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"),
    )
    #: prefix of receipt numbers, e.g. « AMI-2022 » gives AMI-2022-0042
    reference: Mapped[str] = mapped_column(
        String(40),
        unique=True,
        nullable=False,
    )
    #: title
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: text of the call, Markdown
    body: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: one of Audience
    audience: Mapped[str] = mapped_column(
        String(30),
        default=Audience.ANYONE.value,
        nullable=False,
    )
    #: opening instant (UTC; entered in Paris time)
    opens_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: closing instant (UTC): the server refuses submissions from then on
    closes_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: themes a contribution may answer, one per line
    themes: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: SHA-256 of the downloadable template, if any
    template_sha256: Mapped[str | None] = mapped_column(
        String(64),
    )
    #: original name of the template
    template_filename: Mapped[str | None] = mapped_column(
        String(255),
    )
    #: how many files a contribution may carry
    max_attachments: Mapped[int] = mapped_column(
        Integer,
        default=3,
        nullable=False,
    )
    #: largest file accepted, in bytes
    max_attachment_bytes: Mapped[int] = mapped_column(
        Integer,
        default=10 * 1024 * 1024,
        nullable=False,
    )
    #: accepted kinds of files, comma-separated among pdf, odt, docx
    allowed_types: Mapped[str] = mapped_column(
        String(100),
        default="pdf,odt,docx",
        nullable=False,
    )
    #: whether contributions may be published (with their authors' consent)
    contributions_publishable: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: what the call offers, e.g. « jusqu'à 6 contributeurs entendus par visioconférence »
    hearing_offer: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: one of CallStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=CallStatus.DRAFT.value,
        nullable=False,
    )
    #: when it was published
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: when the secretariat closed it before its deadline (None: it closes at closes_at)
    closed_early_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: why it was closed early, as told to the contributors
    closing_reason: Mapped[str | None] = mapped_column(
        Text,
    )
    #: last receipt number given; raised in the submitting transaction, so never reused
    last_receipt_number: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )

    committee: Mapped[Committee] = relationship()
    meeting: Mapped[Meeting | None] = relationship()

    @property
    def closed_early(self) -> bool:
        """Whether the secretariat closed it before its deadline (``calls.rules``)."""
        return self.closed_early_at is not None and self.closed_early_at < self.closes_at
