"""Printing one member's session pack: cover, agenda and table of contents (WeasyPrint,
tagged), then the PDF documents the member may read, appended from the file store.

The documents are read from their files on disk and the pack is written to a temporary
file one document at a time (``pdfjoin``), never gathered whole in memory. Bookmarks:
the cover, the agenda and the table of contents, then one per item with one per document
under it. The table of contents cites the pages of the whole pack, 1..n; the front
matter prints "Page x / n" and keeps its tagged structure.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, render_template

from committees.bodies.models import Mandate
from committees.common import filestore
from committees.common.pdf import html_to_pdf
from committees.meetings.agenda.services import PDF
from committees.meetings.conduct.recusals import Barring, MemberAccess
from committees.meetings.labels import TEMPLATE_LABELS
from committees.meetings.models import AgendaDocument, AgendaItem, Meeting
from committees.meetings.pack.pdfjoin import Bookmark, PdfJoiner

log = logging.getLogger(__name__)


@dataclass
class PackDocument:
    """One document of the pack: embedded when it is a readable PDF, else only listed."""

    document: AgendaDocument
    path: Path | None = None
    pages: int = 0
    #: page number of its first page in the pack (None: listed only, "disponible en ligne")
    start: int | None = None


@dataclass
class PackItem:
    """One agenda line of the pack with the documents this member receives."""

    item: AgendaItem
    barring: Barring | None
    documents: list[PackDocument] = field(default_factory=list)
    #: how many of the item's documents are left out for this member (recusal)
    withheld: int = 0


def _pdf_pages(document: AgendaDocument) -> tuple[Path | None, int]:
    """The file and page count of a readable, unencrypted PDF document; (None, 0) else."""
    from pypdf import PdfReader

    if document.content_type != PDF or not filestore.exists(document.sha256):
        return None, 0
    path = filestore.path_for(document.sha256)
    try:
        with open(path, "rb") as handle:  # read lazily: a path would be loaded whole
            reader = PdfReader(handle)
            if reader.is_encrypted:
                return None, 0
            return path, len(reader.pages)
    except Exception as error:
        log.warning("pack: document %s not embeddable: %s", document.id, error)
        return None, 0


def pack_contents(meeting: Meeting, access: MemberAccess) -> list[PackItem]:
    """The agenda items in order, each with the documents ``access`` lets the member read."""
    result = []
    for item in sorted(meeting.items, key=lambda i: (i.position, i.id)):
        readable = access.documents(item)
        entry = PackItem(
            item, access.barrings.get(item.id), withheld=len(item.documents) - len(readable)
        )
        for document in readable:
            path, pages = _pdf_pages(document)
            entry.documents.append(PackDocument(document, path, pages))
        result.append(entry)
    return result


def _number(items: list[PackItem], front_pages: int) -> int:
    """Give each embedded document its first page; return the pack's page count."""
    page = front_pages
    for entry in items:
        for doc in entry.documents:
            if doc.path is not None and doc.pages:
                doc.start = page + 1
                page += doc.pages
    return page


def _front_matter(meeting: Meeting, mandate: Mandate, items: list[PackItem]) -> bytes:
    """Cover, agenda and table of contents with page numbers that hold (printed again
    until the front matter's own length settles, at most three times)."""
    from pypdf import PdfReader

    front_pages = 2
    pdf = b""
    for _attempt in range(3):
        total = _number(items, front_pages)
        pdf = html_to_pdf(
            render_template(
                "meetings/pack/pack.html",
                meeting=meeting,
                committee=meeting.committee,
                person=mandate.person,
                items=items,
                total=total,
                labels=TEMPLATE_LABELS,
                agency_name=current_app.config["AGENCY_NAME"],
                agency_short_name=current_app.config["AGENCY_SHORT_NAME"],
            )
        )
        printed = len(PdfReader(io.BytesIO(pdf)).pages)
        if printed == front_pages:
            break
        front_pages = printed
    return pdf


def _front_bookmarks(reader) -> dict[str, int]:
    """Page index of the front matter's own headings, by their id-like title order."""
    pages = {}
    for entry in reader.outline:
        if isinstance(entry, list):
            continue
        pages.setdefault(entry.title, reader.get_destination_page_number(entry))
    return pages


def build_pack(meeting: Meeting, mandate: Mandate, access: MemberAccess, target: Path) -> int:
    """Write the pack of ``mandate``'s member for ``meeting`` to ``target``; return its
    page count. Raises ``PdfUnavailable`` without WeasyPrint.

    The documents are copied from their files one at a time (``PdfJoiner``): memory holds
    the front matter and one document, whatever the size of the session.
    """
    from flask_babel import gettext as _
    from pypdf import PdfReader

    items = pack_contents(meeting, access)
    front = _front_matter(meeting, mandate, items)
    total = _number(items, len(PdfReader(io.BytesIO(front)).pages))
    front_reader = PdfReader(io.BytesIO(front))
    front_pages = len(front_reader.pages)
    headings = _front_bookmarks(front_reader)
    agenda_page = headings.get(_("Ordre du jour"), min(1, front_pages - 1))
    toc_page = headings.get(_("Sommaire"), front_pages - 1)
    bookmarks = [
        Bookmark(_("Couverture"), 0),
        Bookmark(_("Ordre du jour"), agenda_page),
        Bookmark(_("Sommaire"), toc_page),
    ]
    with open(target, "wb") as handle:
        joiner = PdfJoiner(handle)
        joiner.append(io.BytesIO(front), keep_structure=True)
        del front_reader, front
        for entry in items:
            embedded = [d for d in entry.documents if d.start is not None]
            item_mark = Bookmark(
                f"{entry.item.position}. {entry.item.title}",
                embedded[0].start - 1 if embedded else agenda_page,
            )
            for doc in entry.documents:
                if doc.start is not None:
                    joiner.append(doc.path, stamp_total=total)
                    item_mark.children.append(Bookmark(doc.document.title, doc.start - 1))
                else:
                    title = _("%(title)s (disponible en ligne)", title=doc.document.title)
                    item_mark.children.append(Bookmark(title, toc_page))
            bookmarks.append(item_mark)
        return joiner.finish(bookmarks, _("Dossier de séance – %(title)s", title=meeting.title))
