"""The search index: one row per public object and language, rebuilt by the service.

The engine-specific parts (the SQLite FTS5 table and its triggers, the PostgreSQL
``search_vector`` column, its GIN index and text search configuration) are not in the
models: see ``committees.search.schema`` and migration 0002.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from committees.common.models import UTCDateTime
from committees.extensions import db


class SearchDocument(db.Model):
    """What the search engine reads of one public object in one language."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", "locale", name="uq_search_documents_object"),
        Index("ix_search_documents_locale_kind", "locale", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: committee, decision, meeting, minutes, call, synthesis or report (registry.kinds())
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: id of the object in its own table
    object_id: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: language of the row (fr, en); objects without English text repeat the French
    locale: Mapped[str] = mapped_column(
        String(5),
        nullable=False,
    )
    #: title shown in the results
    title: Mapped[str] = mapped_column(
        String(500),
        nullable=False,
    )
    #: plain text searched and quoted in snippets (public fields only)
    body: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: path of the public page
    url: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: when the object was published
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
