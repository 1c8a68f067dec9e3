"""The demo session pack: the CST Suivi's held 2022 session gets two working documents
(small PDFs printed here, the first replaced once so that it has a former version) and
the demo member's pack is built."""

from __future__ import annotations

import io

from sqlalchemy import select

from committees.auth.models import User
from committees.bodies.models import Mandate, Person
from committees.common import filestore
from committees.common.pdf import PdfUnavailable, html_to_pdf
from committees.extensions import db
from committees.meetings.agenda.services import add_document
from committees.meetings.models import AgendaDocument, AgendaItem, Meeting
from committees.meetings.pack.services import build, request_pack
from committees.meetings.pack.versions import replace_document

#: (item kind it goes on, title, text of its single page)
DOCUMENTS = (
    (
        "opinion",
        "Rapport du rapporteur",
        "Synthèse des données de pharmacovigilance de l'expérimentation (version de travail).",
    ),
    ("information", "Point d'étape de l'expérimentation", "Inclusions et sites au 1er mars 2022."),
)


def _pdf(title: str, text: str) -> bytes:
    """A one-page PDF; without WeasyPrint, a blank page (the pack still lists it)."""
    try:
        return html_to_pdf(
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}'
            f"</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"
        )
    except PdfUnavailable:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def seed_pack(held: Meeting, member_email: str) -> None:
    """Documents on the held session and the demo member's pack (safe to run again)."""
    items = list(db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == held.id)))
    existing = set(
        db.session.scalars(
            select(AgendaDocument.title).join(AgendaItem).where(AgendaItem.meeting_id == held.id)
        )
    )
    with filestore.staged_files():
        for kind, title, text in DOCUMENTS:
            item = next((i for i in items if i.kind == kind), items[0] if items else None)
            if item is None or title in existing:
                continue
            add_document(item, title=title, data=_pdf(title, text), filename=f"{title}.pdf")
        report = db.session.scalar(
            select(AgendaDocument)
            .join(AgendaItem)
            .where(AgendaItem.meeting_id == held.id, AgendaDocument.title == DOCUMENTS[0][1])
        )
        if report is not None and report.version == 1:
            text = DOCUMENTS[0][2].replace("version de travail", "version définitive")
            replace_document(report, data=_pdf(report.title, text), filename="rapport-v2.pdf")
    db.session.flush()
    member = db.session.scalar(
        select(Mandate)
        .join(Mandate.person)
        .join(User, Person.user_id == User.id)
        .where(Mandate.committee_id == held.committee_id, User.email == member_email)
        .limit(1)
    )
    if member is None:
        return
    row = request_pack(held, member)
    if row.status == "pending":
        build(row)  # without WeasyPrint: recorded as failed, built again on demand
