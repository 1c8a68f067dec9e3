"""Call, Contribution, its versions and attachments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
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
    from committees.auth.models import User
    from committees.bodies.models import Committee
    from committees.meetings.models import Hearing, Meeting


class Audience(StrEnum):
    """Who a call is addressed to."""

    ECONOMIC_OPERATORS = "economic_operators"
    PATIENT_ASSOCIATIONS = "patient_associations"
    LEARNED_SOCIETIES = "learned_societies"
    ANYONE = "anyone"


class CallStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class ContributorKind(StrEnum):
    """What kind of organisation contributes."""

    FARMER = "farmer"
    RAW_MATERIAL_PRODUCER = "raw_material_producer"
    PHARMACEUTICAL_ESTABLISHMENT = "pharmaceutical_establishment"
    ECONOMIC_OPERATOR = "economic_operator"
    PATIENT_ASSOCIATION = "patient_association"
    LEARNED_SOCIETY = "learned_society"
    INSTITUTION = "institution"
    OTHER = "other"


class ContributionStatus(StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ELIGIBLE = "eligible"
    OFF_TOPIC = "off_topic"
    SELECTED = "selected"  # chosen to be heard


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
    #: last receipt number given; raised in the submitting transaction, so never reused
    last_receipt_number: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )

    committee: Mapped[Committee] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="call",
        order_by="Contribution.receipt_number",
    )


class Contribution(Audited, TimestampMixin, db.Model):
    """A written contribution to a call, with its receipt number."""

    __tablename__ = "contributions"
    __table_args__ = (
        UniqueConstraint("call_id", "receipt_number", name="uq_contributions_call_receipt"),
        UniqueConstraint("contributor_id", "idempotency_key", name="uq_contributions_idempotency"),
        CheckConstraint(in_enum("organisation_kind", ContributorKind), name="kind_known"),
        CheckConstraint(in_enum("status", ContributionStatus), name="status_known"),
        CheckConstraint("siren IS NULL OR length(siren) = 9", name="siren_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the call answered
    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="RESTRICT"),
        nullable=False,
    )
    #: sequential within the call, from 1, gap-free
    receipt_number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: the receipt shown to the contributor, e.g. AMI-2022-0042
    receipt: Mapped[str] = mapped_column(
        String(60),
        unique=True,
        nullable=False,
    )
    #: the contributor's account
    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: the form's one-time key: a resent form finds the contribution it already created
    idempotency_key: Mapped[str] = mapped_column(
        String(64),
        nullable=False,
    )
    #: organisation's name (public if published)
    organisation: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of ContributorKind
    organisation_kind: Mapped[str] = mapped_column(
        String(40),
        nullable=False,
    )
    #: SIREN number (9 digits, Luhn check digit), optional
    siren: Mapped[str | None] = mapped_column(
        String(9),
    )
    #: contact person: personal data, never published
    contact_name: Mapped[str] = mapped_column(
        String(200),
        nullable=False,
    )
    #: contact person's function: never published
    contact_function: Mapped[str] = mapped_column(
        String(200),
        default="",
        nullable=False,
    )
    #: themes of the call answered
    themes: Mapped[list[str]] = mapped_column(
        JSON,
        default=list,
        nullable=False,
    )
    #: the contribution's text
    text: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: the authors consent to publication
    consent_publication: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        nullable=False,
    )
    #: the authors wish to be heard
    wants_hearing: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        nullable=False,
    )
    #: one of ContributionStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=ContributionStatus.SUBMITTED.value,
        nullable=False,
    )
    #: the secretariat's reason (off-topic, selection...)
    review_note: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: current version number (1 at submission, raised by each edit)
    version: Mapped[int] = mapped_column(
        Integer,
        default=1,
        nullable=False,
    )
    #: when it was first submitted
    submitted_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: when the secretariat published it
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: the hearing it led to, when selected
    hearing_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearings.id", ondelete="SET NULL"),
    )

    call: Mapped[Call] = relationship(back_populates="contributions")
    contributor: Mapped[User] = relationship()
    hearing: Mapped[Hearing | None] = relationship()
    attachments: Mapped[list[ContributionAttachment]] = relationship(
        back_populates="contribution",
        cascade="all, delete-orphan",
        order_by="ContributionAttachment.id",
    )
    versions: Mapped[list[ContributionVersion]] = relationship(
        back_populates="contribution",
        cascade="all, delete-orphan",
        order_by="ContributionVersion.number",
    )


class ContributionAttachment(StoredFileMixin, db.Model):
    """A file of a contribution, stored under its SHA-256 outside the database."""

    __tablename__ = "contribution_attachments"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the contribution
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: False once an edit removed it (earlier versions still name it)
    current: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )

    contribution: Mapped[Contribution] = relationship(back_populates="attachments")


class ContributionVersion(db.Model):
    """A frozen copy of a contribution as it was before an edit or a withdrawal."""

    __tablename__ = "contribution_versions"
    __table_args__ = (
        UniqueConstraint("contribution_id", "number", name="uq_contribution_versions_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the contribution
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: the version number this copy had
    number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: the fields and attachment list of that version
    snapshot: Mapped[dict[str, Any]] = mapped_column(
        JSON,
        nullable=False,
    )
    #: when this version was replaced
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )

    contribution: Mapped[Contribution] = relationship(back_populates="versions")


class CallSynthesis(Audited, TimestampMixin, db.Model):
    """The secretariat's synthesis of a closed call; its counts are never stored but
    computed from the contributions (``committees.calls.synthesis.services``)."""

    __tablename__ = "call_syntheses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the call it sums up (one synthesis per call)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
    )
    #: the text, Markdown, started from a generated skeleton
    body: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: when it was published (None: a draft the public does not see)
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    call: Mapped[Call] = relationship()
    excerpts: Mapped[list[SynthesisExcerpt]] = relationship(
        back_populates="synthesis",
        cascade="all, delete-orphan",
        order_by="SynthesisExcerpt.position",
    )


class SynthesisExcerpt(db.Model):
    """A passage of a contribution quoted in a synthesis (only with its authors' consent)."""

    __tablename__ = "synthesis_excerpts"
    __table_args__ = (
        UniqueConstraint("synthesis_id", "contribution_id", name="uq_synthesis_excerpts_quoted"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the synthesis
    synthesis_id: Mapped[int] = mapped_column(
        ForeignKey("call_syntheses.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: the contribution quoted
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the passage quoted
    excerpt: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: order in the synthesis, from 1
    position: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )

    synthesis: Mapped[CallSynthesis] = relationship(back_populates="excerpts")
    contribution: Mapped[Contribution] = relationship()
