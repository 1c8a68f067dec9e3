"""A contribution to a call, the frozen copies of its earlier versions and its files."""

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
from committees.calls.models.call import Call
from committees.common.models import StoredFileMixin, TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db

if TYPE_CHECKING:
    from committees.auth.models import User
    from committees.meetings.models import Hearing


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
    """Where a contribution stands, from its submission to the secretariat's review."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ELIGIBLE = "eligible"
    OFF_TOPIC = "off_topic"
    SELECTED = "selected"  # chosen to be heard


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

    call: Mapped[Call] = relationship()
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
