"""What the search index holds of a committee (registered from the domain's ``init_app``)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from committees.bodies.models import Committee
from committees.search.registry import (
    LOCALES,
    DocumentKind,
    Row,
    document_row,
    plain_text,
    register_kind,
)


def committee_rows(committees: Sequence[Committee]) -> list[Row]:
    """A published committee, in each language: its name, acronym, mission and cadence."""
    rows = []
    for committee in committees:
        if committee.published_at is None:
            continue
        for locale in LOCALES:
            name = committee.name(locale)
            title = f"{name} ({committee.acronym})" if committee.acronym else name
            body = " ".join(
                part
                for part in (plain_text(committee.mission(locale)), committee.meeting_cadence)
                if part
            )
            url = f"/committees/{committee.slug}"
            rows.append(
                document_row(
                    "committee", committee.id, locale, title, body, url, committee.published_at
                )
            )
    return rows


def register() -> None:
    """Add committees to the search index."""
    register_kind(
        DocumentKind(
            name="committee",
            label=_l("Comité"),
            model=Committee,
            rows=committee_rows,
            sources={Committee: lambda committee: committee.id},
        )
    )
