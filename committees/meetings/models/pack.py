"""The session pack (dossier de séance): former versions of agenda documents, the packs
built per member (queue and cache at once) and what each member was last sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.common.models import StoredFileMixin, UTCDateTime, in_enum
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.models.agenda import AgendaDocument


class AgendaDocumentVersion(StoredFileMixin, db.Model):
    """A former version of an agenda document, kept when the document was replaced."""

    __tablename__ = "agenda_document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "version", name="uq_agenda_document_versions_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the document (its current version lives on the document row)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_documents.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: version number of this former version, from 1
    version: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: its title at the time
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: when the next version replaced it
    replaced_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )

    document: Mapped[AgendaDocument] = relationship()


class PackStatus(StrEnum):
    PENDING = "pending"  # asked for, waiting for ``flask packs build``
    READY = "ready"
    FAILED = "failed"


class PackBuild(db.Model):
    """One member's pack of one session: a requested build while pending, the cached
    file once ready. ``state_key`` hashes what the pack holds (documents and their
    versions, agenda, the member's recusals): a pack whose key differs is stale."""

    __tablename__ = "pack_builds"
    __table_args__ = (
        UniqueConstraint("meeting_id", "mandate_id", name="uq_pack_builds_once"),
        CheckConstraint(in_enum("status", PackStatus), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the member's mandate (the pack is personal: recusals shape it)
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: SHA-256 of the pack's content description (see pack.services.state_key)
    state_key: Mapped[str] = mapped_column(
        String(64),
        nullable=False,
    )
    #: one of PackStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=PackStatus.PENDING.value,
        nullable=False,
    )
    #: when the current build was asked for
    requested_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
    #: when the file was built
    built_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: SHA-256 of the built PDF in the file store
    sha256: Mapped[str | None] = mapped_column(
        String(64),
    )
    #: its size in bytes
    size: Mapped[int | None] = mapped_column(
        Integer,
    )
    #: its number of pages
    page_count: Mapped[int | None] = mapped_column(
        Integer,
    )
    #: why the last build failed, for the log and the secretariat
    error: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )


class PackDelivery(db.Model):
    """What a member was last sent of a session's documents (convocation or change
    message): the next change message lists only what changed since."""

    __tablename__ = "pack_deliveries"
    __table_args__ = (UniqueConstraint("meeting_id", "mandate_id", name="uq_pack_deliveries_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the member's mandate
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: JSON object: document id → [version, title] of every document sent
    versions: Mapped[str] = mapped_column(
        Text,
        default="{}",
        nullable=False,
    )
    #: when it was sent
    sent_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
