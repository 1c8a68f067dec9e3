"""Column types and mixins shared by the models of every domain."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from committees.common.timeutils import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as UTC and always read back timezone-aware.

    SQLite has no timezone type: values are stored naive in UTC and given their
    ``tzinfo`` back on load, so code compares aware datetimes on every engine.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    """``created_at`` and ``updated_at``, set by the ORM on insert and update."""

    #: when the row was created
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
    #: when the row was last changed
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        onupdate=utcnow,
        nullable=False,
    )


class StoredFileMixin:
    """A file kept in the SHA-256 file store (committees.common.filestore), as a row sees it."""

    #: SHA-256 of the content in the file store
    sha256: Mapped[str] = mapped_column(
        String(64),
        nullable=False,
    )
    #: original name, for download only, never a path
    filename: Mapped[str] = mapped_column(
        String(255),
        nullable=False,
    )
    #: MIME type recognised from the content
    content_type: Mapped[str] = mapped_column(
        String(120),
        nullable=False,
    )
    #: size in bytes
    size: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )


def in_enum(column: str, values: type[StrEnum]) -> str:
    """SQL of a CHECK constraint keeping ``column`` among an enum's values."""
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class RevisionRow:
    """A table of one row counting changes (committees.common.revisions): ``counter``
    moves with each, ``changed_at`` tells a row created again (a wiped or restored
    database starting afresh) from the one a worker remembers."""

    #: always 1
    id: Mapped[int] = mapped_column(
        Integer,
        primary_key=True,
        autoincrement=False,
    )
    counter: Mapped[int] = mapped_column(
        Integer,
        default=1,
        nullable=False,
    )
    #: when the row was created or last bumped
    changed_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
