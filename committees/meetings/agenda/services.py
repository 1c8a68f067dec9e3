"""The agenda (ordre du jour) of a session: its items and their working documents
(hearings live in ``hearings.py``).

Functions add to the session and flush; the caller commits, or rolls back on
``MeetingError``. Who may download a document is decided by ``can_see_document`` alone.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from enum import StrEnum

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.permissions import Permission, has_permission
from committees.common import filestore
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows import events as follow_events
from committees.meetings.conduct.recusals import may_read_item_documents
from committees.meetings.models import (
    AgendaDocument,
    AgendaItem,
    ItemKind,
    ItemOrganisation,
    Meeting,
)
from committees.meetings.queries import is_publicly_visible, member_can_see
from committees.meetings.scheduling.services import MeetingError

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: the main part's content type in [Content_Types].xml, per accepted OOXML format
_OOXML_MAIN_PARTS = {
    "wordprocessingml.document.main+xml": DOCX,
    "spreadsheetml.sheet.main+xml": XLSX,
}
#: enough of a zip member to recognise the format, without inflating a whole archive
_SNIFF_BYTES = 64 * 1024


class AgendaError(MeetingError):
    """A refused agenda change (``field`` names the form field, as for every ``MeetingError``)."""


# --- items ----------------------------------------------------------------------------


def ensure_editable(meeting: Meeting) -> None:
    """A cancelled or postponed session's agenda is read-only."""
    if meeting.is_cancelled:
        raise MeetingError(
            _("Cette séance est annulée ou reportée : son ordre du jour ne peut plus être modifié.")
        )


def _item_fields(
    *,
    title: str,
    kind: str,
    rapporteur: str = "",
    duration_minutes: int | None = None,
    is_public: bool = True,
    description: str = "",
) -> dict:
    title = (title or "").strip()
    if not title:
        raise AgendaError(_("Indiquez l'intitulé du point."), "title")
    if kind not in {k.value for k in ItemKind}:
        raise AgendaError(_("Choisissez la nature du point dans la liste."), "kind")
    if duration_minutes is not None and duration_minutes <= 0:
        raise AgendaError(
            _("La durée est un nombre de minutes supérieur à zéro."), "duration_minutes"
        )
    return {
        "title": title,
        "kind": ItemKind(kind).value,
        "rapporteur": (rapporteur or "").strip(),
        "duration_minutes": duration_minutes,
        "is_public": bool(is_public),
        "description": description or "",
    }


def _check_kind_change(item: AgendaItem, kind: str) -> None:
    if kind != ItemKind.HEARING and item.hearings:
        raise AgendaError(
            _("Ce point comporte des auditions : retirez-les avant de changer sa nature."), "kind"
        )


def add_item(meeting: Meeting, *, organisations: Iterable[str] = (), **fields) -> AgendaItem:
    """Add an item at the end of ``meeting``'s agenda (fields: title, kind, rapporteur,
    duration_minutes, is_public, description) with the organisations it concerns."""
    ensure_editable(meeting)
    values = _item_fields(**fields)
    item = AgendaItem(meeting=meeting, position=len(meeting.items) + 1, **values)
    item.organisations = [ItemOrganisation(name=name) for name in organisations]
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: AgendaItem, *, organisations: Iterable[str] | None = None, **fields) -> None:
    """Change an item; ``organisations`` (when given) replaces the concerned organisations."""
    ensure_editable(item.meeting)
    values = _item_fields(**fields)
    _check_kind_change(item, values["kind"])
    for key, value in values.items():
        setattr(item, key, value)
    if organisations is not None:
        current = {o.name: o for o in item.organisations}
        wanted = list(organisations)
        # Keep the rows of unchanged names; only added or removed names change.
        item.organisations = [current.get(name) or ItemOrganisation(name=name) for name in wanted]
    db.session.flush()


def renumber(meeting: Meeting) -> list[AgendaItem]:
    """Give the items positions 1..n in their current order, without gaps; return them in order."""
    ordered = sorted(meeting.items, key=lambda i: (i.position, i.id or 0))
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
    return ordered


def delete_item(item: AgendaItem, *, confirmed: bool = False) -> None:
    """Remove an item; once the agenda is published, only with ``confirmed``."""
    meeting = item.meeting
    ensure_editable(meeting)
    if meeting.agenda_published_at is not None and not confirmed:
        raise AgendaError(
            _(
                "L'ordre du jour est publié : cochez la case de confirmation pour supprimer "
                "ce point."
            ),
            "confirm",
        )
    db.session.delete(item)
    db.session.flush()
    db.session.expire(meeting, ["items"])
    renumber(meeting)
    db.session.flush()


def move_item(item: AgendaItem, offset: int) -> None:
    """Move an item up (``offset`` -1) or down (+1); positions stay 1..n without gaps.

    Moving the first item up or the last one down leaves the order as it is.
    """
    meeting = item.meeting
    ensure_editable(meeting)
    if offset not in (-1, 1):
        raise MeetingError(_("Déplacement inconnu."))
    items = renumber(meeting)
    index = items.index(item)
    target = index + offset
    if 0 <= target < len(items):
        items[index].position, items[target].position = target + 1, index + 1
    db.session.flush()


def publish_agenda(meeting: Meeting) -> None:
    """Publish the agenda now (the public sees it from then on); again: the date is refreshed."""
    ensure_editable(meeting)
    if not meeting.items:
        raise MeetingError(_("Ajoutez au moins un point avant de publier l'ordre du jour."))
    meeting.agenda_published_at = utcnow()
    db.session.flush()
    if is_publicly_visible(meeting):
        follow_events.agenda_published(meeting)


def unpublish_agenda(meeting: Meeting) -> None:
    """Withdraw the agenda from the public site."""
    ensure_editable(meeting)
    meeting.agenda_published_at = None
    db.session.flush()


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The items in order with their organisations, documents and hearings (four queries)."""
    return list(
        db.session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .options(
                selectinload(AgendaItem.organisations),
                selectinload(AgendaItem.documents),
                selectinload(AgendaItem.hearings),
            )
            .order_by(AgendaItem.position, AgendaItem.id)
        ).scalars()
    )


# --- documents ------------------------------------------------------------------------


def document_max_bytes() -> int:
    """The size limit of an agenda document, in bytes."""
    return current_app.config["AGENDA_DOCUMENT_MAX_BYTES"]


def document_max_megabytes() -> str:
    """The size limit as people read it ("20" Mo)."""
    return format_decimal(document_max_bytes() / (1024 * 1024), format="#,##0.#", locale="fr")


def _zip_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.open("mimetype").read(_SNIFF_BYTES).decode("ascii", "replace")
                return declared.strip() if declared.strip() in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                types = (
                    archive.open("[Content_Types].xml")
                    .read(_SNIFF_BYTES)
                    .decode("utf-8", "replace")
                )
                for marker, content_type in _OOXML_MAIN_PARTS.items():
                    if marker in types:
                        return content_type
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError):
        return None
    return None


def detect_document_type(data: bytes) -> str | None:
    """The MIME type of an accepted document (PDF, ODT, ODS, DOCX, XLSX) read from its
    content, never its name; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None


def _download_name(filename: str) -> str:
    # Browsers may send a full path (old Windows versions); keep the last segment only.
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "document")[:255]


def check_document(data: bytes) -> str:
    """Refuse an empty, too large or unaccepted file; return its recognised MIME type."""
    if not data:
        raise AgendaError(_("Le fichier est vide."), "file")
    if len(data) > document_max_bytes():
        raise AgendaError(
            _(
                "Le fichier dépasse la taille maximale de %(size)s Mo.",
                size=document_max_megabytes(),
            ),
            "file",
        )
    content_type = detect_document_type(data)
    if content_type is None:
        raise AgendaError(
            _("Ce fichier n'est pas un document accepté : PDF, ODT, DOCX, ODS ou XLSX."), "file"
        )
    return content_type


def add_document(
    item: AgendaItem, *, title: str, data: bytes, filename: str, members_only: bool = True
) -> AgendaDocument:
    """Store a working document of ``item`` under its SHA-256 and record it.

    Call it inside ``filestore.staged_files()`` so that a failure afterwards leaves no
    file behind. The type is recognised from the content; the original name is kept
    for the download only, never used as a path.
    """
    ensure_editable(item.meeting)
    title = (title or "").strip()
    if not title:
        raise AgendaError(_("Indiquez le titre du document."), "title")
    content_type = check_document(data)
    document = AgendaDocument(
        item=item,
        title=title[:300],
        sha256=filestore.store_bytes(data),
        filename=_download_name(filename),
        content_type=content_type,
        size=len(data),
        members_only=bool(members_only),
    )
    db.session.add(document)
    db.session.flush()
    return document


def delete_document(document: AgendaDocument) -> None:
    """Remove a document from its item (the stored file may be shared, so it stays)."""
    ensure_editable(document.item.meeting)
    db.session.delete(document)
    db.session.flush()


class Audience(StrEnum):
    """Through which door a document is asked for."""

    SECRETARIAT = "secretariat"
    MEMBER = "member"
    PUBLIC = "public"


def is_public_document(document: AgendaDocument) -> bool:
    """A public document of a public item, in a public session of a published committee
    whose agenda is published."""
    item = document.item
    meeting = item.meeting
    return (
        not document.members_only
        and item.is_public
        and meeting.agenda_published_at is not None
        and is_publicly_visible(meeting)
    )


def can_see_document(document: AgendaDocument, user, audience: Audience) -> bool:
    """The one rule on who may download an agenda document, per door.

    The secretariat sees every document; a member sees every document of the sessions
    of their committee on a day their mandate covers (closed items included, whether
    or not the agenda is published), except the members-only documents of an item they
    are recused or flagged on (``conduct.recusals``); the public sees only public documents.
    """
    if audience == Audience.SECRETARIAT:
        return has_permission(user, Permission.MANAGE_COMMITTEES)
    if audience == Audience.MEMBER:
        return (
            has_permission(user, Permission.MEMBER_AREA)
            and member_can_see(document.item.meeting, user)
            and (not document.members_only or may_read_item_documents(user, document.item))
        )
    return is_public_document(document)


def visible_documents(item: AgendaItem, user, audience: Audience) -> list[AgendaDocument]:
    """The documents of ``item`` that ``user`` may download through ``audience``."""
    return [d for d in item.documents if can_see_document(d, user, audience)]
