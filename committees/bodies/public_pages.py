"""What the public committee pages show, each piece loaded in a bounded number of queries.

Only published committees leave this module; persons' private e-mails are never part
of what it returns to templates. The sections other domains add to a committee's page
(its sessions, decisions, reports) come from the registry below: bodies sits under
those domains and imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, select

from committees.bodies.models import Committee, CommitteeKind, InterestDeclaration, Mandate
from committees.bodies.services import composition_on
from committees.extensions import db

#: committees per page of the public list (ten years can bring many temporary ones)
COMMITTEES_PER_PAGE = 24


def published_committees_by_kind() -> list[tuple[CommitteeKind, list[Committee]]]:
    """Published committees grouped by kind (in the enum's order), by name within a kind."""
    committees = (
        db.session.execute(
            select(Committee).where(Committee.published_at.is_not(None)).order_by(Committee.name_fr)
        )
        .scalars()
        .all()
    )
    return _by_kind(committees)


def published_committees_page(page: int):
    """One page of the published committees, in the kinds' order then by name:
    (the Flask-SQLAlchemy pagination, its committees grouped by kind). Two queries."""
    kind_order = case({kind.value: i for i, kind in enumerate(CommitteeKind)}, value=Committee.kind)
    pagination = db.paginate(
        select(Committee)
        .where(Committee.published_at.is_not(None))
        .order_by(kind_order, Committee.name_fr, Committee.id),
        page=page,
        per_page=COMMITTEES_PER_PAGE,
        error_out=False,
    )
    return pagination, _by_kind(pagination.items)


def _by_kind(committees: Sequence[Committee]) -> list[tuple[CommitteeKind, list[Committee]]]:
    groups = []
    for kind in CommitteeKind:
        members = [c for c in committees if c.kind == kind.value]
        if members:
            groups.append((kind, members))
    return groups


def published_committee(slug: str) -> Committee | None:
    """The published committee at ``slug``; None if there is none or it is not public."""
    return db.session.execute(
        select(Committee).where(Committee.slug == slug, Committee.published_at.is_not(None))
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Seat:
    """A member of the composition as the public sees it: the mandate and the declaration link."""

    mandate: Mandate
    declaration_url: str


def public_composition(committee: Committee, day: date) -> list[Seat]:
    """The composition on ``day`` with each member's latest public declaration (two queries)."""
    mandates = composition_on(committee, day)
    urls = latest_declaration_urls([m.person_id for m in mandates])
    return [Seat(mandate, urls.get(mandate.person_id, "")) for mandate in mandates]


def latest_declaration_urls(person_ids: Sequence[int]) -> dict[int, str]:
    """For each person, the public address of their latest declaration ("" when it has none)."""
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(
            InterestDeclaration.person_id,
            InterestDeclaration.declared_on,
            InterestDeclaration.public_url,
        )
        .where(InterestDeclaration.person_id.in_(set(person_ids)))
        .order_by(InterestDeclaration.declared_on, InterestDeclaration.id)
    ).all()
    # Ascending order: the last row seen for a person is their latest declaration.
    latest = {person_id: url for person_id, _declared_on, url in rows}
    return {person_id: url for person_id, url in latest.items() if _is_web_address(url)}


def _is_web_address(url: str) -> bool:
    # The address is typed by the secretariat: only http(s) becomes a link, never javascript:.
    return url.strip().lower().startswith(("https://", "http://"))


# --- sections other domains add to a committee's page ---------------------------------

#: loads what one section shows for a published committee, in a bounded number of queries
SectionLoader = Callable[[Committee], Any]

_sections: dict[str, SectionLoader] = {}


def register_committee_section(name: str, loader: SectionLoader) -> None:
    """Give the public committee page the template variable ``name``, read by ``loader``.

    A domain that shows something on a committee's page (its upcoming sessions, its
    decisions, its reports) calls this from its ``init_app``; registering a name again
    replaces its loader, so building the application twice does not duplicate it.
    """
    _sections[name] = loader


def committee_sections(committee: Committee) -> dict[str, Any]:
    """Every registered section's data for ``committee``, by template variable."""
    return {name: loader(committee) for name, loader in _sections.items()}
