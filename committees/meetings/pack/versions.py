"""Versions of agenda documents: replacing a document keeps the former file as a version,
and the packs of the session's members are queued for a rebuild.

Functions add to the session and flush; the caller commits (inside
``filestore.staged_files()`` so that a failure leaves no file behind).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from committees.common import filestore
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.agenda.services import (
    AgendaError,
    _download_name,
    check_document,
    ensure_editable,
)
from committees.meetings.models import AgendaDocument, AgendaDocumentVersion
from committees.meetings.pack.services import request_session


def replace_document(
    document: AgendaDocument, *, data: bytes, filename: str, title: str | None = None
) -> AgendaDocumentVersion:
    """Replace the file of ``document`` (and its title, when given): the former file is
    kept as version n, the document becomes version n+1, the members' packs are queued.

    The same file as the current one is refused: nothing would change for the members.
    """
    ensure_editable(document.item.meeting)
    content_type = check_document(data)
    sha256 = filestore.store_bytes(data)
    if sha256 == document.sha256:
        raise AgendaError(_("Ce fichier est identique à la version en vigueur."), "file")
    former = AgendaDocumentVersion(
        document_id=document.id,
        version=document.version,
        title=document.title,
        sha256=document.sha256,
        filename=document.filename,
        content_type=document.content_type,
        size=document.size,
        replaced_at=utcnow(),
    )
    db.session.add(former)
    document.sha256 = sha256
    document.filename = _download_name(filename)
    document.content_type = content_type
    document.size = len(data)
    document.version = document.version + 1
    title = (title or "").strip()
    if title:
        document.title = title[:300]
    db.session.flush()
    request_session(document.item.meeting)
    return former


def former_versions(document: AgendaDocument) -> list[AgendaDocumentVersion]:
    """The document's former versions, latest first (one query)."""
    return list(
        db.session.execute(
            select(AgendaDocumentVersion)
            .where(AgendaDocumentVersion.document_id == document.id)
            .order_by(AgendaDocumentVersion.version.desc())
        ).scalars()
    )


def former_version(document: AgendaDocument, version: int) -> AgendaDocumentVersion | None:
    """One former version of the document, or None."""
    return db.session.execute(
        select(AgendaDocumentVersion).where(
            AgendaDocumentVersion.document_id == document.id,
            AgendaDocumentVersion.version == version,
        )
    ).scalar_one_or_none()
