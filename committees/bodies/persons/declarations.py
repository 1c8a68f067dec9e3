"""Declarations of interests (DPI): filing one, and whether a person is cleared on a day.

A person is cleared when their latest declaration is at most twelve months old
(``committees.bodies.rules``). Functions that change data flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import InterestDeclaration, InterestLink, LinkKind, Person
from committees.bodies.rules import BodiesError, declaration_valid_until, is_declaration_current
from committees.common.memo import memoized
from committees.extensions import db


@dataclass(frozen=True)
class LinkLine:
    """One link of interest to declare."""

    organisation: str
    kind: LinkKind
    details: str = ""
    started_on: date | None = None
    ended_on: date | None = None


def file_declaration(
    person: Person, declared_on: date, links: Iterable[LinkLine], public_url: str = ""
) -> InterestDeclaration:
    """Record a new declaration of interests with its links."""
    declaration = InterestDeclaration(person=person, declared_on=declared_on, public_url=public_url)
    for link in links:
        if not link.organisation.strip():
            raise BodiesError(_("Chaque lien d'intérêt nomme un organisme."))
        if link.started_on and link.ended_on and link.ended_on < link.started_on:
            raise BodiesError(
                _(
                    "Lien avec %(link_organisation)s : la fin précède le début.",
                    link_organisation=link.organisation,
                )
            )
        declaration.links.append(
            InterestLink(
                organisation=link.organisation.strip(),
                kind=LinkKind(link.kind).value,
                details=link.details.strip(),
                started_on=link.started_on,
                ended_on=link.ended_on,
            )
        )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def latest_declaration_dates(person_ids: Iterable[int], on: date | None = None) -> dict[int, date]:
    """The date of each person's latest declaration (made by ``on``, if given), in one query."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    query = (
        select(InterestDeclaration.person_id, func.max(InterestDeclaration.declared_on))
        .where(InterestDeclaration.person_id.in_(ids))
        .group_by(InterestDeclaration.person_id)
    )
    if on is not None:
        # A composition at a past date is judged on the declarations known that day.
        query = query.where(InterestDeclaration.declared_on <= on)
    return dict(db.session.execute(query).all())


def clearance(person_ids: Iterable[int], on: date) -> dict[int, bool]:
    """For each person: cleared (a declaration at most twelve months old on ``on``) or not."""
    ids = list(person_ids)
    latest = latest_declaration_dates(ids, on)
    return {pid: is_declaration_current(latest.get(pid), on) for pid in ids}


def is_cleared(person: Person, on: date) -> bool:
    """Whether ``person`` has a current declaration of interests on ``on``."""
    return clearance([person.id], on)[person.id]


@dataclass(frozen=True)
class DeclarationStatus:
    """Where a person stands with their declaration of interests on a day."""

    cleared: bool
    latest: date | None
    valid_until: date | None


def declaration_status(person: Person, on: date) -> DeclarationStatus:
    """Whether ``person`` is cleared on ``on`` and until when their latest declaration counts
    (asked once per ``memo_scope``: two of the dashboard's panels show it)."""
    latest = memoized(
        ("latest_declaration", person.id, on),
        lambda: latest_declaration_dates([person.id], on).get(person.id),
    )
    return DeclarationStatus(
        cleared=is_declaration_current(latest, on),
        latest=latest,
        valid_until=declaration_valid_until(latest) if latest else None,
    )


def person_declarations(person: Person) -> Sequence[InterestDeclaration]:
    """A person's declarations, newest first, with their links loaded."""
    return (
        db.session.execute(
            select(InterestDeclaration)
            .where(InterestDeclaration.person_id == person.id)
            .options(selectinload(InterestDeclaration.links))
            .order_by(InterestDeclaration.declared_on.desc(), InterestDeclaration.id.desc())
        )
        .scalars()
        .all()
    )


def renewal_data(person: Person, blank_rows: int = 2) -> dict | None:
    """What a new declaration form starts from: the links and public address of the
    person's latest declaration (links already ended left out), plus ``blank_rows`` empty
    rows for new links; None when they never declared."""
    latest = next(iter(person_declarations(person)), None)
    if latest is None:
        return None
    links = [
        {
            "organisation": link.organisation,
            "kind": link.kind,
            "details": link.details,
            "started_on": link.started_on,
            "ended_on": link.ended_on,
        }
        for link in latest.links
    ]
    return {"public_url": latest.public_url, "links": links + [{}] * blank_rows}
