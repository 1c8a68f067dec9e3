"""What the search index holds of written procedures: the published opinion, its question
and its committee (registered from the domain's ``init_app``)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from committees.procedures.models import WrittenProcedure
from committees.procedures.services import is_public
from committees.search.registry import DocumentKind, Row, plain_text, register_kind, same_in_both


def procedure_rows(procedures: Sequence[WrittenProcedure]) -> list[Row]:
    """Published opinions of published committees only (never an open consultation)."""
    rows = []
    for procedure in procedures:
        if not is_public(procedure):
            continue
        body = " ".join(
            [
                procedure.committee.name_fr,
                plain_text(procedure.question),
                plain_text(procedure.opinion),
            ]
        )
        url = f"/procedures/{procedure.id}"
        rows += same_in_both(
            "procedure", procedure.id, procedure.title, body, url, procedure.published_at
        )
    return rows


def _procedures_of_committees(session: Session, committee_ids: set[int]) -> list[int]:
    query = select(WrittenProcedure.id).where(WrittenProcedure.committee_id.in_(committee_ids))
    return list(session.scalars(query))


def register() -> None:
    """Add published opinions of written procedures to the search index."""
    register_kind(
        DocumentKind(
            name="procedure",
            label=_l("Consultation écrite"),
            model=WrittenProcedure,
            rows=procedure_rows,
            options=lambda: (selectinload(WrittenProcedure.committee),),
            sources={WrittenProcedure: lambda procedure: procedure.id},
            carried_by={"committee": _procedures_of_committees},
        )
    )
