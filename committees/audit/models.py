"""Audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from committees.common.models import UTCDateTime
from committees.common.timeutils import utcnow
from committees.extensions import db


class AuditEntry(db.Model):
    """One change to one audited row."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: when the change was flushed
    at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
    #: the signed-in account that made it (None for the CLI or the system)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
        index=True,
    )
    #: who, in words, kept even if the account goes away
    actor_label: Mapped[str] = mapped_column(
        String(254),
        nullable=False,
    )
    #: create, update or delete
    action: Mapped[str] = mapped_column(
        String(10),
        nullable=False,
    )
    #: table name of the changed row
    entity_type: Mapped[str] = mapped_column(
        String(60),
        nullable=False,
    )
    #: primary key of the changed row
    entity_id: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: {attribute: [before, after]}
    changes: Mapped[dict[str, Any]] = mapped_column(
        JSON,
        default=dict,
        nullable=False,
    )
